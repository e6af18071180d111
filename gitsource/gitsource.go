// Package gitsource keeps the knowledge file in a git repository: it
// clones the repository into a folder of its own, fetches the configured
// branch, loads the knowledge file of the commit it checked out, and
// remembers which commit each knowledge base was loaded from. Follow polls
// the branch and asks for a reload when it moves.
//
// It uses github.com/go-git/go-git/v5, pure Go: https and ssh remotes need
// no git program. A local path or file:// remote runs git-upload-pack and
// git-receive-pack, as go-git's file transport does.
package gitsource

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/go-git/go-git/v5"
	gitconfig "github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/transport"

	"github.com/faqbot/faqbot/bot"
)

// remote is the name of the repository's one remote.
const remote = "origin"

// Options says which repository to follow and where to keep its clone.
type Options struct {
	// URL is the repository: https://, ssh://, user@host:path, file:// or
	// a local path.
	URL string
	// Branch is the branch to serve.
	Branch string
	// Path is the knowledge file's path inside the repository.
	Path string
	// Dir is the folder of the clone. It is created if missing; a clone of
	// the same URL already in it is reused.
	Dir string
	// PushBranch is the branch edits from chat are pushed to: Branch
	// when "", or a review branch that a person merges into Branch.
	PushBranch string
	// Auth authenticates to the remote; nil for none.
	Auth transport.AuthMethod
	// Logger receives fetch failures and recoveries; nil discards them.
	Logger *slog.Logger
	// Loading says how the knowledge file is loaded: its size limit and
	// where its classifier is kept (see bot.Loading).
	Loading bot.Loading
}

// Source is a clone of the repository that holds the knowledge file. It is
// safe for concurrent use; git work is done one operation at a time.
type Source struct {
	opts Options
	log  *slog.Logger

	mu   sync.Mutex // guards the clone and head
	repo *git.Repository
	head plumbing.Hash // the commit checked out

	loadedMu sync.Mutex
	loaded   []loadedBase // the latest few bases loaded, newest last
}

// loadedBase is a knowledge base and the commit it was loaded from.
type loadedBase struct {
	kb     *bot.Base
	commit plumbing.Hash
}

// maxLoaded is the number of bases whose commit a Source remembers: the one
// serving and those loaded since, of which a reload swaps in the newest.
const maxLoaded = 4

// Open clones the repository into opts.Dir, or reuses the clone there, and
// checks out the head of the branch. When a reused clone cannot be fetched,
// Open logs it and serves the commit the clone has.
func Open(ctx context.Context, opts Options) (*Source, error) {
	if opts.URL == "" || opts.Branch == "" || opts.Path == "" || opts.Dir == "" {
		return nil, errors.New("gitsource: the URL, branch, path and folder of the clone are all needed")
	}
	s := &Source{opts: opts, log: opts.Logger}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	repo, err := git.PlainOpen(opts.Dir)
	switch {
	case err == nil:
		if err := s.checkRemote(repo); err != nil {
			return nil, err
		}
		s.repo = repo
		if head, err := repo.Head(); err == nil {
			s.head = head.Hash()
		}
		s.mu.Lock()
		_, err = s.sync(ctx)
		s.mu.Unlock()
		if err != nil {
			if s.head.IsZero() {
				return nil, err
			}
			s.log.Warn("cannot fetch the knowledge repository; serving the commit of the clone", "url", opts.URL, "commit", s.head.String(), "error", err)
		}
		return s, nil
	case errors.Is(err, git.ErrRepositoryNotExists):
		return s, s.clone(ctx)
	default:
		return nil, fmt.Errorf("open the clone in %s: %w", opts.Dir, err)
	}
}

// checkRemote makes sure a clone found in the folder is of the configured
// repository.
func (s *Source) checkRemote(repo *git.Repository) error {
	r, err := repo.Remote(remote)
	if err != nil {
		return fmt.Errorf("%s holds a git repository without the remote %q: remove the folder, or set another knowledge.git.dir", s.opts.Dir, remote)
	}
	if urls := r.Config().URLs; len(urls) == 0 || urls[0] != s.opts.URL {
		return fmt.Errorf("%s holds a clone of %v, not of %s: remove the folder, or set another knowledge.git.dir", s.opts.Dir, urls, s.opts.URL)
	}
	return nil
}

// clone makes the clone and checks out the branch. The folder must be
// missing or empty; a failed clone leaves it so.
func (s *Source) clone(ctx context.Context) error {
	entries, err := os.ReadDir(s.opts.Dir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("the folder of the clone: %w", err)
	}
	if len(entries) > 0 {
		return fmt.Errorf("%s is not empty and holds no git repository: empty it, or set another knowledge.git.dir", s.opts.Dir)
	}
	existed := err == nil
	repo, err := git.PlainCloneContext(ctx, s.opts.Dir, false, &git.CloneOptions{
		URL:           s.opts.URL,
		Auth:          s.opts.Auth,
		RemoteName:    remote,
		ReferenceName: plumbing.NewBranchReferenceName(s.opts.Branch),
		SingleBranch:  true,
	})
	if err != nil {
		s.emptyFolder(existed)
		return fmt.Errorf("clone branch %s of %s: %w", s.opts.Branch, s.opts.URL, err)
	}
	head, err := repo.Head()
	if err != nil {
		return fmt.Errorf("clone %s: %w", s.opts.URL, err)
	}
	s.repo, s.head = repo, head.Hash()
	return nil
}

// emptyFolder removes what a failed clone left: the folder, or, when it
// existed before, what is in it.
func (s *Source) emptyFolder(existed bool) {
	if !existed {
		os.RemoveAll(s.opts.Dir)
		return
	}
	entries, _ := os.ReadDir(s.opts.Dir)
	for _, e := range entries {
		os.RemoveAll(filepath.Join(s.opts.Dir, e.Name()))
	}
}

// File returns the knowledge file's path in the clone.
func (s *Source) File() string { return filepath.Join(s.opts.Dir, filepath.FromSlash(s.opts.Path)) }

// Head returns the commit checked out in the clone.
func (s *Source) Head() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.head.String()
}

// fetch fetches the branch and returns the commit at its head on the
// remote. The caller holds s.mu.
func (s *Source) fetch(ctx context.Context) (plumbing.Hash, error) {
	return s.fetchBranch(ctx, s.opts.Branch)
}

// fetchBranch fetches branch and returns the commit at its head on the
// remote. The caller holds s.mu.
func (s *Source) fetchBranch(ctx context.Context, branch string) (plumbing.Hash, error) {
	err := s.repo.FetchContext(ctx, &git.FetchOptions{
		RemoteName: remote,
		Auth:       s.opts.Auth,
		RefSpecs:   []gitconfig.RefSpec{gitconfig.RefSpec("+refs/heads/" + branch + ":refs/remotes/" + remote + "/" + branch)},
		Force:      true,
	})
	if err != nil && !errors.Is(err, git.NoErrAlreadyUpToDate) {
		return plumbing.ZeroHash, fmt.Errorf("fetch branch %s of %s: %w", branch, s.opts.URL, err)
	}
	ref, err := s.repo.Reference(plumbing.NewRemoteReferenceName(remote, branch), true)
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("fetch branch %s of %s: %w", branch, s.opts.URL, err)
	}
	return ref.Hash(), nil
}

// sync fetches the branch and checks out its head, discarding whatever the
// clone had that the remote does not. The caller holds s.mu.
func (s *Source) sync(ctx context.Context) (plumbing.Hash, error) {
	h, err := s.fetch(ctx)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if err := s.checkout(h); err != nil {
		return plumbing.ZeroHash, err
	}
	return h, nil
}

// checkout moves the local branch and the files of the clone to commit h.
// The caller holds s.mu.
func (s *Source) checkout(h plumbing.Hash) error {
	w, err := s.repo.Worktree()
	if err != nil {
		return err
	}
	if err := w.Reset(&git.ResetOptions{Commit: h, Mode: git.HardReset}); err != nil {
		return fmt.Errorf("check out commit %s: %w", h, err)
	}
	s.head = h
	return nil
}

// Load fetches the branch, checks out its head and loads the knowledge
// file of that commit. It is the bot's Loader: a fetch that fails, or a
// file with errors, fails the reload and the base serving keeps serving;
// the new base shares with it what it holds the same (see
// bot.Loading.LoadReplacing).
func (s *Source) Load(ctx context.Context, serving *bot.Base) (*bot.Base, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.sync(ctx); err != nil {
		return nil, err
	}
	return s.load(s.opts.Loading.Reloading(), serving)
}

// load loads the knowledge file checked out as l says, replacing serving
// (nil for none), and remembers its commit. The caller holds s.mu.
func (s *Source) load(l bot.Loading, serving *bot.Base) (*bot.Base, error) {
	kb, err := l.LoadReplacing(s.File(), serving)
	if err != nil {
		return nil, fmt.Errorf("commit %s: %w", short(s.head), err)
	}
	s.loadedMu.Lock()
	defer s.loadedMu.Unlock()
	s.loaded = append(s.loaded, loadedBase{kb: kb, commit: s.head})
	if len(s.loaded) > maxLoaded {
		s.loaded = s.loaded[len(s.loaded)-maxLoaded:]
	}
	return kb, nil
}

// LoadCheckedOut loads the knowledge file of the commit checked out,
// without fetching: what Open found, for the first base served.
func (s *Source) LoadCheckedOut() (*bot.Base, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.load(s.opts.Loading, nil)
}

// Commit returns the commit that kb was loaded from, or "" when this Source
// did not load it.
func (s *Source) Commit(kb *bot.Base) string {
	s.loadedMu.Lock()
	defer s.loadedMu.Unlock()
	for i := len(s.loaded) - 1; i >= 0; i-- {
		if s.loaded[i].kb == kb {
			return s.loaded[i].commit.String()
		}
	}
	return ""
}

// moved fetches the branch and reports whether its head differs from the
// commit checked out.
func (s *Source) moved(ctx context.Context) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	h, err := s.fetch(ctx)
	if err != nil {
		return false, err
	}
	return h != s.head, nil
}

// maxBackoff is the longest wait between two fetches while they fail,
// unless the poll interval itself is longer.
const maxBackoff = 10 * time.Minute

// Follow fetches the branch every interval until ctx is done and calls
// reload when its head has moved. While fetches fail, the knowledge base
// serving keeps serving: the first failure is logged as a warning, the
// next ones at debug level, and the wait between two tries doubles up to
// ten minutes; the first fetch that works again is logged too.
func (s *Source) Follow(ctx context.Context, every time.Duration, reload func(ctx context.Context)) {
	wait := every
	failing := 0
	t := time.NewTimer(wait)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		moved, err := s.moved(ctx)
		switch {
		case err != nil && ctx.Err() != nil:
			return
		case err != nil:
			failing++
			wait = min(2*wait, max(maxBackoff, every))
			if failing == 1 {
				s.log.Warn("cannot fetch the knowledge repository; the knowledge base serving keeps serving, and fetches are retried with backoff",
					"url", s.opts.URL, "branch", s.opts.Branch, "commit", s.Head(), "error", err)
			} else {
				s.log.Debug("the knowledge repository still cannot be fetched", "tries", failing, "next_in", wait, "error", err)
			}
		default:
			if failing > 0 {
				s.log.Info("the knowledge repository can be fetched again", "url", s.opts.URL, "failed_tries", failing)
			}
			failing, wait = 0, every
			if moved {
				reload(ctx)
			}
		}
		t.Reset(wait)
	}
}

// short abbreviates a commit hash for messages.
func short(h plumbing.Hash) string { return h.String()[:12] }

// maxPushTries is how many times Publish builds its commit on the head of
// the branch and pushes it when others keep pushing in between.
const maxPushTries = 5

var _ bot.Publisher = (*Source)(nil)

// Publish fetches the branch, applies edit to the knowledge file of its
// head, checks the result with the same loader as a reload, commits it
// with the change's author and message, and pushes it. With a PushBranch
// of its own, the commit is built on that branch's head (on the serving
// branch's while it does not exist) and pushed there, for a person to
// merge. A push that the remote refuses because the branch moved is built
// again on the new head, never forced. When edit, the check or the push
// fails, nothing is pushed and the clone is left at the serving branch's
// head.
func (s *Source) Publish(ctx context.Context, c bot.Change, edit func(file string) error) (bot.Published, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	target := s.opts.PushBranch
	if target == "" {
		target = s.opts.Branch
	}
	for try := 1; ; try++ {
		serving, err := s.sync(ctx)
		if err != nil {
			return bot.Published{}, err
		}
		base, err := s.pushBase(ctx, target, serving)
		if err == nil && base != serving {
			err = s.checkout(base)
		}
		var commit plumbing.Hash
		if err == nil {
			commit, err = s.commit(c, edit)
		}
		if err != nil {
			s.checkout(serving)
			return bot.Published{}, err
		}
		err = s.repo.PushContext(ctx, &git.PushOptions{
			RemoteName: remote,
			Auth:       s.opts.Auth,
			RefSpecs:   []gitconfig.RefSpec{gitconfig.RefSpec("refs/heads/" + s.opts.Branch + ":refs/heads/" + target)},
		})
		if err == nil {
			p := bot.Published{ID: commit.String(), Author: c.Author, Time: time.Now(), Summary: c.Summary}
			if target == s.opts.Branch {
				s.head = commit
			} else {
				s.checkout(serving)
				p.Note = fmt.Sprintf("It is on branch %s and serves once a person merges it into %s.", target, s.opts.Branch)
			}
			return p, nil
		}
		now, ferr := s.pushBase(ctx, target, serving)
		s.checkout(serving)
		if ferr != nil || now == base || try == maxPushTries {
			if try == maxPushTries {
				return bot.Published{}, fmt.Errorf("push to branch %s of %s: the branch moved at each of %d tries: %w", target, s.opts.URL, try, err)
			}
			return bot.Published{}, fmt.Errorf("push to branch %s of %s: %w", target, s.opts.URL, err)
		}
		s.log.Info("the branch moved while an edit was pushed; building it again on the new head", "branch", target, "try", try)
	}
}

// pushBase returns the commit an edit pushed to target builds on: the head
// of target, or serving when target is the serving branch or does not
// exist yet. The caller holds s.mu.
func (s *Source) pushBase(ctx context.Context, target string, serving plumbing.Hash) (plumbing.Hash, error) {
	if target == s.opts.Branch {
		return s.fetch(ctx)
	}
	h, err := s.fetchBranch(ctx, target)
	if errors.Is(err, git.NoMatchingRefSpecError{}) {
		return serving, nil
	}
	return h, err
}

// commit applies edit to the knowledge file checked out, checks the
// result and commits it. The caller holds s.mu.
func (s *Source) commit(c bot.Change, edit func(file string) error) (plumbing.Hash, error) {
	if err := edit(s.File()); err != nil {
		return plumbing.ZeroHash, err
	}
	if _, err := s.opts.Loading.Reloading().Load(s.File()); err != nil {
		return plumbing.ZeroHash, fmt.Errorf("the edited file does not pass the check, so nothing was pushed: %w", err)
	}
	w, err := s.repo.Worktree()
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if _, err := w.Add(s.opts.Path); err != nil {
		return plumbing.ZeroHash, fmt.Errorf("stage %s: %w", s.opts.Path, err)
	}
	now := time.Now()
	h, err := w.Commit(c.Summary+"\n\n"+c.Why+"\n", &git.CommitOptions{
		Author:    &object.Signature{Name: c.Author, Email: c.AuthorID, When: now},
		Committer: &object.Signature{Name: "faqbot", Email: "faqbot", When: now},
	})
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("commit: %w", err)
	}
	return h, nil
}

// History returns the latest commits of the branch that change the
// knowledge file, the newest first, at most n of them. It fetches first;
// when the fetch fails it reads the clone.
func (s *Source) History(ctx context.Context, n int) ([]bot.Published, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	from, err := s.fetch(ctx)
	if err != nil {
		from = s.head
	}
	file := s.opts.Path
	iter, err := s.repo.Log(&git.LogOptions{From: from, FileName: &file})
	if err != nil {
		return nil, fmt.Errorf("read the history of %s: %w", file, err)
	}
	defer iter.Close()
	var out []bot.Published
	for len(out) < n {
		c, err := iter.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read the history of %s: %w", file, err)
		}
		summary, _, _ := strings.Cut(c.Message, "\n")
		out = append(out, bot.Published{ID: c.Hash.String(), Author: c.Author.Name, Time: c.Author.When, Summary: summary})
	}
	return out, nil
}
