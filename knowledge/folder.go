package knowledge

import (
	"bytes"
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
// file, in order. maxBytes bounds the files' sizes together; serving
// and changed are as for LoadChanged.
func loadFolder(dir string, maxBytes int64, serving *File, changed func(size int64)) (*File, error) {
	names, size, err := folderFiles(dir)
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, Errors{Problemf(dir, 0, 0, "", "the folder holds no knowledge file (.yaml, .yml or .json)")}
	}
	if size > maxBytes {
		return nil, Errors{Problemf(dir, 0, 0, "", "the folder's %d knowledge files are %d bytes together; the limit is %d bytes (%d MiB): raise limits.knowledge_mb in the config", len(names), size, maxBytes, maxBytes>>20)}
	}
	if sameSource(serving, dir, names, size, maxBytes) {
		return serving, nil
	}
	changed(size)
	cross, checkers, files, read, err := checkFolder(names, false, serving)
	if err != nil {
		return nil, err
	}
	if slices.ContainsFunc(checkers, func(c *checker) bool { return c.readWhole }) {
		if cross, checkers, files, read, err = checkFolder(names, true, serving); err != nil {
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

// checkFolder reads and checks the files names, one after another, with
// the checks across entries made across all of them; whole reads each
// whole (see checkOne). It stops at the first file that must be read
// whole when whole is not set. It returns the digest of the files read
// too (see sourceDigest).
func checkFolder(names []string, whole bool, serving *File) (*crossCheck, []*checker, []*File, *sourceDigest, error) {
	cross := newCrossCheck()
	checkers := make([]*checker, 0, len(names))
	files := make([]*File, 0, len(names))
	d := newSourceDigest()
	for _, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			return nil, nil, nil, nil, err
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

// folderFiles lists the knowledge files in dir and its subfolders, by path,
// and their size together. Files and folders whose names start with a dot
// (.git, say) are left out.
func folderFiles(dir string) (names []string, size int64, err error) {
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if path != dir && strings.HasPrefix(d.Name(), ".") {
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
		info, err := d.Info()
		if err != nil {
			return err
		}
		size += info.Size()
		names = append(names, path)
		return nil
	})
	return names, size, err
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
