package main

import (
	"context"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"
)

// A run interrupted by SIGINT or SIGTERM keeps its completed replications in a
// checkpoint (see study.Run); "ersim run --resume DIR" continues it.

// interruptHook, when set (by tests), is called after each complete replication with the
// number done; a signal it returns interrupts the run as if it had arrived.
var interruptHook func(done int) os.Signal

// interrupt cancels a context on SIGINT or SIGTERM and remembers which arrived.
type interrupt struct {
	ctx    context.Context
	cancel context.CancelFunc
	c      chan os.Signal
	quit   chan struct{}
	fired  chan struct{}
	once   sync.Once
	mu     sync.Mutex
	sig    os.Signal
}

func newInterrupt() *interrupt {
	in := &interrupt{c: make(chan os.Signal, 2), quit: make(chan struct{}), fired: make(chan struct{})}
	in.ctx, in.cancel = context.WithCancel(context.Background())
	signal.Notify(in.c, os.Interrupt, syscall.SIGTERM)
	go func() {
		select {
		case s := <-in.c:
			in.trigger(s)
		case <-in.quit:
		}
	}()
	return in
}

func (in *interrupt) trigger(s os.Signal) {
	in.once.Do(func() {
		in.mu.Lock()
		in.sig = s
		in.mu.Unlock()
		in.cancel()
		close(in.fired)
	})
}

// signal returns the signal that interrupted the run, or nil; wait is how long to
// wait for one (another handler may have seen it first).
func (in *interrupt) signal(wait time.Duration) os.Signal {
	select {
	case <-in.fired:
	case <-time.After(wait):
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.sig
}

func (in *interrupt) stop() {
	signal.Stop(in.c)
	close(in.quit)
	in.cancel()
}

// signalExit is the shell's exit status for a process ended by s: 128 + its number
// (130 for SIGINT, 143 for SIGTERM).
func signalExit(s os.Signal) int {
	if n, ok := s.(syscall.Signal); ok {
		return 128 + int(n)
	}
	return exitFail
}

// hook is the run's study.RunOptions.OnReplication: it lets interruptHook interrupt
// the run after a given replication.
func (in *interrupt) hook(done int) {
	if interruptHook != nil {
		if s := interruptHook(done); s != nil {
			in.trigger(s)
		}
	}
}
