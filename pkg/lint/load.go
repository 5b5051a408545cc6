package lint

import (
	"os"
	"runtime"
	"sync"
)

// ReadFiles reads and parses files in parallel, keeping their order.
func ReadFiles(paths []string) []*File {
	out := make([]*File, len(paths))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, p := range paths {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			src, err := os.ReadFile(p)
			if err != nil {
				out[i] = UnreadableFile(p, err)
				return
			}
			out[i] = NewFile(p, src)
		}()
	}
	wg.Wait()
	return out
}
