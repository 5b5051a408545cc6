package sandbox

import (
	"crypto/rand"
	"encoding/hex"
	"runtime"
	"sync"
)

// Init must be the first statement of main() in any program that opens a
// Pool at level full or basic: when the process is the sandbox helper (a
// re-exec of the same binary), Init builds the sandbox and execs the Python
// zygote and never returns. Otherwise it returns at once.
//
//	func main() {
//		sandbox.Init()
//		...
//	}
func Init() {
	if IsHelper() {
		HelperMain()
	}
}

func randomMarker() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Processes are started from one goroutine locked to its OS thread for the
// life of the program: Linux delivers the parent-death signal (Pdeathsig)
// when the *thread* that forked the child exits, and Go may retire threads
// (a goroutine that exits while locked takes its thread with it).
var (
	spawnOnce sync.Once
	spawnCh   chan func()
)

func onSpawnerThread(f func()) {
	spawnOnce.Do(func() {
		spawnCh = make(chan func())
		go func() {
			runtime.LockOSThread()
			for f := range spawnCh {
				f()
			}
		}()
	})
	done := make(chan struct{})
	spawnCh <- func() { defer close(done); f() }
	<-done
}
