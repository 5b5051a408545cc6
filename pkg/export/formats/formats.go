// Package formats lists every export format in one place: the JSON bundle
// and the learning-platform formats. A format is added here and nowhere
// else; nothing registers itself.
package formats

import (
	"fmt"
	"strings"

	"github.com/qbank-dev/qbank/pkg/export"
	"github.com/qbank-dev/qbank/pkg/export/gift"
	"github.com/qbank-dev/qbank/pkg/export/moodle"
	"github.com/qbank-dev/qbank/pkg/export/qti"
)

// All are the export formats, sorted by name.
var All = []export.Format{gift.Format{}, export.JSON, moodle.Format{}, qti.Format{}}

// Lookup returns the format called name.
func Lookup(name string) (export.Format, error) {
	for _, f := range All {
		if f.Name() == name {
			return f, nil
		}
	}
	return nil, fmt.Errorf("unknown export format %q (known: %s)", name, strings.Join(Names(), ", "))
}

// Names lists the formats' names, sorted.
func Names() []string {
	names := make([]string, len(All))
	for i, f := range All {
		names[i] = f.Name()
	}
	return names
}
