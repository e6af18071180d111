package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestShippedConfigLoads(t *testing.T) {
	c, err := Load("../config.yaml")
	if err != nil {
		t.Fatalf("the shipped config.yaml does not load:\n%v", err)
	}
	if want := filepath.Join("..", "knowledge", "faq.yaml"); c.Knowledge != want {
		t.Errorf("knowledge = %q, want %q", c.Knowledge, want)
	}
	if c.Slack.Enabled || c.Discord.Enabled {
		t.Errorf("platforms must be off as shipped: slack %v, discord %v", c.Slack.Enabled, c.Discord.Enabled)
	}
}

// TestBadConfigs loads each testdata/bad/*.yaml and compares the error with
// the .err file beside it.
func TestBadConfigs(t *testing.T) {
	t.Setenv("FAQBOT_TEST_EMPTY", "")
	files, err := filepath.Glob("testdata/bad/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			want, err := os.ReadFile(strings.TrimSuffix(f, ".yaml") + ".err")
			if err != nil {
				t.Fatal(err)
			}
			_, err = Load(f)
			if err == nil {
				t.Fatal("loaded without error")
			}
			if got := err.Error(); got != strings.TrimSpace(string(want)) {
				t.Errorf("error:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

func TestSecretNeverPrints(t *testing.T) {
	t.Setenv("FAQBOT_TEST_TOKEN", "xoxb-very-secret")
	dir := t.TempDir()
	path := filepath.Join(dir, "c.yaml")
	if err := os.WriteFile(path, []byte("knowledge: kb.yaml\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var s Secret
	if err := s.UnmarshalYAML(scalar("${FAQBOT_TEST_TOKEN}")); err != nil {
		t.Fatal(err)
	}
	if s.Value() != "xoxb-very-secret" {
		t.Fatalf("value = %q", s.Value())
	}
	for _, shown := range []string{s.String(), s.LogValue().String()} {
		if strings.Contains(shown, "very-secret") {
			t.Errorf("secret leaked: %q", shown)
		}
	}
}
