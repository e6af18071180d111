package knowledge

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// loadFolder reads every knowledge file in the folder dir and its
// subfolders (see folderFiles), in the order of their paths, and checks them
// as one knowledge file: each file is a knowledge file of its own (with
// "version: 1" and its entries), ids and phrasings are unique across all
// of them, and related ids may name an entry of another file. The title and
// the fallback may be set in one file only, and the language, where set,
// must be the same in every file. Synonyms and entries are those of every
// file, in order. maxBytes bounds the files' sizes together, a symbolic
// link counting the size of the file it names; serving and changed are as
// for LoadChanged. A name that is not a regular file, or a link that leads
// nowhere, is reported with the problems of the other files.
func loadFolder(dir string, maxBytes int64, serving *File, changed func(size int64)) (*File, error) {
	names, bad, size, err := folderFiles(dir)
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, Errors{Problemf(dir, 0, 0, "", "the folder holds no knowledge file (.yaml, .yml or .json)")}
	}
	if size > maxBytes {
		return nil, Errors{folderTooBig(dir, len(names)-len(bad), size, maxBytes)}
	}
	if len(bad) == 0 && sameSource(serving, dir, names, size, maxBytes) {
		return serving, nil
	}
	changed(size)
	cross, checkers, files, read, err := checkFolder(dir, names, bad, maxBytes, false, serving)
	if err != nil {
		return nil, err
	}
	if slices.ContainsFunc(checkers, func(c *checker) bool { return c.readWhole }) {
		if cross, checkers, files, read, err = checkFolder(dir, names, bad, maxBytes, true, serving); err != nil {
			return nil, err
		}
	}
	cross.checkRelated()
	out := merge(checkers, files)
	var probs Errors
	for _, c := range checkers {
		if err := c.errors(); err != nil {
			probs = append(probs, c.probs...)
		}
	}
	if len(probs) > 0 {
		return nil, probs
	}
	compactReplacing(out, serving)
	out.source = read.source(dir)
	return out, nil
}

// folderTooBig is the problem of the folder dir whose count knowledge
// files are size bytes together, past maxBytes.
func folderTooBig(dir string, count int, size, maxBytes int64) Problem {
	return Problemf(dir, 0, 0, "", "the folder's %d knowledge files are %d bytes together; the limit is %d bytes (%d MiB): raise limits.knowledge_mb in the config", count, size, maxBytes, maxBytes>>20)
}

// folderAdvice is what to do about a name in a folder that looks like a
// knowledge file and is not a regular file.
const folderAdvice = "remove it from the folder, or rename it so that its name does not end in .yaml, .yml or .json"

// checkFolder reads and checks the files names of the folder dir, one
// after another, with the checks across entries made across all of them;
// whole reads each whole (see checkOne). A file that bad lists, or that
// cannot be read, is a checker holding that one problem, and the files
// after it are checked still. The files are read through a limit of
// maxBytes together: a folder that grew past it since it was listed is
// refused. It stops at the first file that must be read whole when whole
// is not set. It returns the digest of the files read too (see
// sourceDigest).
func checkFolder(dir string, names []string, bad map[string]Problem, maxBytes int64, whole bool, serving *File) (*crossCheck, []*checker, []*File, *sourceDigest, error) {
	cross := newCrossCheck()
	checkers := make([]*checker, 0, len(names))
	files := make([]*File, 0, len(names))
	d := newSourceDigest()
	left := maxBytes
	for _, name := range names {
		p, failed := bad[name]
		var data []byte
		if !failed {
			var err error
			if data, err = readRegular(name, left); err != nil {
				var errs Errors
				if !errors.As(err, &errs) {
					errs = Errors{unreadable(name, err)}
				}
				p, failed = errs[0], true
			}
		}
		if failed {
			checkers = append(checkers, &checker{file: name, probs: Errors{p}})
			files = append(files, nil)
			continue
		}
		if left -= int64(len(data)); left < 0 {
			return nil, nil, nil, nil, Errors{folderTooBig(dir, len(names)-len(bad), maxBytes-left, maxBytes)}
		}
		d.add(name, bytes.NewReader(data))
		c, f := checkOne(name, data, cross, whole, serving)
		checkers = append(checkers, c)
		files = append(files, f)
		if c.readWhole {
			break
		}
	}
	return cross, checkers, files, d, nil
}

// readRegular reads the regular file at path (see openRegular), at most
// limit bytes and one more, so that a caller can tell one that grew past
// its limit.
func readRegular(path string, limit int64) ([]byte, error) {
	f, st, err := openRegular(path, folderAdvice)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// A buffer of the file's size, which then need not grow.
	buf := bytes.NewBuffer(make([]byte, 0, min(st.Size(), limit)+bytes.MinRead))
	_, err = buf.ReadFrom(io.LimitReader(f, limit+1))
	return buf.Bytes(), err
}

// folderFiles lists the knowledge files in dir and its subfolders, by path,
// and their size together, as os.Stat gives it: a symbolic link counts
// the size of the file it names. Files and folders whose names start with
// a dot (.git, say) are left out. A name that looks like a knowledge file
// and is not a regular file, a symbolic link that leads nowhere, and a
// subfolder that cannot be read are listed too, with their problem in
// bad: the load reports them with the problems of the other files.
func folderFiles(dir string) (names []string, bad map[string]Problem, size int64, err error) {
	bad = map[string]Problem{}
	// A walk does not follow a symbolic link, its root included, unless
	// the root ends with a separator.
	root := dir
	if st, err := os.Lstat(dir); err == nil && st.Mode()&fs.ModeSymlink != 0 {
		root = dir + string(filepath.Separator)
	}
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if path == root {
				return err
			}
			names = append(names, path)
			bad[path] = unreadable(path, err)
			return nil
		}
		if path != root && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		switch strings.ToLower(filepath.Ext(path)) {
		case ".yaml", ".yml", ".json":
		default:
			return nil
		}
		if d.IsDir() {
			return nil
		}
		st, err := os.Stat(path)
		switch {
		case err != nil:
			bad[path] = unreadable(path, err)
		case st.IsDir():
			return nil // a link to a folder, which the walk does not follow
		case !st.Mode().IsRegular():
			bad[path] = notRegular(path, st.Mode(), folderAdvice)
		default:
			size += st.Size()
		}
		names = append(names, path)
		return nil
	})
	return names, bad, size, err
}

// merge joins the checked files of a folder into one, reporting the
// settings of the whole base that two files set (the title, the fallback,
// a language another file sets otherwise) to the checker of the second.
func merge(checkers []*checker, files []*File) *File {
	out := &File{Version: Version, Language: "en"}
	// first is where each setting was first given, and its value.
	type first struct {
		at    entryRef
		value string
	}
	seen := map[string]first{}
	for i, f := range files {
		c := checkers[i]
		if f == nil {
			continue
		}
		for _, s := range []struct {
			key      string
			from, to *string
		}{
			{"title", &f.Title, &out.Title},
			{"language", &f.Language, &out.Language},
			{"fallback", &f.Fallback, &out.Fallback},
		} {
			fl, ok := c.top[s.key]
			if !ok || *s.from == "" {
				continue // absent, or wrong and reported
			}
			prev, dup := seen[s.key]
			switch {
			case !dup:
				seen[s.key] = first{entryRef{file: c.file, line: fl.key.Line}, *s.from}
				*s.to = *s.from
			case s.key != "language":
				c.add(fl.key, "", "%q is already set at %s: set it in one file of the folder", s.key, prev.at.at(c.file))
			case prev.value != *s.from:
				c.add(fl.val, "", "language %q differs from %q, set at %s: the files of a folder are one knowledge base, in one language", *s.from, prev.value, prev.at.at(c.file))
			}
		}
		out.Synonyms = append(out.Synonyms, f.Synonyms...)
		for _, e := range f.Entries {
			e.File = c.file
			out.Entries = append(out.Entries, e)
		}
	}
	return out
}
