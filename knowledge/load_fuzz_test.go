package knowledge

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzLoad checks that the loader never panics and that it either returns
// Errors, every one with a message, or a base whose entries pass the checks;
// and that YAML read an entry at a time gives what it gives read whole.
// Its seed corpus is every file in testdata/load (and testdata/fuzz/FuzzLoad,
// which go test replays too).
func FuzzLoad(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "load", "*.*"))
	for _, name := range files {
		if filepath.Ext(name) == ".err" {
			continue
		}
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(filepath.Ext(name) == ".json", data)
	}
	f.Fuzz(func(t *testing.T, isJSON bool, data []byte) {
		name := "fuzz.yaml"
		if isJSON {
			name = "fuzz.json"
		}
		if !isJSON {
			checkBothWays(t, name, data)
		}
		b, err := Parse(name, data)
		if err != nil {
			var errs Errors
			if errors.As(err, &errs) {
				if len(errs) == 0 {
					t.Fatal("empty Errors")
				}
				for _, p := range errs {
					if p.Message == "" || p.File != name {
						t.Fatalf("bad problem %#v", p)
					}
				}
			}
			return
		}
		if len(b.Entries) == 0 || len(b.Entries) > MaxEntries {
			t.Fatalf("loaded %d entries", len(b.Entries))
		}
		ids := map[string]bool{}
		for _, e := range b.Entries {
			if CheckID(e.ID) != "" || ids[e.ID] || e.Question == "" || e.Answer == "" {
				t.Fatalf("bad entry %#v", e)
			}
			ids[e.ID] = true
		}
		for _, e := range b.Entries {
			for _, r := range e.Related {
				if !ids[r] {
					t.Fatalf("entry %q: related %q does not exist", e.ID, r)
				}
			}
		}
	})
}
