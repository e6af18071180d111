package knowledge

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Folder is a knowledge base kept as several files in one folder: every
// .yaml, .yml and .json file directly in it, read in name order and
// checked as one.
type Folder struct {
	// File holds the entries of all the files, in name order, and their
	// synonyms; its title, language and fallback are the first file's
	// that sets them.
	File *File
	// Of maps each entry's id to the file it is written in.
	Of map[string]string
}

// LoadFolder reads and checks every knowledge file in dir, and checks them
// together: an id, or a phrasing, in two files is a problem, as it is in
// one, and so are two files in different languages. Related ids must name
// entries of the same file. As Load does, it returns an Errors listing
// every problem of every file.
func LoadFolder(dir string) (*Folder, error) {
	names, err := FolderFiles(dir)
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, Errors{Problemf(dir, 0, 0, "", "the folder holds no knowledge file (.yaml, .yml or .json)")}
	}
	out := &Folder{File: &File{Version: Version}, Of: map[string]string{}}
	type place struct {
		file string
		line int
		id   string
	}
	var probs Errors
	ids := map[string]place{}
	phrasings := map[string]place{}
	var langFrom string
	for _, name := range names {
		f, err := Load(name)
		var errs Errors
		switch {
		case errors.As(err, &errs):
			probs = append(probs, errs...)
			continue
		case err != nil:
			return nil, err
		}
		m := out.File
		if m.Title == "" {
			m.Title = f.Title
		}
		if m.Fallback == "" {
			m.Fallback = f.Fallback
		}
		if m.Language == "" {
			m.Language, langFrom = f.Language, name
		} else if f.Language != m.Language {
			probs = append(probs, Problemf(name, 0, 0, "", "language %q differs from %s's %q: the files of a folder are one knowledge base, in one language", f.Language, filepath.Base(langFrom), m.Language))
		}
		m.Synonyms = append(m.Synonyms, f.Synonyms...)
		for _, e := range f.Entries {
			if prev, dup := ids[e.ID]; dup {
				probs = append(probs, Problemf(name, e.Line, 0, e.ID, "the id is also used in %s:%d; ids must be unique across the folder", prev.file, prev.line))
				continue
			}
			ids[e.ID] = place{name, e.Line, e.ID}
			for _, p := range append([]string{e.Question}, e.Alternates...) {
				k := PhrasingKey(p)
				if prev, dup := phrasings[k]; dup {
					probs = append(probs, Problemf(name, e.Line, 0, e.ID, "%q is also a phrasing of %q in %s:%d; a phrasing must lead to one entry", p, prev.id, prev.file, prev.line))
					continue
				}
				phrasings[k] = place{name, e.Line, e.ID}
			}
			out.Of[e.ID] = name
			m.Entries = append(m.Entries, e)
		}
	}
	if len(probs) > 0 {
		return nil, probs
	}
	return out, nil
}

// FolderFiles returns the knowledge files directly in dir, sorted: those
// LoadFolder reads.
func FolderFiles(dir string) ([]string, error) {
	des, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, de := range des {
		if de.IsDir() || strings.HasPrefix(de.Name(), ".") {
			continue
		}
		switch strings.ToLower(filepath.Ext(de.Name())) {
		case ".yaml", ".yml", ".json":
			out = append(out, filepath.Join(dir, de.Name()))
		}
	}
	slices.Sort(out)
	return out, nil
}
