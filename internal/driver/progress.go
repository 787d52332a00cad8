package driver

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// progress shows what a long run is doing on one line of stderr, only
// when stderr is a terminal; a nil *progress does nothing.
type progress struct {
	w    io.Writer
	name string

	mu          sync.Mutex
	done, total int  // packages analyzed for findings, of total (0: not known yet)
	deps        int  // dependencies analyzed for their facts
	shown       bool // something is drawn and must be erased
	last        string

	quit chan struct{}
	wg   sync.WaitGroup
}

const (
	progressDelay = time.Second            // a run faster than this shows nothing
	progressTick  = 250 * time.Millisecond // redraw period
)

// startProgress returns a progress line on w when w is a terminal, and
// nil otherwise.
func startProgress(w io.Writer, name string) *progress {
	if !isTerminal(w) {
		return nil
	}
	p := &progress{w: w, name: name, quit: make(chan struct{})}
	p.wg.Add(1)
	go p.loop()
	return p
}

// isTerminal reports whether w is a character device, without
// golang.org/x/term: the mode bit is all we need.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func (p *progress) loop() {
	defer p.wg.Done()
	select {
	case <-time.After(progressDelay):
	case <-p.quit:
		return
	}
	t := time.NewTicker(progressTick)
	defer t.Stop()
	for {
		p.draw()
		select {
		case <-t.C:
		case <-p.quit:
			return
		}
	}
}

func (p *progress) draw() {
	p.mu.Lock()
	defer p.mu.Unlock()
	line := p.text()
	if line == p.last {
		return
	}
	fmt.Fprintf(p.w, "\r\x1b[K%s", line)
	p.shown, p.last = true, line
}

// text is the progress line: packages done of those to report on, and
// the dependencies analyzed for facts (go vet replays cached ones fast).
func (p *progress) text() string {
	total := "?"
	if p.total > 0 {
		total = fmt.Sprint(p.total)
	}
	return fmt.Sprintf("%s: analyzed %d/%s packages, %d dependencies", p.name, p.done, total, p.deps)
}

// setTotal sets the number of packages to report on.
func (p *progress) setTotal(n int) {
	if p == nil {
		return
	}
	p.mu.Lock()
	p.total = max(n, p.done)
	p.mu.Unlock()
}

// packageDone counts a package analyzed for findings.
func (p *progress) packageDone() {
	if p == nil {
		return
	}
	p.mu.Lock()
	p.done++
	if p.total > 0 && p.done > p.total {
		p.total = p.done
	}
	p.mu.Unlock()
}

// dependencyDone counts a dependency analyzed for its facts.
func (p *progress) dependencyDone() {
	if p == nil {
		return
	}
	p.mu.Lock()
	p.deps++
	p.mu.Unlock()
}

// stop erases the progress line.
func (p *progress) stop() {
	if p == nil {
		return
	}
	close(p.quit)
	p.wg.Wait()
	if p.shown {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}
