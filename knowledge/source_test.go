package knowledge

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestLoadReplacingUnchanged loads a file and a folder, changes what is
// at their path (or not), and loads them again replacing the first: only
// the same bytes at the same path give the serving file back, unparsed,
// and any other is said to be changed once (see LoadChanged).
func TestLoadReplacingUnchanged(t *testing.T) {
	full, err := os.ReadFile(filepath.Join("testdata", "load", "good-full.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	general, err := os.ReadFile(filepath.Join("testdata", "folder", "good", "general.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	parking, err := os.ReadFile(filepath.Join("testdata", "folder", "good", "topics", "parking.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	fullJSON, err := os.ReadFile(filepath.Join("testdata", "load", "good-full.json"))
	if err != nil {
		t.Fatal(err)
	}
	write := func(t *testing.T, path string, data []byte) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Each case makes the knowledge at dir (a file "kb.yaml" or "kb.json",
	// or a folder "kb"), returning its path; change alters it after the
	// first load.
	for _, tc := range []struct {
		name         string
		folder, json bool
		change       func(t *testing.T, path string) (newPath string)
		same         bool
	}{
		{"JSON file as it was", false, true, func(_ *testing.T, p string) string { return p }, true},
		{"JSON file with one byte changed", false, true, func(t *testing.T, p string) string {
			write(t, p, []byte(strings.Replace(string(fullJSON), "9 to 5", "9 to 6", 1)))
			return p
		}, false},
		{"file as it was", false, false, func(_ *testing.T, p string) string { return p }, true},
		{"file written again the same", false, false, func(t *testing.T, p string) string {
			write(t, p, full)
			later := time.Now().Add(time.Hour)
			os.Chtimes(p, later, later)
			return p
		}, true},
		{"file with one byte changed", false, false, func(t *testing.T, p string) string {
			write(t, p, []byte(strings.Replace(string(full), "9 to 5", "9 to 6", 1)))
			return p
		}, false},
		{"file written as a flow list, read whole", false, false, func(t *testing.T, p string) string {
			write(t, p, []byte("version: 1\nentries: [{id: a, question: Why not, answer: Because.}]\n"))
			return p
		}, false},
		{"the same bytes at another path", false, false, func(t *testing.T, p string) string {
			other := filepath.Join(filepath.Dir(p), "other.yaml")
			write(t, other, full)
			return other
		}, false},
		{"folder as it was", true, false, func(_ *testing.T, p string) string { return p }, true},
		{"folder with a file changed", true, false, func(t *testing.T, p string) string {
			write(t, filepath.Join(p, "topics", "parking.yaml"), []byte(strings.Replace(string(parking), "?", " today?", 1)))
			return p
		}, false},
		{"folder with a file more", true, false, func(t *testing.T, p string) string {
			write(t, filepath.Join(p, "notes.yaml"), []byte("version: 1\nentries:\n  - id: notes\n    question: Where are the notes?\n    answer: In the drawer.\n"))
			return p
		}, false},
		{"folder with a file renamed", true, false, func(t *testing.T, p string) string {
			if err := os.Rename(filepath.Join(p, "topics"), filepath.Join(p, "more")); err != nil {
				t.Fatal(err)
			}
			return p
		}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "kb.yaml")
			switch {
			case tc.folder:
				path = filepath.Join(dir, "kb")
				write(t, filepath.Join(path, "general.yaml"), general)
				write(t, filepath.Join(path, "topics", "parking.yaml"), parking)
			case tc.json:
				path = filepath.Join(dir, "kb.json")
				write(t, path, fullJSON)
			default:
				write(t, path, full)
			}
			serving, err := LoadReplacing(path, MaxFileSize, nil)
			if err != nil {
				t.Fatal(err)
			}
			path = tc.change(t, path)
			changed, size := 0, int64(-1)
			got, err := LoadChanged(path, MaxFileSize, serving, func(n int64) { changed, size = changed+1, n })
			if err != nil {
				t.Fatal(err)
			}
			if same := got == serving; same != tc.same {
				t.Errorf("the serving file given back: %v, want %v", same, tc.same)
			}
			if want := map[bool]int{true: 0, false: 1}[tc.same]; changed != want {
				t.Errorf("changed called %d times, want %d", changed, want)
			}
			if want := knowledgeSize(t, path); changed > 0 && size != want {
				t.Errorf("changed told a size of %d bytes, want %d", size, want)
			}
			if !tc.same {
				// A file loaded anew is remembered as it is now.
				again, err := LoadReplacing(path, MaxFileSize, got)
				if err != nil {
					t.Fatal(err)
				}
				if again != got {
					t.Error("the file loaded anew is not given back when it is loaded again unchanged")
				}
			}
		})
	}
}

// TestLoadReplacingParsed replaces files that were not loaded from a
// path: they are never taken for the file at one.
func TestLoadReplacingParsed(t *testing.T) {
	path := filepath.Join("testdata", "load", "good-full.yaml")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	serving, err := Parse(path, data)
	if err != nil {
		t.Fatal(err)
	}
	got, err := LoadReplacing(path, MaxFileSize, serving)
	if err != nil {
		t.Fatal(err)
	}
	if got == serving {
		t.Error("a parsed file was given back for the file at its name")
	}
}

// TestLoadReplacingUnchangedWhole replaces files that are read whole, not
// an entry at a time (JSON, and YAML whose entries are a flow list): the
// same bytes give the serving file back, one byte changed a new one.
func TestLoadReplacingUnchangedWhole(t *testing.T) {
	full, err := os.ReadFile(filepath.Join("testdata", "load", "good-full.json"))
	if err != nil {
		t.Fatal(err)
	}
	flow := []byte("version: 1\nentries: [{id: hours, question: \"When are you open?\", answer: \"9 to 5.\"}]\n")
	for _, tc := range []struct{ name, file, data string }{
		{"json", "kb.json", string(full)},
		{"yaml flow list", "kb.yaml", string(flow)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), tc.file)
			if err := os.WriteFile(path, []byte(tc.data), 0o644); err != nil {
				t.Fatal(err)
			}
			serving, err := LoadReplacing(path, MaxFileSize, nil)
			if err != nil {
				t.Fatal(err)
			}
			if got, err := LoadReplacing(path, MaxFileSize, serving); err != nil || got != serving {
				t.Errorf("the same bytes: got the serving file %v (error %v), want it", got == serving, err)
			}
			if err := os.WriteFile(path, []byte(strings.Replace(tc.data, "9 to 5", "9 to 6", 1)), 0o644); err != nil {
				t.Fatal(err)
			}
			if got, err := LoadReplacing(path, MaxFileSize, serving); err != nil || got == serving {
				t.Errorf("one byte changed: got the serving file %v (error %v), want a new one", got == serving, err)
			}
		})
	}
}

// knowledgeSize returns the size of the knowledge file at path, or of a
// folder's knowledge files together.
func knowledgeSize(t *testing.T, path string) int64 {
	t.Helper()
	var size int64
	err := filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !slices.Contains([]string{".yaml", ".yml", ".json"}, filepath.Ext(p)) {
			return err
		}
		info, err := d.Info()
		size += info.Size()
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return size
}
