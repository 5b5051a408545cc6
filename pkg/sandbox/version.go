package sandbox

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
)

// ErrNoIsolation is wrapped by Open's error when the system offers no
// isolation level at all (not Linux, or neither namespaces nor Landlock):
// callers may then fall back to compiling snippets without running them.
var ErrNoIsolation = errors.New("sandbox: no isolation available")

// behaviourVersion is raised by hand whenever the Go side changes what a
// snippet sees or how its result is reported (limits, mounts, the result
// fields); changes to zygote.py are covered by its hash.
const behaviourVersion = "3"

// Version identifies the sandbox's behaviour for result caches: results
// cached under one Version are valid for any build with the same one.
func Version() string {
	h := sha256.Sum256([]byte(zygoteSource))
	return behaviourVersion + "-" + hex.EncodeToString(h[:8])
}
