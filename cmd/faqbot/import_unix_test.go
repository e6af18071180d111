//go:build unix

package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestImportWritesThroughWhatIsNoFile imports to a named pipe (as to
// /dev/null or /dev/stdout) and, with --force, to a symbolic link: the
// pipe is written to and stays a pipe, and the link stays a link to the
// file it named, which holds the import. Renaming the import over them
// replaced both, and, run as root, "-o /dev/null --force" replaced the
// machine's /dev/null with a file.
func TestImportWritesThroughWhatIsNoFile(t *testing.T) {
	dir := t.TempDir()
	doc := filepath.Join(dir, "doc.md")
	if err := os.WriteFile(doc, []byte("Q: Where is the shop?\nA: On the high street.\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	pipe := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(pipe, 0o600); err != nil {
		t.Fatal(err)
	}
	read := make(chan string, 1)
	go func() {
		f, err := os.Open(pipe)
		if err != nil {
			read <- err.Error()
			return
		}
		defer f.Close()
		b, _ := io.ReadAll(f)
		read <- string(b)
	}()
	if code, _, stderr := faqbot(t, "", "import", doc, "-o", pipe); code != 0 {
		t.Fatalf("import -o a named pipe: exit %d: %s", code, stderr)
	}
	if got := <-read; !strings.Contains(got, "id: shop\n") {
		t.Errorf("read from the pipe:\n%s", got)
	}
	if st, err := os.Lstat(pipe); err != nil || st.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the named pipe is now %v (%v)", st.Mode(), err)
	}

	target, link := filepath.Join(dir, "kb.yaml"), filepath.Join(dir, "link.yaml")
	if err := os.WriteFile(target, []byte("version: 1\nentries: []\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := faqbot(t, "", "import", doc, "-o", link, "--force"); code != 0 {
		t.Fatalf("import -o a link --force: exit %d: %s", code, stderr)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link is now %v (%v)", st.Mode(), err)
	}
	if b, err := os.ReadFile(target); err != nil || !strings.Contains(string(b), "id: shop\n") {
		t.Errorf("the file the link names holds:\n%s (%v)", b, err)
	}

	if code, _, stderr := faqbot(t, "", "import", doc, "-o", dir, "--force"); code != 2 || !strings.Contains(stderr, "is a folder: name a file to write") {
		t.Errorf("import -o a folder: exit %d: %s", code, stderr)
	}
}
