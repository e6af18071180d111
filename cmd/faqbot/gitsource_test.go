package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/faqbot/faqbot/bot/slack/slackfake"
	"github.com/faqbot/faqbot/gitsource/gitsourcetest"
)

// gitRun is one in-process "faqbot run" serving Slack Socket Mode from a
// clone of a git repository of its own.
type gitRun struct {
	addr string
	logs *runLogs
}

// startGitRun starts "faqbot run" following branch main of url, polling
// every second, and stops it when the test ends.
func startGitRun(t *testing.T, url string) *gitRun {
	t.Helper()
	fake := slackfake.New(t)
	dir := t.TempDir()
	for name, v := range map[string]string{"bot": slackfake.BotToken, "app": slackfake.AppToken} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(v), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cfg := fmt.Sprintf(`knowledge:
  git: {url: %s, branch: main, path: faq.yaml, dir: clone, poll: 1s}
store: {driver: none}
log: {format: json, level: debug}
slack:
  enabled: true
  bot_token_file: %s
  app_token_file: %s
  api_url: %s
http:
  listen: 127.0.0.1:0
`, url, filepath.Join(dir, "bot"), filepath.Join(dir, "app"), fake.URL())
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	logs, addr, _ := startRun(t, path)
	return &gitRun{addr: addr, logs: logs}
}

// serves waits until the run's /readyz and /metrics name commit.
func (r *gitRun) serves(t *testing.T, commit string) {
	t.Helper()
	deadline := time.Now().Add(runWait)
	for {
		_, ready := get(t, "http://"+r.addr+"/readyz")
		_, metrics := get(t, "http://"+r.addr+"/metrics")
		if strings.Contains(ready, "ok knowledge: ") && strings.Contains(ready, ", version "+commit+"\n") &&
			strings.Contains(metrics, `faqbot_knowledge_version_info{version="`+commit+`"} 1`) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("does not serve commit %s:\n%s\n%s", commit, ready, r.logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestRunFollowsGit runs two "faqbot run" processes following one bare
// repository, as two replicas with no shared volume: both serve its
// commit, and both move to the next one pushed.
func TestRunFollowsGit(t *testing.T) {
	remote, first := gitsourcetest.New(t, "faq.yaml", testKB)
	a, b := startGitRun(t, remote.URL), startGitRun(t, remote.URL)
	a.serves(t, first)
	b.serves(t, first)

	second := remote.Commit(t, "faq.yaml", testChangedKB, "pets, and printer is printing")
	a.serves(t, second)
	b.serves(t, second)
	a.logs.wait(t, `"msg":"reloaded","by":"git"`)
}

// TestCommandsReadTheRepository runs check and chat on a config that
// follows a repository: each clones it and uses the branch's head.
func TestCommandsReadTheRepository(t *testing.T) {
	remote, first := gitsourcetest.New(t, "faq.yaml", testKB)
	dir := t.TempDir()
	config := filepath.Join(dir, "config.yaml")
	os.WriteFile(config, []byte("knowledge:\n  git: {url: "+remote.URL+", path: faq.yaml}\nstore: {driver: none}\n"), 0o644)
	code, out, errs := faqbot(t, "", "check", "--config", config)
	if code != 0 || !strings.HasPrefix(out, "ok: 4 entries") {
		t.Fatalf("check: exit %d\n%s%s", code, out, errs)
	}
	if _, err := os.Stat(filepath.Join(dir, "data", "knowledge", "faq.yaml")); err != nil {
		t.Errorf("no clone in the default folder: %v", err)
	}
	second := remote.Commit(t, "faq.yaml", testChangedKB, "pets")
	code, out, _ = faqbot(t, "/faq help\ncan I bring my dog to work\n", "chat", "--config", config)
	if code != 0 || !strings.Contains(out, "Knowledge base version: "+second) || !strings.Contains(out, "Dogs are welcome on Fridays.") {
		t.Errorf("chat after a push (first commit %s): exit %d\n%s", first, code, out)
	}
}

// TestChatPromoteCommits promotes a question in a terminal chat on a
// config that follows a repository: the phrasing is pushed as a commit
// authored by the person at the terminal.
func TestChatPromoteCommits(t *testing.T) {
	t.Setenv("USER", "ann")
	remote, _ := gitsourcetest.New(t, "faq.yaml", testKB)
	dir := t.TempDir()
	config := filepath.Join(dir, "config.yaml")
	os.WriteFile(config, []byte("knowledge:\n  git: {url: "+remote.URL+", path: faq.yaml}\nmatcher: {threshold: 0.85}\nstore: {path: state.db}\n"), 0o644)
	code, out, errs := faqbot(t, "can I bring my dog to work\n/faq unanswered\n/faq promote 1 to parking\n/faq history\n", "chat", "--config", config)
	log := remote.Log(t)
	if code != 0 || len(log) != 2 || log[0].Author.Name != "ann" || log[0].Author.Email != "console:ann" {
		t.Fatalf("chat: exit %d, remote history %v\n%s%s", code, log, out, errs)
	}
	if !strings.Contains(out, "in commit "+log[0].Hash.String()) || !strings.Contains(out, log[0].Hash.String()[:12]+" ") {
		t.Errorf("chat output does not name commit %s:\n%s", log[0].Hash, out)
	}
}
