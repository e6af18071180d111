package config

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestKnowledgeSource(t *testing.T) {
	t.Setenv("FAQBOT_TEST_GIT_TOKEN", "ghp_secret")
	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "token")
	os.WriteFile(tokenFile, []byte("from-file\n"), 0o600)
	for _, tc := range []struct {
		name, yaml string
		knowledge  string
		git        *Git
		password   string
	}{
		{"a path", "knowledge: faq.yaml\n", filepath.Join(dir, "faq.yaml"), nil, ""},
		{"a file key", "knowledge: {file: kb/faq.yaml}\n", filepath.Join(dir, "kb", "faq.yaml"), nil, ""},
		{"git with defaults", "knowledge:\n  git: {url: https://example.com/faq.git, path: docs/faq.yaml}\n",
			filepath.Join(dir, "data", "knowledge", "docs", "faq.yaml"),
			&Git{URL: "https://example.com/faq.git", Branch: "main", Path: "docs/faq.yaml", Dir: filepath.Join(dir, "data", "knowledge"), Poll: time.Minute}, ""},
		{"git with a token", "knowledge:\n  git:\n    url: https://example.com/faq.git\n    branch: faq\n    push_branch: faq-review\n    path: faq.yaml\n    dir: /var/lib/faqbot/clone\n    poll: 30s\n    auth: {username: bot, password: \"${FAQBOT_TEST_GIT_TOKEN}\"}\n",
			filepath.Join("/var/lib/faqbot/clone", "faq.yaml"),
			&Git{URL: "https://example.com/faq.git", Branch: "faq", PushBranch: "faq-review", Path: "faq.yaml", Dir: "/var/lib/faqbot/clone", Poll: 30 * time.Second, Auth: GitAuth{Username: "bot"}}, "ghp_secret"},
		{"git with a token file and an ssh key", "knowledge:\n  git: {url: git@example.com:faq.git, path: faq.yaml, poll: 0s, auth: {ssh_key_file: keys/id_ed25519}}\n",
			filepath.Join(dir, "data", "knowledge", "faq.yaml"),
			&Git{URL: "git@example.com:faq.git", Branch: "main", Path: "faq.yaml", Dir: filepath.Join(dir, "data", "knowledge"), Auth: GitAuth{SSHKeyFile: filepath.Join(dir, "keys", "id_ed25519")}}, ""},
		{"git with a password file", "knowledge:\n  git: {url: https://example.com/faq.git, path: faq.yaml, auth: {password_file: " + tokenFile + "}}\n",
			filepath.Join(dir, "data", "knowledge", "faq.yaml"),
			&Git{URL: "https://example.com/faq.git", Branch: "main", Path: "faq.yaml", Dir: filepath.Join(dir, "data", "knowledge"), Poll: time.Minute, Auth: GitAuth{PasswordFile: tokenFile}}, "from-file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Parse(filepath.Join(dir, "config.yaml"), []byte(tc.yaml))
			if err != nil {
				t.Fatal(err)
			}
			if c.Knowledge != tc.knowledge {
				t.Errorf("Knowledge = %q, want %q", c.Knowledge, tc.knowledge)
			}
			if (c.Source.Git == nil) != (tc.git == nil) {
				t.Fatalf("git = %+v, want %+v", c.Source.Git, tc.git)
			}
			if tc.git == nil {
				return
			}
			got := *c.Source.Git
			if got.Auth.PasswordValue() != tc.password {
				t.Errorf("password = %q, want %q", got.Auth.PasswordValue(), tc.password)
			}
			got.Auth.Password, got.Auth.password = Secret{}, ""
			if got != *tc.git {
				t.Errorf("git = %+v, want %+v", got, *tc.git)
			}
		})
	}
}
