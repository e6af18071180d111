package store

import (
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/faqbot/faqbot/knowledge/match"
)

// TestDatabaseFileDeletedOrReplaced deletes or replaces the SQLite file
// under an open Store, as `rm data/faqbot.db*` or a restore from a backup
// would: the Store reports itself down until it has the file at the path
// open, says so in one ERROR line, counts it, and writes the records made
// afterwards into the file at the path, where a Store opened later finds
// them.
func TestDatabaseFileDeletedOrReplaced(t *testing.T) {
	tests := []struct {
		name string
		// change deletes or replaces the file at path, and returns the
		// hash of user U1 in the file put there, or "" for none.
		change func(t *testing.T, path string) string
		err    string
		// want is what the file at the path holds afterwards; moved,
		// what the file moved away holds, if one was.
		want, moved []string
	}{
		{
			name:   "deleted with its -wal and -shm",
			change: func(t *testing.T, path string) string { removeDatabase(t, path, "", "-wal", "-shm"); return "" },
			err:    "the state database file PATH was deleted while open",
			want:   []string{"after"},
		},
		{
			// The -wal left holds pages of the old file, which must
			// not be taken into the new one.
			name:   "deleted alone, its -wal and -shm left",
			change: func(t *testing.T, path string) string { removeDatabase(t, path, ""); return "" },
			err:    "the state database file PATH was deleted while open",
			want:   []string{"after"},
		},
		{
			name: "deleted with its folder",
			change: func(t *testing.T, path string) string {
				if err := os.RemoveAll(filepath.Dir(path)); err != nil {
					t.Fatal(err)
				}
				return ""
			},
			err:  "the state database file PATH was deleted while open",
			want: []string{"after"},
		},
		{
			name: "moved away and replaced by a backup",
			change: func(t *testing.T, path string) string {
				backup := fresh(t, SQLite)
				b := open(t, backup)
				b.RecordQuestion(context.Background(), asked(time.Now(), "restored", "U1", match.Unknown, "", ""))
				hash := b.HashUser("slack", "U1")
				if err := b.Close(); err != nil {
					t.Fatal(err)
				}
				if err := os.Rename(path, path+".moved"); err != nil {
					t.Fatal(err)
				}
				if err := os.Rename(backup.Path, path); err != nil {
					t.Fatal(err)
				}
				return hash
			},
			err:   "the state database file PATH was replaced by another file while open",
			want:  []string{"after", "restored"},
			moved: []string{"before"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opts := fresh(t, SQLite)
			var logs syncBuffer
			var mu sync.Mutex
			ops := map[string]int{}
			s := open(t, opts, func(o *Options) {
				o.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelError}))
				o.OnError = func(op string) { mu.Lock(); ops[op]++; mu.Unlock() }
			})
			ctx := context.Background()
			s.RecordQuestion(ctx, asked(time.Now(), "before", "U1", match.Unknown, "", ""))
			flush(t, s)
			before := s.HashUser("slack", "U1")
			// A connection in use holds the reopening until it is
			// released, so that the Store is seen down meanwhile.
			conn, err := s.db().Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			hash := tc.change(t, opts.Path)
			wantErr := strings.ReplaceAll(tc.err, "PATH", opts.Path)

			s.RecordQuestion(ctx, asked(time.Now(), "after", "U1", match.Unknown, "", ""))
			h := s.Health()
			if h.Up || h.Err == nil || h.Err.Error() != wantErr || h.Reopens != 1 {
				t.Errorf("Health = %+v while the old file is open; want down with %q and 1 reopen", h, wantErr)
			}
			conn.Close()
			flush(t, s)
			waitHealth(t, s, "the file at the path open", func(h Health) bool { return h.Up })
			if got := s.Health().Reopens; got != 1 {
				t.Errorf("Reopens = %d, want 1", got)
			}
			if after := s.HashUser("slack", "U1"); hash != "" && after != hash || hash == "" && after == before {
				t.Errorf("hash of a user %s after reopening; want the one of the file at the path (%q), not the old file's %s", after, hash, before)
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			if s.Errors() != 0 {
				t.Errorf("Errors = %d, want 0: no record lost", s.Errors())
			}

			if got := questionTexts(t, opts.Path); !slices.Equal(got, tc.want) {
				t.Errorf("questions in the file at the path: %q, want %q", got, tc.want)
			}
			if tc.moved != nil {
				if got := questionTexts(t, opts.Path+".moved"); !slices.Equal(got, tc.moved) {
					t.Errorf("questions in the file moved away: %q, want %q", got, tc.moved)
				}
			}
			lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
			if len(lines) != 1 || !strings.Contains(lines[0], "level=ERROR") || !strings.Contains(lines[0], wantErr+";") {
				t.Errorf("logged %q; want one ERROR line saying %q", lines, wantErr)
			}
			mu.Lock()
			if len(ops) != 1 || ops["reopen"] != 1 {
				t.Errorf("OnError got %v, want reopen once", ops)
			}
			mu.Unlock()
		})
	}
}

// TestDatabaseFileCheckedWhileIdle deletes the SQLite file under a Store
// that writes nothing and is not asked its Health: the periodic check
// notices, and makes the file anew with the schema.
func TestDatabaseFileCheckedWhileIdle(t *testing.T) {
	opts := fresh(t, SQLite)
	s := open(t, opts, func(o *Options) { o.CheckEvery = 10 * time.Millisecond })
	removeDatabase(t, opts.Path, "", "-wal", "-shm")
	deadline := time.Now().Add(time.Minute)
	for s.reopens.Load() == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the deleted file not noticed within a minute")
		}
		time.Sleep(10 * time.Millisecond)
	}
	waitHealth(t, s, "the new file open", func(h Health) bool { return h.Up })
	v, err := s.SchemaVersion(context.Background())
	if err != nil || v != len(migrations()) {
		t.Errorf("SchemaVersion of the new file = %d, %v; want %d", v, err, len(migrations()))
	}
	if _, err := os.Stat(opts.Path); err != nil {
		t.Errorf("no file at the path: %v", err)
	}
	if got := s.Health().Reopens; got != 1 {
		t.Errorf("Reopens = %d, want 1", got)
	}
}

// removeDatabase deletes the files of the SQLite database at path whose
// names end with suffixes: "" for the database, -wal and -shm.
func removeDatabase(t *testing.T, path string, suffixes ...string) {
	t.Helper()
	for _, suffix := range suffixes {
		if err := os.Remove(path + suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
			t.Fatal(err)
		}
	}
}

// questionTexts opens the SQLite database at path and returns the texts
// of its questions, sorted.
func questionTexts(t *testing.T, path string) []string {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
	s := open(t, Options{Driver: SQLite, Path: path})
	qs, err := s.Questions(context.Background(), time.Now().Add(-time.Hour), 100)
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, q := range qs {
		texts = append(texts, q.Text)
	}
	slices.Sort(texts)
	s.Close()
	return texts
}
