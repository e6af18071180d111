package config

import (
	"os"
	"path/filepath"
	"testing"
)

func TestStoreAndReload(t *testing.T) {
	t.Setenv("FAQBOT_TEST_DSN", "postgres://faqbot:secret@127.0.0.1:5432/faqbot")
	dir := t.TempDir()
	dsnFile := filepath.Join(dir, "dsn")
	os.WriteFile(dsnFile, []byte("postgres://from-file@127.0.0.1/faqbot\n"), 0o600)
	for _, tc := range []struct {
		name, yaml string
		want       Store
		wantDSN    string
		reload     Reload
	}{
		{"defaults", "knowledge: faq.yaml\n",
			Store{Driver: "sqlite", Path: filepath.Join(dir, "data", "faqbot.db"), RetentionDays: 90}, "",
			Reload{MinAccuracy: 0.9}},
		{"sqlite, absolute path, kept for ever", "knowledge: faq.yaml\nstore: {path: /var/lib/faqbot/state.db, retention_days: 0}\n",
			Store{Driver: "sqlite", Path: "/var/lib/faqbot/state.db"}, "", Reload{MinAccuracy: 0.9}},
		{"postgres from the environment", "knowledge: faq.yaml\nstore: {driver: postgres, dsn: \"${FAQBOT_TEST_DSN}\"}\n",
			Store{Driver: "postgres", Path: filepath.Join(dir, "data", "faqbot.db"), RetentionDays: 90}, "postgres://faqbot:secret@127.0.0.1:5432/faqbot", Reload{MinAccuracy: 0.9}},
		{"postgres from a file", "knowledge: faq.yaml\nstore: {driver: postgres, dsn_file: " + dsnFile + "}\n",
			Store{Driver: "postgres", Path: filepath.Join(dir, "data", "faqbot.db"), DSNFile: dsnFile, RetentionDays: 90}, "postgres://from-file@127.0.0.1/faqbot", Reload{MinAccuracy: 0.9}},
		{"gate and watch", "knowledge: faq.yaml\nstore: {driver: none}\nreload: {watch: true, require_cases: eval/cases.jsonl, min_accuracy: 0.75}\n",
			Store{Driver: "none", Path: filepath.Join(dir, "data", "faqbot.db"), RetentionDays: 90}, "",
			Reload{Watch: true, RequireCases: filepath.Join(dir, "eval", "cases.jsonl"), MinAccuracy: 0.75}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Parse(filepath.Join(dir, "config.yaml"), []byte(tc.yaml))
			if err != nil {
				t.Fatal(err)
			}
			got := c.Store
			got.DSN, got.dsn = Secret{}, ""
			if got != tc.want {
				t.Errorf("store = %+v, want %+v", got, tc.want)
			}
			if c.Store.DSNValue() != tc.wantDSN {
				t.Errorf("DSNValue = %q, want %q", c.Store.DSNValue(), tc.wantDSN)
			}
			if c.Reload != tc.reload {
				t.Errorf("reload = %+v, want %+v", c.Reload, tc.reload)
			}
		})
	}
}
