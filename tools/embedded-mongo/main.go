// Command embedded-mongo runs FerretDB (SQLite backend) as an embedded,
// MongoDB-compatible server for development and tests.
//
// It prints one line, "READY <mongodb uri>", once the listener accepts
// connections, and stops cleanly on SIGINT/SIGTERM or, with -watch-stdin,
// when its parent closes stdin (so a killed parent never leaves it behind).
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	dataDir := flag.String("data", ".data/db", "directory for the SQLite files")
	listen := flag.String("listen", "127.0.0.1:0", "TCP address to listen on (port 0 picks a free port)")
	watchStdin := flag.Bool("watch-stdin", false, "exit when stdin reaches EOF")
	logLevel := flag.String("log-level", "error", "debug, info, warn or error")
	// WAL with synchronous=NORMAL survives a crash of this process or of the API (the WAL is in the
	// OS page cache); only an OS crash or power loss can drop the last commits. FULL fsyncs each one.
	sync := flag.String("sync", "normal", "SQLite synchronous mode: normal or full")
	flag.Parse()

	abs, err := filepath.Abs(*dataDir)
	if err != nil {
		fail("data directory: %v", err)
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
		fail("data directory: %v", err)
	}

	if *sync != "normal" && *sync != "full" {
		fail("sync must be normal or full, got %q", *sync)
	}

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fail("log level: %v", err)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listen},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: "file:" + abs + "/?_pragma=synchronous(" + *sync + ")",
	})
	if err != nil {
		fail("start: %v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	if *watchStdin {
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			stop()
		}()
	}

	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := f.Run(ctx); err != nil {
			logger.Error("run", "error", err)
		}
	}()

	// MongoDBURI waits until the listener is bound, so the port is known.
	fmt.Printf("READY %s\n", f.MongoDBURI())

	<-done
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "embedded-mongo: "+format+"\n", args...)
	os.Exit(1)
}
