package sandbox

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// orphanMain plays "qbank": it opens a pool, starts a snippet that leaves a
// daemon behind and sleeps, prints the pool marker, and waits to be killed.
func orphanMain() {
	p, err := Open(Options{Mode: os.Getenv("QBANK_SANDBOX_TEST_MODE"), Workers: 1})
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	go p.Run(context.Background(), Job{Mode: Exec, Limits: &Limits{Wall: time.Minute, CPU: 30 * time.Second},
		Source: "import os, time\nif os.fork() == 0:\n    os.setsid()\n    time.sleep(60)\ntime.sleep(60)\n"})
	fmt.Println("marker", p.marker, p.Level())
	select {}
}

// TestQbankKilled: when qbank is SIGKILLed mid-run, every sandbox process dies
// with it (pid namespace + Pdeathsig + protocol pipe EOF).
func TestQbankKilled(t *testing.T) {
	t.Parallel()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "QBANK_SANDBOX_TEST_ORPHAN=1", "QBANK_SANDBOX_TEST_MODE=auto")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	line, err := bufio.NewReader(out).ReadString('\n')
	f := strings.Fields(line)
	if err != nil || len(f) != 3 || f[0] != "marker" {
		t.Fatalf("child said %q (%v)", line, err)
	}
	marker, level := f[1], Level(f[2])
	if level != LevelFull {
		if inCI() {
			t.Fatalf("level %s", level)
		}
		t.Skipf("survival after a qbank crash is only guaranteed at level full (have %s)", level)
	}
	deadline := time.Now().Add(20 * time.Second)
	for len(markerPIDs(marker)) < 3 { // zygote, snippet, daemon
		if time.Now().After(deadline) {
			t.Fatalf("snippet processes never appeared: %v", markerPIDs(marker))
		}
		time.Sleep(20 * time.Millisecond)
	}
	cmd.Process.Kill()
	cmd.Wait()
	deadline = time.Now().Add(5 * time.Second)
	for {
		left := markerPIDs(marker)
		if len(left) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("processes survived qbank's death: %v", left)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
