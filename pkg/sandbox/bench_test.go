package sandbox

import (
	"context"
	"os/exec"
	"testing"
)

func BenchmarkRunTrivial(b *testing.B) {
	p := ownPool(b, "", 1)
	ctx := context.Background()
	if _, err := p.Run(ctx, Job{Mode: Exec, Source: "pass"}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := p.Run(ctx, Job{Mode: Exec, Source: "print('hello')"})
		if err != nil || string(res.Stdout) != "hello\n" {
			b.Fatalf("%v %+v", err, res)
		}
	}
}

func BenchmarkSpawnPlain(b *testing.B) {
	py := sharedInterp(b).Path
	for i := 0; i < b.N; i++ {
		out, err := exec.Command(py, "-I", "-S", "-c", "print('hello')").Output()
		if err != nil || string(out) != "hello\n" {
			b.Fatalf("%v %q", err, out)
		}
	}
}
