package knowledge

import (
	"bytes"
	"errors"
	"fmt"
	"os"
)

// maxSwaps is how many times replaceUnchanged makes its edit again on
// what someone else saved before it gives up.
const maxSwaps = 20

// errNoExchange is returned by exchange where two files cannot be swapped
// atomically.
var errNoExchange = errors.New("atomic exchange not supported")

// replaceUnchanged writes next in place of the file at path, which was
// expect when it was read, as a compare-and-swap: when someone saved the
// file in between (an editor, git), redo makes the edit again on what
// they saved, and that is written instead, so that neither their save nor
// the edit is lost. It returns the content the edit was made on and the
// content written.
//
// Where the system can swap two files atomically (Linux, renameat2 with
// RENAME_EXCHANGE), the new file is swapped with the old, and the file
// swapped out is the proof of what was replaced: if it is not expect, it
// is someone's save, and the edit is made on it and swapped in again.
// Elsewhere the file is read again just before the rename, which leaves a
// window of microseconds.
//
// swap is exchange, or in tests a stand-in.
func replaceUnchanged(path string, expect, next []byte, mode os.FileMode, redo func([]byte) ([]byte, error), swap func(a, b string) error) (before, after []byte, err error) {
	base := expect
	// kept holds someone's save, swapped out, until the edit made on it
	// is in place.
	kept := ""
	defer func() {
		if kept != "" && err == nil {
			os.Remove(kept)
		}
	}()
	for range maxSwaps {
		tmp, err := writeTemp(path, next, mode)
		if err != nil {
			return nil, nil, err
		}
		err = swap(tmp, path)
		if errors.Is(err, errNoExchange) {
			now, err := os.ReadFile(path)
			if err != nil {
				os.Remove(tmp)
				return nil, nil, err
			}
			if bytes.Equal(now, expect) {
				if err := os.Rename(tmp, path); err != nil {
					os.Remove(tmp)
					return nil, nil, fmt.Errorf("write %s: %w", path, err)
				}
				syncDir(path)
				return base, next, nil
			}
			os.Remove(tmp)
			again, err := redo(now)
			if err != nil {
				return nil, nil, changedMeanwhile(path, err)
			}
			base, expect, next = now, now, again
			continue
		}
		if err != nil {
			os.Remove(tmp)
			return nil, nil, fmt.Errorf("write %s: %w", path, err)
		}
		syncDir(path)
		out, err := os.ReadFile(tmp)
		if err != nil {
			return nil, nil, fmt.Errorf("read back %s: %w", tmp, err)
		}
		if bytes.Equal(out, expect) {
			os.Remove(tmp)
			return base, next, nil
		}
		// Someone saved out after the read: it is at tmp now, and the
		// edit made on an older version at path. Swap their save back at
		// once, so that the older version stands for microseconds, not
		// for as long as the edit takes to make again.
		if err := swap(tmp, path); err == nil {
			back, err := os.ReadFile(tmp)
			if err == nil && bytes.Equal(back, next) {
				os.Remove(tmp)
				again, err := redo(out)
				if err != nil {
					return nil, nil, changedMeanwhile(path, err)
				}
				base, expect, next = out, out, again
				continue
			}
			if err != nil {
				return nil, nil, fmt.Errorf("read back %s: %w", tmp, err)
			}
			// Another save came in between: it is at tmp, and out at
			// path.
			out, expect = back, out
		} else {
			expect = next
		}
		if kept != "" {
			os.Remove(kept)
		}
		kept = tmp
		again, err := redo(out)
		if err != nil {
			// Their version goes back in place.
			if xerr := swap(tmp, path); xerr == nil {
				os.Remove(tmp)
				kept = ""
			}
			return nil, nil, changedMeanwhile(path, err)
		}
		base, next = out, again
	}
	return nil, nil, fmt.Errorf("%s kept changing while the phrasing was being added (%d tries); try again when it is quiet", path, maxSwaps)
}

// changedMeanwhile is the error when someone else's save of the file
// cannot take the edit.
func changedMeanwhile(path string, err error) error {
	return fmt.Errorf("%s was saved by someone else while the phrasing was being added, and their version cannot take it, so it was left as they saved it: %w", path, err)
}
