package sandbox

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// Zygote protocol: every message is a frame made of a 4-byte big-endian length
// followed by that many bytes of UTF-8 JSON (one object). The Go side never
// trusts the length: frames above the caller's maximum are rejected before any
// allocation, and a short read is an error (the zygote died).

// errFrameTooLarge is returned by readFrame when the announced length exceeds max.
var errFrameTooLarge = errors.New("sandbox: protocol frame too large")

func writeFrame(w io.Writer, v any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if len(body) > 1<<30 {
		return errFrameTooLarge
	}
	buf := make([]byte, 4+len(body))
	binary.BigEndian.PutUint32(buf, uint32(len(body)))
	copy(buf[4:], body)
	_, err = w.Write(buf)
	return err
}

func readFrame(r io.Reader, max int) ([]byte, error) {
	var head [4]byte
	if _, err := io.ReadFull(r, head[:]); err != nil {
		return nil, err
	}
	n := binary.BigEndian.Uint32(head[:])
	if uint64(n) > uint64(max) {
		return nil, fmt.Errorf("%w (%d > %d bytes)", errFrameTooLarge, n, max)
	}
	body := make([]byte, n)
	if _, err := io.ReadFull(r, body); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	return body, nil
}

// wireLimits is Limits in the units the zygote uses.
type wireLimits struct {
	CPU    int     `json:"cpu"`  // seconds (RLIMIT_CPU granularity)
	Wall   float64 `json:"wall"` // seconds
	Memory int64   `json:"memory"`
	Output int     `json:"output"`
	Procs  int     `json:"procs"`
	Files  int     `json:"files"`
	Disk   int64   `json:"disk"`
}

type wireRequest struct {
	Mode     string     `json:"mode"` // "compile" | "exec"
	Source   string     `json:"source"`
	Before   string     `json:"before"`
	After    string     `json:"after"`
	Stdin    string     `json:"stdin"`
	Site     bool       `json:"site"`
	Requires []string   `json:"requires"`
	ValueOf  string     `json:"value_of"`
	Limits   wireLimits `json:"limits"`
}

type wireException struct {
	Type        string `json:"type"`
	Module      string `json:"module"`
	Message     string `json:"message"`
	Line        int    `json:"line"`
	Col         int    `json:"col"`
	Where       string `json:"where"`
	CompileTime bool   `json:"compile_time"`
	Traceback   string `json:"traceback"`
}

type wireResponse struct {
	// ready frame
	Ready   bool   `json:"ready"`
	PID     int    `json:"pid"`
	PID1    bool   `json:"pid1"`
	Version string `json:"version"`
	UID     int    `json:"uid"`
	// run frame
	Error       string         `json:"error"`
	Stdout      []byte         `json:"stdout"` // base64 in JSON
	Stderr      []byte         `json:"stderr"`
	StdoutTrunc bool           `json:"stdout_trunc"`
	StderrTrunc bool           `json:"stderr_trunc"`
	Exception   *wireException `json:"exception"`
	Exit        int            `json:"exit"`
	Killed      string         `json:"killed"`
	Value       string         `json:"value"`
	HasValue    bool           `json:"has_value"`
	OfError     *wireException `json:"of_error"`
	Missing     []string       `json:"missing"`
	Duration    float64        `json:"duration"`
	Recycle     bool           `json:"recycle"`
	Cancelled   bool           `json:"cancelled"`
	Tampered    string         `json:"tampered"`
}

// decodeResponse parses one frame body; it never panics on hostile input.
func decodeResponse(body []byte) (*wireResponse, error) {
	var resp wireResponse
	if err := json.Unmarshal(body, &resp); err != nil {
		return nil, fmt.Errorf("sandbox: bad zygote frame: %w", err)
	}
	return &resp, nil
}
