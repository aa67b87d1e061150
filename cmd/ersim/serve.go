package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"ersim/server"
	"ersim/study"
)

func cmdServe(stdout, stderr io.Writer, args []string) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:0", "address to listen on (default: the loopback address and a free port; bind elsewhere only if you mean to)")
	ws := fs.String("workspace", "ersim-workspace", "directory of your scenarios (*.toml); runs go to its runs/")
	maxReps := fs.Int("max-reps", 500, "most replications a run started in the browser may ask for")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: ersim serve [flags]

Starts the local web front end: the shipped scenarios and your own (the TOML files in
the workspace), checked with the same messages as "ersim validate" and edited in forms
or as TOML; runs, PSAs, sensitivity analyses and sweeps started from the browser with
live progress and cancel; results with the headline and cost-effectiveness tables, the
charts and every file, kept in the workspace's runs/ and compared two at a time. It
listens on the loopback address only, unless --addr says otherwise, and prints its
address. Ctrl-C stops it; a run going then keeps its complete replications in a
checkpoint, which the library page offers to resume or discard ("ersim run --resume
DIR" continues it too).

Flags:
`)
		fs.PrintDefaults()
	}
	pos, code, ok := parse(fs, args)
	if !ok {
		return code
	}
	if len(pos) != 0 || *maxReps < 1 {
		fs.Usage()
		return exitUsage
	}
	srv, err := server.New(server.Config{Workspace: *ws, MaxReps: *maxReps})
	if err != nil {
		return fail(stderr, err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "ersim serve: --addr %s: %v\n", *addr, err)
		return exitUsage
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stdout, "ersim serve: http://%s/ (workspace %s); Ctrl-C stops it\n", ln.Addr(), *ws)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		for _, id := range srv.Shutdown() {
			dir := filepath.Join(*ws, "runs", id)
			if m, err := study.ReadCheckpoint(dir); err == nil {
				fmt.Fprintf(stdout, "ersim serve: stopped run %s after %d of %d replications; they are kept: resume it on the library page next time, or with ersim run --resume %s\n",
					id, m.Done, m.Replications, dir)
			} else {
				fmt.Fprintf(stdout, "ersim serve: stopped run %s; nothing was kept (no replication was complete, or it was not a run)\n", id)
			}
		}
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		hs.Shutdown(sctx)
	}()
	if err := hs.Serve(ln); err != nil && err != http.ErrServerClosed {
		return fail(stderr, err)
	}
	return exitOK
}
