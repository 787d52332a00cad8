package closures

import (
	"net/http"
	"sync"
)

// Worker pools and handlers (issue 13): a value that may be nil where the
// goroutine or callback is made, dereferenced inside it. Loop variables
// are per iteration (Go 1.22), so each goroutine sees its own.

type Job struct {
	ID   int
	Spec *Spec
}

type Spec struct{ Image string }

type Pool struct {
	queue map[string]*Job
	wg    sync.WaitGroup
}

// dispatch starts one worker per name; a name with no queued job hands a
// nil *Job to its goroutine. The WaitGroup calls between the lookup and
// the go statement cannot change j: only the literal reads it.
func (p *Pool) dispatch(names []string) {
	for _, name := range names {
		j := p.queue[name]
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			run(j.ID) // want `nil dereference: j may be nil here \(map lookup may miss at workers.go:\d+; captured by the function literal at workers.go:\d+\)`
		}()
	}
	p.wg.Wait()
}

// fanOut passes the index as an argument and captures the looked-up job.
func fanOut(jobs map[string]*Job, names []string) {
	var wg sync.WaitGroup
	for i := range names {
		j := jobs[names[i]]
		wg.Add(1)
		go func(slot int) {
			defer wg.Done()
			run(j.ID + slot) // want `nil dereference: j may be nil here \(map lookup may miss at workers.go:\d+; captured by the function literal at workers.go:\d+\)`
		}(i)
	}
	wg.Wait()
}

// handlers registers a callback over a lookup that may miss.
func handlers(routes map[string]*Spec, mux *http.ServeMux) {
	s := routes["/img"]
	mux.HandleFunc("/img", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(s.Image)) // want `nil dereference: s may be nil here \(map lookup may miss at workers.go:\d+; captured by the function literal at workers.go:\d+\)`
	})
}

// notify captures one lookup in two goroutines: both are reported.
func notify(specs map[string]*Spec, name string, send func(string)) {
	s := specs[name]
	go func() { send("pull " + s.Image) }()  // want `nil dereference: s may be nil here \(map lookup may miss at workers.go:\d+; captured by the function literal at workers.go:\d+\)`
	go func() { send("audit " + s.Image) }() // want `nil dereference: s may be nil here \(map lookup may miss at workers.go:\d+; captured by the function literal at workers.go:\d+\)`
}

// onDone is a deferred literal over a value that is nil when not found.
func onDone(jobs map[string]*Job, name string) {
	j := jobs[name]
	defer func() {
		run(j.ID) // want `nil dereference: j may be nil here \(map lookup may miss at workers.go:\d+; captured by the function literal at workers.go:\d+\)`
	}()
	run(0)
}

// Safe look-alikes.

// The lookup is checked before the goroutine starts.
func (p *Pool) dispatchChecked(names []string) {
	for _, name := range names {
		j, ok := p.queue[name]
		if !ok {
			continue
		}
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			run(j.ID)
		}()
	}
	p.wg.Wait()
}

// The worker checks what it was given.
func fanOutChecked(jobs map[string]*Job, names []string) {
	var wg sync.WaitGroup
	for _, name := range names {
		j := jobs[name]
		wg.Add(1)
		go func() {
			defer wg.Done()
			if j == nil {
				return
			}
			run(j.ID)
		}()
	}
	wg.Wait()
}

// Ranging over a slice of jobs that skips nil ones.
func startAll(jobs []*Job) {
	for _, j := range jobs {
		if j == nil {
			continue
		}
		go func() { run(j.ID) }()
	}
}

// A literal that assigns the variable may run before the use: the state
// at the closure says nothing, and nothing is reported.
func fillLater(jobs map[string]*Job, name string, fallback *Job) int {
	j := jobs[name]
	fill := func() { j = fallback }
	fill()
	return j.ID
}

func run(int) {}
