package driver

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"golang.org/x/tools/go/analysis"
)

// progress shows what a long run is doing on one line of stderr, only
// when stderr is a terminal; a nil *progress does nothing.
type progress struct {
	w    io.Writer
	name string

	mu          sync.Mutex
	phase       string // "loading" or "analyzing"
	done, total int
	shown       bool   // something is drawn and must be erased
	last        string // the line drawn last; unchanged lines are not redrawn

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
	p := &progress{w: w, name: name, phase: "loading", quit: make(chan struct{})}
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
	line := p.name + ": loading packages"
	if p.phase == "analyzing" {
		line = fmt.Sprintf("%s: analyzed %d/%d packages", p.name, p.done, p.total)
	}
	if line == p.last {
		return
	}
	fmt.Fprintf(p.w, "\r\x1b[K%s", line)
	p.shown, p.last = true, line
}

// analyzing switches to the analysis phase of total packages.
func (p *progress) analyzing(total int) {
	if p == nil {
		return
	}
	p.mu.Lock()
	p.phase, p.total = "analyzing", total
	p.mu.Unlock()
}

// wrap returns a copy of a whose Run counts finished packages, or a
// itself when there is no progress to show.
func (p *progress) wrap(a *analysis.Analyzer) *analysis.Analyzer {
	if p == nil {
		return a
	}
	counted := *a
	counted.Run = func(pass *analysis.Pass) (any, error) {
		defer func() {
			p.mu.Lock()
			p.done++
			p.mu.Unlock()
		}()
		return a.Run(pass)
	}
	return &counted
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
