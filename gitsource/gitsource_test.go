package gitsource_test

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/gitsource"
	"github.com/faqbot/faqbot/gitsource/gitsourcetest"
	"github.com/faqbot/faqbot/internal/changes"
)

// wait is how long a test waits for a poll to notice a change.
const wait = 20 * time.Second

// newRemote makes a bare repository whose main branch holds kb.yaml with
// the content of testdata file first.
func newRemote(t *testing.T, first string) (*remote, string) {
	t.Helper()
	r, h := gitsourcetest.New(t, "kb.yaml", filepath.Join("testdata", first))
	return &remote{r}, h
}

// remote commits testdata files as kb.yaml.
type remote struct{ *gitsourcetest.Remote }

func (r *remote) commit(t *testing.T, name, message string) string {
	t.Helper()
	return r.Commit(t, "kb.yaml", filepath.Join("testdata", name), message)
}

// follower is one bot following the remote, as one faqbot process does.
type follower struct {
	src  *gitsource.Source
	bot  *bot.Bot
	logs *changes.Buffer
}

// follow opens a clone of r in a folder of its own and starts a bot on it
// that follows the branch every 10 ms until the test ends.
func follow(t *testing.T, r *remote) *follower {
	t.Helper()
	logs := &changes.Buffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	src, err := gitsource.Open(context.Background(), gitsource.Options{
		URL: r.URL, Branch: "main", Path: "kb.yaml", Dir: filepath.Join(t.TempDir(), "clone"), Logger: log,
	})
	if err != nil {
		t.Fatal(err)
	}
	kb, err := src.LoadCheckedOut()
	if err != nil {
		t.Fatal(err)
	}
	b := bot.New(kb, bot.Options{Threshold: 0.85, Load: src.Load, Version: src.Commit, Logger: log})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		src.Follow(ctx, 10*time.Millisecond, func(ctx context.Context) { b.Reload(ctx, "git") })
	}()
	t.Cleanup(func() { cancel(); <-done })
	return &follower{src: src, bot: b, logs: logs}
}

// serves waits until f's bot serves commit, and reports whether it did.
func (f *follower) serves(commit string) bool {
	return f.logs.Wait(wait, func(string) bool { return f.bot.Version() == commit })
}

func TestFollowReloadsWhenTheBranchMoves(t *testing.T) {
	r, first := newRemote(t, "kb.yaml")
	f := follow(t, r)
	if f.bot.Version() != first || f.src.Head() != first {
		t.Fatalf("serves %q, checked out %q, want %s", f.bot.Version(), f.src.Head(), first)
	}
	if _, err := os.Stat(filepath.Join(f.src.File())); err != nil {
		t.Fatal(err)
	}

	second := r.commit(t, "kb-pets.yaml", "add pets")
	if !f.serves(second) {
		t.Fatalf("serves %s, not the new commit %s\n%s", f.bot.Version(), second, f.logs)
	}
	if _, ok := f.bot.Base().Entry("pets"); !ok {
		t.Errorf("the new commit's entry is not served")
	}

	// A commit whose file is broken is checked out but never served.
	served := f.bot.Base()
	broken := r.commit(t, "broken.yaml", "break it")
	if !f.logs.Wait(wait, func(text string) bool { return strings.Contains(text, "reload failed") }) {
		t.Fatalf("no failed reload logged\n%s", f.logs)
	}
	if f.bot.Base() != served || f.bot.Version() != second || f.src.Head() != broken {
		t.Errorf("after a broken commit: serves %s (same base: %v), checked out %s", f.bot.Version(), f.bot.Base() == served, f.src.Head())
	}
	if !strings.Contains(f.logs.String(), "commit "+broken[:12]+": ") {
		t.Errorf("the failed reload does not name the commit\n%s", f.logs)
	}
}

func TestFetchFailureKeepsServing(t *testing.T) {
	r, first := newRemote(t, "kb.yaml")
	f := follow(t, r)
	served := f.bot.Base()
	moved := r.URL + ".away"
	if err := os.Rename(r.URL, moved); err != nil {
		t.Fatal(err)
	}
	// Three failed fetches: one warning, then debug lines only.
	if !f.logs.Wait(wait, func(text string) bool { return strings.Count(text, "still cannot be fetched") >= 2 }) {
		t.Fatalf("fetches are not retried\n%s", f.logs)
	}
	if n := strings.Count(f.logs.String(), "level=WARN"); n != 1 {
		t.Errorf("%d warnings for one outage, want 1\n%s", n, f.logs)
	}
	if f.bot.Base() != served || f.bot.Version() != first {
		t.Errorf("a fetch failure changed what is served")
	}
	if err := os.Rename(moved, r.URL); err != nil {
		t.Fatal(err)
	}
	second := r.commit(t, "kb-pets.yaml", "add pets")
	if !f.serves(second) {
		t.Fatalf("serves %s after the remote came back, not %s\n%s", f.bot.Version(), second, f.logs)
	}
	if n := strings.Count(f.logs.String(), "can be fetched again"); n != 1 {
		t.Errorf("recovery logged %d times\n%s", n, f.logs)
	}
}

// TestTwoFollowersServeOneCommit follows one repository with two bots,
// each with its own clone, as two replicas do.
func TestTwoFollowersServeOneCommit(t *testing.T) {
	r, first := newRemote(t, "kb.yaml")
	a, b := follow(t, r), follow(t, r)
	if a.bot.Version() != first || b.bot.Version() != first {
		t.Fatalf("serve %s and %s, want %s", a.bot.Version(), b.bot.Version(), first)
	}
	second := r.commit(t, "kb-pets.yaml", "add pets")
	if !a.serves(second) || !b.serves(second) {
		t.Fatalf("serve %s and %s, want %s", a.bot.Version(), b.bot.Version(), second)
	}
}

func TestOpenReusesItsClone(t *testing.T) {
	r, first := newRemote(t, "kb.yaml")
	dir := filepath.Join(t.TempDir(), "clone")
	opts := gitsource.Options{URL: r.URL, Branch: "main", Path: "kb.yaml", Dir: dir}
	if _, err := gitsource.Open(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	second := r.commit(t, "kb-pets.yaml", "add pets")

	// A restart fetches into the clone it finds.
	src, err := gitsource.Open(context.Background(), opts)
	if err != nil || src.Head() != second {
		t.Fatalf("reopened at %v, %v; want %s", src, err, second)
	}

	// With the remote gone, it serves what the clone has.
	os.RemoveAll(r.URL)
	logs := &changes.Buffer{}
	opts.Logger = slog.New(slog.NewTextHandler(logs, nil))
	src, err = gitsource.Open(context.Background(), opts)
	if err != nil || src.Head() != second || !strings.Contains(logs.String(), "serving the commit of the clone") {
		t.Errorf("reopened without a remote: %v; head %v (first %s)\n%s", err, src, first, logs)
	}
}

func TestOpenErrors(t *testing.T) {
	r, _ := newRemote(t, "kb.yaml")
	other, _ := newRemote(t, "kb.yaml")
	cloned := filepath.Join(t.TempDir(), "clone")
	if _, err := gitsource.Open(context.Background(), gitsource.Options{URL: r.URL, Branch: "main", Path: "kb.yaml", Dir: cloned}); err != nil {
		t.Fatal(err)
	}
	full := t.TempDir()
	os.WriteFile(filepath.Join(full, "notes.txt"), []byte("mine"), 0o644)
	missing := filepath.Join(t.TempDir(), "clone")

	tests := []struct {
		name string
		opts gitsource.Options
		want string
	}{
		{"another repository's clone", gitsource.Options{URL: other.URL, Branch: "main", Path: "kb.yaml", Dir: cloned},
			cloned + " holds a clone of [" + r.URL + "], not of " + other.URL + ": remove the folder, or set another knowledge.git.dir"},
		{"a folder of other files", gitsource.Options{URL: r.URL, Branch: "main", Path: "kb.yaml", Dir: full},
			full + " is not empty and holds no git repository: empty it, or set another knowledge.git.dir"},
		{"no such branch", gitsource.Options{URL: r.URL, Branch: "nope", Path: "kb.yaml", Dir: missing},
			"clone branch nope of " + r.URL + ": "},
		{"no such repository", gitsource.Options{URL: r.URL + ".missing", Branch: "main", Path: "kb.yaml", Dir: missing},
			"clone branch main of " + r.URL + ".missing: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := gitsource.Open(context.Background(), tt.opts)
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("error %v, want it to start %q", err, tt.want)
			}
		})
	}
	if data, err := os.ReadFile(filepath.Join(full, "notes.txt")); err != nil || string(data) != "mine" {
		t.Errorf("a refused folder was touched: %q, %v", data, err)
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Errorf("a failed clone left %s: %v", missing, err)
	}
}

// TestLoadNamesTheCommit checks that Commit knows only the bases the
// Source loaded.
func TestLoadNamesTheCommit(t *testing.T) {
	r, first := newRemote(t, "kb.yaml")
	src, err := gitsource.Open(context.Background(), gitsource.Options{URL: r.URL, Branch: "main", Path: "kb.yaml", Dir: filepath.Join(t.TempDir(), "c")})
	if err != nil {
		t.Fatal(err)
	}
	kb, err := src.Load(context.Background(), nil)
	if err != nil || src.Commit(kb) != first {
		t.Fatalf("Load: %v, commit %q", err, src.Commit(kb))
	}
	other, err := bot.LoadBase(src.File())
	if err != nil || src.Commit(other) != "" {
		t.Errorf("a base loaded elsewhere has commit %q (%v)", src.Commit(other), err)
	}
}

// TestLoadAsLoadingSays checks that the knowledge file of the clone is
// loaded as Options.Loading says: refused past its size limit, naming the
// limit and the commit.
func TestLoadAsLoadingSays(t *testing.T) {
	r, first := newRemote(t, "kb.yaml")
	src, err := gitsource.Open(context.Background(), gitsource.Options{
		URL: r.URL, Branch: "main", Path: "kb.yaml", Dir: filepath.Join(t.TempDir(), "c"),
		Loading: bot.Loading{MaxBytes: 10},
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = src.Load(context.Background(), nil)
	if err == nil || !strings.Contains(err.Error(), "the limit is 10 bytes") || !strings.Contains(err.Error(), first[:7]) {
		t.Errorf("Load of a file past a 10-byte limit: %v; want the limit and commit %s named", err, first)
	}
}
