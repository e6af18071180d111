package knowledge

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeFiles writes files, by path under dir, and makes links, by path
// under dir to the target they name.
func writeFiles(t *testing.T, dir string, files, links map[string]string) {
	t.Helper()
	for name, text := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name, target := range links {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, path); err != nil {
			t.Skipf("cannot make a symbolic link: %v", err)
		}
	}
}

// TestLoadFolderSymlinks loads folders that hold symbolic links: a link
// counts the size of the file it names against the limit, and a link
// that leads nowhere is reported with the problems of the other files,
// which are checked still.
func TestLoadFolderSymlinks(t *testing.T) {
	const entry = "  - id: e%d\n    question: Is %d a number?\n    answer: Yes, %d is one.\n"
	var big strings.Builder
	big.WriteString("version: 1\nentries:\n")
	for i := range 2000 {
		fmt.Fprintf(&big, entry, i, i, i)
	}
	const small = "version: 1\nentries:\n  - id: a\n    question: Why?\n    answer: Because.\n"
	const limit = 32 << 10
	if big.Len() <= limit {
		t.Fatalf("the linked file is %d bytes, within the limit", big.Len())
	}
	for _, tc := range []struct {
		name         string
		files, links map[string]string
		want         string // {dir} stands for the folder
	}{{
		name:  "a link to a file past the limit",
		files: map[string]string{"kb/a.yaml": small, "outside/big.yaml": big.String()},
		links: map[string]string{"kb/big.yaml": "../outside/big.yaml"},
		want:  fmt.Sprintf("{dir}: the folder's 2 knowledge files are %d bytes together; the limit is %d bytes (0 MiB): raise limits.knowledge_mb in the config", len(small)+big.Len(), limit),
	}, {
		name:  "a link that leads nowhere",
		files: map[string]string{"kb/a.yaml": "version: 1\nentries:\n  - id: a\n    question: Why?\n    answr: Because.\n", "kb/sub/z.yaml": "version: 1\nentries:\n  - id: z\n    question: How?\n    answer: So.\n    related: [b]\n"},
		links: map[string]string{"kb/sub/dangling.yaml": "missing.yaml"},
		want: strings.Join([]string{
			`{dir}/a.yaml:3:5: entry "a": "answer" is required`,
			`{dir}/a.yaml:5:5: entry "a": unknown key "answr"; did you mean "answer"?`,
			`{dir}/sub/dangling.yaml: a symbolic link to missing.yaml, which does not exist: remove the link, or put back the file it names`,
			`{dir}/sub/z.yaml:6:15: entry "z": related id "b" does not exist`,
		}, "\n"),
	}} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			writeFiles(t, root, tc.files, tc.links)
			dir := filepath.Join(root, "kb")
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			_, err := LoadLimit(dir, limit)
			want := strings.ReplaceAll(tc.want, "{dir}", dir)
			if err == nil || err.Error() != want {
				t.Errorf("LoadLimit(folder) = %v\nwant %s", err, want)
			}
		})
	}
}

// TestLoadLinkedFolder loads a knowledge folder through a symbolic link to
// it, as a link to a shared folder or a Kubernetes ConfigMap's "..data"
// is: its files load as they do through the folder's own name, and are
// named through the link.
func TestLoadLinkedFolder(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"shared/a.yaml":     "version: 1\nentries:\n  - id: a\n    question: Why?\n    answer: Because.\n",
		"shared/sub/b.yaml": "version: 1\nentries:\n  - id: b\n    question: How?\n    answer: So.\n",
	}, map[string]string{"kb": "shared"})
	f, err := Load(filepath.Join(root, "kb"))
	if err != nil {
		t.Fatalf("Load(a link to a folder): %v", err)
	}
	if len(f.Entries) != 2 || f.Entries[0].ID != "a" || f.Entries[1].ID != "b" {
		t.Errorf("entries %+v, want a and b", f.Entries)
	}
	broken := "version: 1\nentries:\n  - id: c\n    question: Who?\n"
	if err := os.WriteFile(filepath.Join(root, "shared", "c.yaml"), []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(root, "kb", "c.yaml") + `:3:5: entry "c": "answer" is required`
	if _, err := Load(filepath.Join(root, "kb")); err == nil || err.Error() != want {
		t.Errorf("Load(a link to a folder with a broken file) = %v\nwant %s", err, want)
	}
}
