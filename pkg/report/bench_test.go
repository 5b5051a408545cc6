package report_test

import (
	"io"
	"testing"

	"github.com/qbank-dev/qbank/pkg/report"
)

// BenchmarkWrite renders the sample report (testdata/report/input.toml)
// in every format, to measure what the escaping costs.
func BenchmarkWrite(b *testing.B) {
	in := sampleInput(b)
	for _, name := range report.Names() {
		f, _ := report.Lookup(name)
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if err := f.Write(io.Discard, in, report.Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
