// Package gitsourcetest makes git repositories on disk for tests: a bare
// repository to follow, and a clone of it that commits and pushes as a
// person editing the knowledge file would.
package gitsourcetest

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	gitconfig "github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// Remote is a bare repository with a main branch, and a clone that pushes
// to it.
type Remote struct {
	// URL is the bare repository's path.
	URL  string
	work *git.Repository
	dir  string
}

// New makes a bare repository in a temporary folder whose main branch
// holds file with the content of the file at src, and returns it with the
// first commit.
func New(t testing.TB, file, src string) (*Remote, string) {
	t.Helper()
	bare := filepath.Join(t.TempDir(), "faq.git")
	if _, err := git.PlainInit(bare, true); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "work")
	work, err := git.PlainInitWithOptions(dir, &git.PlainInitOptions{
		InitOptions: git.InitOptions{DefaultBranch: plumbing.NewBranchReferenceName("main")},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := work.CreateRemote(&gitconfig.RemoteConfig{Name: "origin", URLs: []string{bare}}); err != nil {
		t.Fatal(err)
	}
	r := &Remote{URL: bare, work: work, dir: dir}
	return r, r.Commit(t, file, src, "first version")
}

// Commit writes the content of the file at src as file, commits it as Ann
// with message, pushes it to main, and returns the commit. The clone pulls
// main first, so that it builds on what others pushed.
func (r *Remote) Commit(t testing.TB, file, src, message string) string {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	w, err := r.work.Worktree()
	if err != nil {
		t.Fatal(err)
	}
	r.pull(t, w)
	if err := os.WriteFile(filepath.Join(r.dir, file), data, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Add(file); err != nil {
		t.Fatal(err)
	}
	h, err := w.Commit(message, &git.CommitOptions{Author: &object.Signature{Name: "Ann", Email: "ann@example.com", When: time.Now()}})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.work.Push(&git.PushOptions{RemoteName: "origin", RefSpecs: []gitconfig.RefSpec{"refs/heads/main:refs/heads/main"}}); err != nil {
		t.Fatal(err)
	}
	return h.String()
}

// pull brings the clone to the remote's main branch, once it has one.
func (r *Remote) pull(t testing.TB, w *git.Worktree) {
	t.Helper()
	if _, err := r.work.Head(); err != nil {
		return // nothing committed yet
	}
	err := w.Pull(&git.PullOptions{RemoteName: "origin", ReferenceName: plumbing.NewBranchReferenceName("main")})
	if err != nil && !errors.Is(err, git.NoErrAlreadyUpToDate) {
		t.Fatalf("pull: %v", err)
	}
}

// Log returns the commits of main on the remote, the newest first.
func (r *Remote) Log(t testing.TB) []*object.Commit {
	t.Helper()
	return r.LogOf(t, "main")
}

// LogOf returns the commits of branch on the remote, the newest first.
func (r *Remote) LogOf(t testing.TB, branch string) []*object.Commit {
	t.Helper()
	bare, err := git.PlainOpen(r.URL)
	if err != nil {
		t.Fatal(err)
	}
	ref, err := bare.Reference(plumbing.NewBranchReferenceName(branch), true)
	if err != nil {
		t.Fatal(err)
	}
	iter, err := bare.Log(&git.LogOptions{From: ref.Hash()})
	if err != nil {
		t.Fatal(err)
	}
	var out []*object.Commit
	iter.ForEach(func(c *object.Commit) error { out = append(out, c); return nil })
	return out
}
