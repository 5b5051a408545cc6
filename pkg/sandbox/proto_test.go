package sandbox

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"testing"
)

func TestFrameRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	in := wireResponse{Stdout: []byte("a\x00\xff"), Exit: 3, Killed: "cpu", Exception: &wireException{Type: "X", Line: 2}}
	if err := writeFrame(&buf, in); err != nil {
		t.Fatal(err)
	}
	body, err := readFrame(&buf, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	out, err := decodeResponse(body)
	if err != nil || !bytes.Equal(out.Stdout, in.Stdout) || out.Exit != 3 || out.Exception.Line != 2 {
		t.Fatalf("%v %+v", err, out)
	}
	// Oversized and truncated frames are errors, without allocating the claim.
	var head [4]byte
	binary.BigEndian.PutUint32(head[:], 0xffffffff)
	if _, err := readFrame(bytes.NewReader(head[:]), 1<<20); !errors.Is(err, errFrameTooLarge) {
		t.Fatalf("oversized: %v", err)
	}
	binary.BigEndian.PutUint32(head[:], 10)
	if _, err := readFrame(bytes.NewReader(append(head[:], "abc"...)), 1<<20); err != io.ErrUnexpectedEOF {
		t.Fatalf("truncated: %v", err)
	}
	if _, err := readFrame(bytes.NewReader(nil), 1<<20); err != io.EOF {
		t.Fatalf("empty: %v", err)
	}
}

// FuzzReadFrame: the parser never panics, never returns more than max bytes,
// and what it accepts decodes or fails cleanly.
func FuzzReadFrame(f *testing.F) {
	var buf bytes.Buffer
	writeFrame(&buf, wireResponse{Ready: true, PID: 1, Version: "3.11.7"})
	f.Add(buf.Bytes())
	f.Add([]byte{0, 0, 0, 2, '{', '}'})
	f.Add([]byte{0, 0, 0, 9, '{', '"', 's', 't', 'd', 'o', 'u', 't', '"'})
	f.Add([]byte{0xff, 0xff, 0xff, 0xff})
	f.Add([]byte(`{"stdout":"!!"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r := bytes.NewReader(data)
		for i := 0; i < 4; i++ {
			body, err := readFrame(r, 1<<16)
			if err != nil {
				return
			}
			if len(body) > 1<<16 {
				t.Fatalf("frame of %d bytes accepted", len(body))
			}
			if resp, err := decodeResponse(body); err == nil && resp == nil {
				t.Fatal("nil response without error")
			}
		}
	})
}
