package knowledge

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestLoadNotRegular loads knowledge paths, and folders holding names,
// that are not regular files: a named pipe, which an open would wait on
// for a writer for ever, and a link to /dev/zero, which never ends. Each
// is refused, naming it, without being opened; in a folder, the other
// files are checked still.
func TestLoadNotRegular(t *testing.T) {
	const good = "version: 1\nentries:\n  - id: a\n    question: Why?\n    answer: Because.\n"
	const bad = "version: 1\nentries:\n  - id: a\n    question: Why?\n"
	for _, tc := range []struct {
		name  string
		files map[string]string
		links map[string]string
		fifos []string
		load  string // under the test's folder
		want  string // {dir} stands for the test's folder
	}{{
		name:  "a named pipe",
		fifos: []string{"pipe.yaml"},
		load:  "pipe.yaml",
		want:  "{dir}/pipe.yaml: a named pipe (FIFO), not a file: knowledge is read from regular files only; name a file, or a folder of them",
	}, {
		name:  "a link to a named pipe",
		fifos: []string{"pipe"},
		links: map[string]string{"kb.yaml": "pipe"},
		load:  "kb.yaml",
		want:  "{dir}/kb.yaml: a symbolic link to pipe, a named pipe (FIFO), not a file: knowledge is read from regular files only; name a file, or a folder of them",
	}, {
		name:  "a link to /dev/zero",
		links: map[string]string{"zero.json": "/dev/zero"},
		load:  "zero.json",
		want:  "{dir}/zero.json: a symbolic link to /dev/zero, a device, not a file: knowledge is read from regular files only; name a file, or a folder of them",
	}, {
		name:  "a named pipe in a folder",
		files: map[string]string{"kb/a.yaml": bad, "kb/c.yaml": strings.NewReplacer("a\n", "c\n", "Why", "How").Replace(good)},
		fifos: []string{"kb/b.yaml"},
		load:  "kb",
		want: strings.Join([]string{
			`{dir}/kb/a.yaml:3:5: entry "a": "answer" is required`,
			"{dir}/kb/b.yaml: a named pipe (FIFO), not a file: knowledge is read from regular files only; remove it from the folder, or rename it so that its name does not end in .yaml, .yml or .json",
		}, "\n"),
	}, {
		name:  "a link to /dev/zero in a folder",
		files: map[string]string{"kb/a.yaml": good},
		links: map[string]string{"kb/zero.yaml": "/dev/zero"},
		load:  "kb",
		want:  "{dir}/kb/zero.yaml: a symbolic link to /dev/zero, a device, not a file: knowledge is read from regular files only; remove it from the folder, or rename it so that its name does not end in .yaml, .yml or .json",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, tc.files, nil)
			for _, name := range tc.fifos {
				if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := syscall.Mkfifo(filepath.Join(dir, name), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			writeFiles(t, dir, nil, tc.links)
			// Before the fix, the named pipe's open never returned: this
			// load then hangs until the test binary's -timeout.
			_, err := LoadLimit(filepath.Join(dir, tc.load), 1<<20)
			want := strings.ReplaceAll(tc.want, "{dir}", dir)
			if err == nil || err.Error() != want {
				t.Errorf("LoadLimit(%s) = %v\nwant %s", tc.load, err, want)
			}
		})
	}
}

// TestAddAlternateToANamedPipe edits a knowledge path that has become a
// named pipe since it was loaded: refused, not waited on.
func TestAddAlternateToANamedPipe(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kb.yaml")
	if err := syscall.Mkfifo(path, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := AddAlternate(path, "a", "How come?")
	want := path + ": a named pipe (FIFO), not a file: knowledge is read from regular files only; edit a regular file"
	if err == nil || err.Error() != want {
		t.Errorf("AddAlternate(named pipe) = %v\nwant %s", err, want)
	}
}
