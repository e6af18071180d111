package main

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestWatchKnowledge changes the knowledge file the ways editors and
// deployments do, and counts the reloads.
func TestWatchKnowledge(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "faq.yaml")
	write := func(name, content string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("faq.yaml", "v1")
	reloads := make(chan struct{}, 100)
	stop, err := watchKnowledge(context.Background(), path, slog.New(slog.DiscardHandler), func(context.Context) { reloads <- struct{}{} })
	if err != nil {
		t.Fatal(err)
	}
	defer stop()

	// expect waits for n reloads, then makes sure no more come.
	expect := func(t *testing.T, n int) {
		t.Helper()
		for i := range n {
			select {
			case <-reloads:
			case <-time.After(30 * time.Second): // hung, not slow
				t.Fatalf("%d reloads, want %d", i, n)
			}
		}
		select {
		case <-reloads:
			t.Fatalf("more than %d reloads", n)
		case <-time.After(3 * watchDebounce):
		}
	}
	for _, tc := range []struct {
		name   string
		change func()
		want   int
	}{
		{"written in place", func() { write("faq.yaml", "v2 longer") }, 1},
		{"a burst of writes is one reload", func() {
			for i := range 10 {
				write("faq.yaml", "v3 "+string(rune('a'+i)))
				time.Sleep(10 * time.Millisecond)
			}
		}, 1},
		{"renamed over, as editors save", func() {
			write(".faq.yaml.swp", "v4 from the editor")
			if err := os.Rename(filepath.Join(dir, ".faq.yaml.swp"), path); err != nil {
				t.Fatal(err)
			}
		}, 1},
		{"another file in the folder", func() { write("notes.txt", "hello") }, 0},
		{"removed", func() { os.Remove(path) }, 1},
		{"back again", func() { write("faq.yaml", "v5") }, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.change()
			expect(t, tc.want)
		})
	}
	stop()
	write("faq.yaml", "after stop")
	select {
	case <-reloads:
		t.Error("a reload after stop")
	case <-time.After(3 * watchDebounce):
	}
}

// TestWatchKnowledgeSymlinkSwap swaps the folder a symbolic link points
// through, as Kubernetes does when a ConfigMap changes.
func TestWatchKnowledgeSymlinkSwap(t *testing.T) {
	dir := t.TempDir()
	for _, v := range []string{"v1", "v2"} {
		os.Mkdir(filepath.Join(dir, v), 0o755)
		os.WriteFile(filepath.Join(dir, v, "faq.yaml"), []byte("content "+v), 0o644)
	}
	if err := os.Symlink("v1", filepath.Join(dir, "..data")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	os.Symlink(filepath.Join("..data", "faq.yaml"), filepath.Join(dir, "faq.yaml"))
	reloads := make(chan struct{}, 10)
	stop, err := watchKnowledge(context.Background(), filepath.Join(dir, "faq.yaml"), slog.New(slog.DiscardHandler), func(context.Context) { reloads <- struct{}{} })
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	os.Symlink("v2", filepath.Join(dir, "..data_tmp"))
	os.Rename(filepath.Join(dir, "..data_tmp"), filepath.Join(dir, "..data"))
	select {
	case <-reloads:
	case <-time.After(30 * time.Second): // hung, not slow
		t.Fatal("no reload after the link was swapped")
	}
}

func TestWatchKnowledgeMissingFolder(t *testing.T) {
	_, err := watchKnowledge(context.Background(), filepath.Join(t.TempDir(), "nope", "faq.yaml"), slog.New(slog.DiscardHandler), func(context.Context) {})
	if err == nil {
		t.Fatal("watching a missing folder succeeded")
	}
}
