package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/go-git/go-git/v5/plumbing/transport"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"
	gitssh "github.com/go-git/go-git/v5/plumbing/transport/ssh"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/config"
	"github.com/faqbot/faqbot/gitsource"
)

// cloneTimeout bounds the clone or fetch a command makes before it starts.
const cloneTimeout = 2 * time.Minute

// openGitSource clones or fetches the repository that knowledge.git
// names.
func openGitSource(cfg *config.Config, log *slog.Logger) (*gitsource.Source, error) {
	g := cfg.Source.Git
	auth, err := gitAuth(g.Auth)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), cloneTimeout)
	defer cancel()
	return gitsource.Open(ctx, gitsource.Options{
		URL: g.URL, Branch: g.Branch, PushBranch: g.PushBranch, Path: g.Path, Dir: g.Dir, Auth: auth,
		Logger: log.With("component", "git"), Loading: loading(cfg, log),
	})
}

// gitAuth returns the transport authentication the config asks for, or
// nil for none.
func gitAuth(a config.GitAuth) (transport.AuthMethod, error) {
	switch {
	case a.SSHKeyFile != "":
		user := a.Username
		if user == "" {
			user = "git"
		}
		keys, err := gitssh.NewPublicKeysFromFile(user, a.SSHKeyFile, "")
		if err != nil {
			return nil, fmt.Errorf("knowledge.git.auth.ssh_key_file: %w", err)
		}
		return keys, nil
	case a.PasswordValue() != "":
		user := a.Username
		if user == "" {
			user = "git"
		}
		return &githttp.BasicAuth{Username: user, Password: a.PasswordValue()}, nil
	}
	return nil, nil
}

// withSource makes opts reload from src, fetching the branch first, name
// the commit each knowledge base came from, and commit edits from chat to
// the branch. A nil src leaves opts as they are.
func withSource(opts bot.Options, src *gitsource.Source) bot.Options {
	if src == nil {
		return opts
	}
	opts.Load = src.Load
	opts.Version = src.Commit
	opts.Publisher = src
	return opts
}

// followSource fetches the branch every knowledge.git.poll until ctx is
// done and reloads b when it moves. It returns at once without a source
// or a poll interval.
func followSource(ctx context.Context, cfg *config.Config, src *gitsource.Source, b *bot.Bot, log *slog.Logger) {
	if src == nil || cfg.Source.Git.Poll <= 0 {
		return
	}
	src.Follow(ctx, cfg.Source.Git.Poll, func(ctx context.Context) {
		if _, err := b.Reload(ctx, "git"); err != nil {
			log.Error("reload on a new commit of the knowledge repository failed", "commit", src.Head(), "error", err)
		}
	})
}
