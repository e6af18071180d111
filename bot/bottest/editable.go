package bottest

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/store"
)

// Editable returns a bot at threshold 0.5 serving a copy of the knowledge
// file src, headed by header, that reloads from the copy (so that edits
// from chat change the copy only) and keeps its state in a SQLite
// database of its own; and the copy's path.
func Editable(t testing.TB, src, header string) (*bot.Bot, string) {
	t.Helper()
	dir := t.TempDir()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, filepath.Base(src))
	if err := os.WriteFile(path, append([]byte(header), data...), 0o644); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(context.Background(), store.Options{Path: filepath.Join(dir, "faqbot.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	kb, err := bot.LoadBase(path)
	if err != nil {
		t.Fatal(err)
	}
	return bot.New(kb, bot.Options{Threshold: 0.5, Store: st, Recorder: st,
		Load: func(context.Context, *bot.Base) (*bot.Base, error) { return bot.LoadBase(path) }}), path
}
