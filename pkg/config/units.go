package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Duration is a time limit written as a Go duration string: "2s",
// "1500ms", "1m30s".
type Duration time.Duration

// UnmarshalText reads a duration string. A bare number is refused: "2"
// could mean seconds or nanoseconds.
func (d *Duration) UnmarshalText(b []byte) error {
	s := strings.TrimSpace(string(b))
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("invalid duration %q: write a number with a unit, like \"2s\" or \"500ms\"", s)
	}
	*d = Duration(v)
	return nil
}

// MarshalText writes the duration as Go does ("2s", "1m30s").
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

// Size is a number of bytes, written as an integer or as a string with a
// unit: "512MiB", "64KiB", "1GB", "200k". K, M and G are binary (1024)
// with or without "i"; "B" is optional.
type Size int64

var sizeUnits = []struct {
	suffix string
	mult   int64
}{
	{"kib", 1 << 10}, {"mib", 1 << 20}, {"gib", 1 << 30},
	{"kb", 1 << 10}, {"mb", 1 << 20}, {"gb", 1 << 30},
	{"k", 1 << 10}, {"m", 1 << 20}, {"g", 1 << 30},
	{"b", 1},
}

// ParseSize reads a size.
func ParseSize(s string) (Size, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	mult := int64(1)
	for _, u := range sizeUnits {
		if strings.HasSuffix(t, u.suffix) {
			t = strings.TrimSpace(strings.TrimSuffix(t, u.suffix))
			mult = u.mult
			break
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n < 0 || n > (1<<62)/mult {
		return 0, fmt.Errorf("invalid size %q: write bytes as an integer, or a number with a unit, like \"512MiB\" or \"64KiB\"", s)
	}
	return Size(n * mult), nil
}

// UnmarshalText reads a size; TOML integers arrive here as their digits.
func (z *Size) UnmarshalText(b []byte) error {
	v, err := ParseSize(string(b))
	if err != nil {
		return err
	}
	*z = v
	return nil
}

// String writes the size with the largest binary unit that divides it.
func (z Size) String() string {
	n := int64(z)
	for _, u := range []struct {
		name string
		mult int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if n != 0 && n%u.mult == 0 {
			return fmt.Sprintf("%d%s", n/u.mult, u.name)
		}
	}
	return fmt.Sprintf("%dB", n)
}

// MarshalText writes String.
func (z Size) MarshalText() ([]byte, error) { return []byte(z.String()), nil }
