package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/fsnotify/fsnotify"
)

// watchDebounce is how long the knowledge file's folder must be quiet
// before a change is acted on: editors and "git pull" write in bursts.
const watchDebounce = 300 * time.Millisecond

// watchKnowledge calls reload after the knowledge file at path changes. It
// watches the file's folder, not the file, so that it survives editors
// that save by renaming a new file over the old one and mounts that swap a
// symbolic link (Kubernetes ConfigMaps): after each burst of events in the
// folder it compares the file's identity, size and time with what it last
// saw, and reloads on any difference, a vanished file included (the
// reload then fails and says so, and the old knowledge base keeps
// serving). It returns once the watch is set up; stop ends it and waits.
func watchKnowledge(ctx context.Context, path string, log *slog.Logger, reload func(context.Context)) (stop func(), err error) {
	dir := filepath.Dir(path)
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, fmt.Errorf("reload.watch: %w", err)
	}
	if err := w.Add(dir); err != nil {
		w.Close()
		return nil, fmt.Errorf("reload.watch: cannot watch %s: %w (turn reload.watch off, or reload with SIGHUP or /faq reload)", dir, err)
	}
	last := fingerprint(path) // before returning: a change from now on counts
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer w.Close()
		timer := time.NewTimer(time.Hour)
		timer.Stop()
		for {
			select {
			case <-ctx.Done():
				timer.Stop()
				return
			case err, ok := <-w.Errors:
				if !ok {
					return
				}
				log.Warn("watching the knowledge file", "error", err)
			case _, ok := <-w.Events:
				if !ok {
					return
				}
				timer.Reset(watchDebounce)
			case <-timer.C:
				now := fingerprint(path)
				if now == last {
					continue
				}
				last = now
				log.Info("the knowledge file changed; reloading", "file", path)
				reload(ctx)
			}
		}
	}()
	log.Info("watching the knowledge file", "file", path)
	return func() { cancel(); <-done }, nil
}

// fileState is what tells one version of a file from another.
type fileState struct {
	exists bool
	size   int64
	mod    time.Time
	inode  any
}

// fingerprint returns the state of the file at path, following symbolic
// links.
func fingerprint(path string) fileState {
	fi, err := os.Stat(path)
	if err != nil {
		return fileState{}
	}
	return fileState{exists: true, size: fi.Size(), mod: fi.ModTime(), inode: fileID(fi)}
}
