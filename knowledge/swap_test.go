package knowledge

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestReplaceUnchanged writes an edit over a file that someone saved
// after it was read, as an editor would while /faq promote runs: their
// save is kept and the edit is made on it, with the atomic exchange and
// with the re-read that stands in for it where there is none; and an
// edit their save cannot take leaves their save as it is.
func TestReplaceUnchanged(t *testing.T) {
	noExchange := func(a, b string) error { return errNoExchange }
	appendLine := func(data []byte) ([]byte, error) { return append(bytes.Clone(data), "promoted\n"...), nil }
	refuse := func([]byte) ([]byte, error) { return nil, errors.New("no entry hours") }
	for _, tc := range []struct {
		name string
		swap func(a, b string) error
	}{
		{"atomic exchange", exchange},
		{"re-read before the rename", noExchange},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "faq.yaml")
			read := []byte("version 1\n")
			saved := []byte("version 1\nsaved by the editor\n")
			if err := os.WriteFile(path, saved, 0o600); err != nil {
				t.Fatal(err)
			}
			next, _ := appendLine(read)
			before, after, err := replaceUnchanged(path, read, next, 0o600, appendLine, tc.swap)
			if errors.Is(err, errNoExchange) {
				t.Skip(err)
			}
			if err != nil {
				t.Fatal(err)
			}
			got, _ := os.ReadFile(path)
			if want := "version 1\nsaved by the editor\npromoted\n"; string(got) != want || string(after) != want || !bytes.Equal(before, saved) {
				t.Errorf("file %q, after %q, before %q; want the edit made on the editor's save, %q", got, after, before, want)
			}
			if leftovers, _ := filepath.Glob(filepath.Join(dir, ".*tmp")); len(leftovers) > 0 {
				t.Errorf("temporary files left: %v", leftovers)
			}

			// A save that cannot take the edit stays as saved.
			if err := os.WriteFile(path, saved, 0o600); err != nil {
				t.Fatal(err)
			}
			_, _, err = replaceUnchanged(path, read, next, 0o600, refuse, tc.swap)
			if err == nil || !strings.Contains(err.Error(), "saved by someone else") {
				t.Errorf("err = %v, want one saying someone else saved the file", err)
			}
			if got, _ := os.ReadFile(path); !bytes.Equal(got, saved) {
				t.Errorf("file %q, want the editor's save kept, %q", got, saved)
			}
		})
	}
}

// TestPromoteRacesAnEditor adds phrasings while an editor saves the file
// every millisecond or so, each save a new file renamed over it, as
// editors and git do. Each save is the editor's whole buffer, so a later
// save carries the earlier ones: what must never happen is that the file
// is left holding an older save than the editor's last. The editor saves
// by atomic exchange too, to count the times it replaced a version older
// than its previous save: the edit made on an older save, which stands
// for the moment it takes to swap the newer save back.
func TestPromoteRacesAnEditor(t *testing.T) {
	if testing.Short() {
		t.Skip("races for a second")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "faq.yaml")
	version := func(k int) []byte {
		return fmt.Appendf(nil, "# save %d\nversion: 1\nentries:\n  - id: hours\n    question: When are you open?\n    alternates:\n      - when do you open\n    answer: Nine to five.\n", k)
	}
	if err := os.WriteFile(path, version(0), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := exchange(path, path); errors.Is(err, errNoExchange) {
		t.Skip("this file system cannot swap two files atomically, which the editor here needs to see what it replaced")
	}
	const saves = 300
	saveOf := func(data []byte) int {
		m := regexp.MustCompile(`^# save (\d+)\n`).FindSubmatch(data)
		if m == nil {
			return -1
		}
		n, _ := strconv.Atoi(string(m[1]))
		return n
	}
	transient := 0
	done := make(chan struct{})
	go func() {
		defer close(done)
		for k := 1; k <= saves; k++ {
			tmp, err := writeTemp(path, version(k), 0o600)
			if err != nil {
				t.Error(err)
				return
			}
			if err := exchange(tmp, path); err != nil {
				t.Error(err)
				return
			}
			out, _ := os.ReadFile(tmp)
			os.Remove(tmp)
			if n := saveOf(out); n < 0 {
				t.Errorf("save %d replaced a file that is no save: %q", k, out)
			} else if n < k-1 {
				transient++
			}
			time.Sleep(time.Duration(500+rand.IntN(1500)) * time.Microsecond)
		}
	}()
	promoted := 0
	for i := 0; ; i++ {
		select {
		case <-done:
			final, _ := os.ReadFile(path)
			if n := saveOf(final); n != saves {
				t.Errorf("the file holds save %d after the editor's last save, %d: a save was lost\n%s", n, saves, final)
			}
			if promoted == 0 {
				t.Error("no phrasing was added while the editor saved")
			}
			t.Logf("%d saves, %d phrasings added between them; the file holds the last save; %d times a save replaced an edit made on an older save, in the moment before that save was swapped back", saves, promoted, transient)
			return
		default:
		}
		if _, err := AddAlternate(path, "hours", fmt.Sprintf("opening times number %d", i)); err == nil {
			promoted++
		}
	}
}
