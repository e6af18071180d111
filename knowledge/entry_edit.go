package knowledge

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"
)

// ContentVersion names the content of a knowledge file, so that an edit
// prepared on one version (a form opened in chat) is refused when the file
// has changed since.
func ContentVersion(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])[:12]
}

// FileVersion returns the ContentVersion of the knowledge file at path now.
func FileVersion(path string) (string, error) {
	_, _, data, err := readForEdit(path)
	if err != nil {
		return "", err
	}
	return ContentVersion(data), nil
}

// ErrChanged is returned by PutEntry when the file is no longer the version
// the edit was prepared on.
var ErrChanged = fmt.Errorf("the knowledge file changed on disk since the form was opened")

// PutEntry writes entry e into the YAML knowledge file at path: as a new
// entry after the last one when replace is "", or in place of the entry
// with id replace. version, when not "", must be the file's ContentVersion now.
// Only the entry's own lines change: every other line, comment and blank
// line of the file stays as it was. The result is checked as Load checks a
// file, and must hold the old entries with the one added or replaced and
// nothing else, or nothing is written. The file is written atomically.
func PutEntry(path string, e Entry, replace, version string) (*FileEdit, error) {
	if ext := strings.ToLower(filepath.Ext(path)); ext == ".json" {
		return nil, fmt.Errorf("%s is JSON: whole entries are written into YAML knowledge files only; edit it by hand", path)
	}
	real, mode, data, err := readForEdit(path)
	if err != nil {
		return nil, err
	}
	if version != "" && ContentVersion(data) != version {
		return nil, ErrChanged
	}
	put := func(data []byte) ([]byte, error) {
		old, err := parsePartial(path, data)
		if err != nil {
			return nil, fmt.Errorf("the knowledge file has problems; fix them first:\n%w", err)
		}
		want, err := withEntry(old, e, replace, path)
		if err != nil {
			return nil, err
		}
		after, err := spliceEntry(path, data, e, replace)
		if err != nil {
			return nil, err
		}
		next, err := parsePartial(path, after)
		if err != nil {
			return nil, fmt.Errorf("the entry would make the knowledge file invalid, so it was not changed:\n%w", err)
		}
		if !sameEntries(want, next) {
			return nil, fmt.Errorf("writing entry %q would change more than that entry in %s, so the file was not changed; edit it by hand", e.ID, path)
		}
		return after, nil
	}
	after, err := put(data)
	if err != nil {
		return nil, err
	}
	before, after, err := replaceUnchanged(real, data, after, mode, put, exchange)
	if err != nil {
		return nil, err
	}
	return &FileEdit{Path: real, before: before, after: after, mode: mode}, nil
}

// withEntry returns f with e added, or put in place of entry replace.
func withEntry(f *File, e Entry, replace, path string) (*File, error) {
	out := *f
	out.Entries = append([]Entry(nil), f.Entries...)
	at := -1
	for i, x := range f.Entries {
		if x.ID == e.ID && x.ID != replace {
			return nil, fmt.Errorf("there is already an entry %q in %s: choose another id", e.ID, filepath.Base(path))
		}
		if replace != "" && x.ID == replace {
			at = i
		}
	}
	switch {
	case replace == "":
		out.Entries = append(out.Entries, e)
	case at < 0:
		return nil, fmt.Errorf("%s has no entry %q any more", filepath.Base(path), replace)
	default:
		out.Entries[at] = e
	}
	return &out, nil
}

// sameEntries reports whether a and b hold the same entries with the same
// content, their lines and files aside, as sameContent does.
func sameEntries(a, b *File) bool {
	norm := func(f *File) *File {
		c := *f
		c.Entries = make([]Entry, len(f.Entries))
		for i, e := range f.Entries {
			e.File = ""
			if len(e.Alternates) == 0 {
				e.Alternates = nil
			}
			if len(e.Tags) == 0 {
				e.Tags = nil
			}
			if len(e.Related) == 0 {
				e.Related = nil
			}
			c.Entries[i] = e
		}
		return &c
	}
	return sameContent(norm(a), norm(b))
}

// spliceEntry returns data with e written after the last entry, or in
// place of the lines of entry replace.
func spliceEntry(name string, data []byte, e Entry, replace string) ([]byte, error) {
	s := newSplicer(name, data, false)
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, err
	}
	_, entries := s.findEntry(&root, "")
	if entries == nil || s.isFlow(entries) || len(entries.Content) == 0 {
		return nil, fmt.Errorf("%s has no block list of entries to add to; add the first entry by hand", name)
	}
	first := entries.Content[0]
	dash, ok := s.dash(first)
	if !ok {
		return nil, fmt.Errorf("%s: the entries are not written one under the other (\"- id: ...\"); edit it by hand", name)
	}
	text, err := entryYAML(e, dash, first.Column-1-dash, s.nl)
	if err != nil {
		return nil, err
	}
	if replace == "" {
		last := entries.Content[len(entries.Content)-1]
		return s.insert(s.blockEnd(last.Line, dash), text), nil
	}
	target, _ := s.findEntry(&root, replace)
	if target == nil {
		return nil, fmt.Errorf("%s has no entry %q", name, replace)
	}
	start := s.lines[target.Line-1]
	end := s.blockEnd(target.Line, dash)
	out := append([]byte(nil), data[:start]...)
	out = append(out, text...)
	return append(out, data[end:]...), nil
}

// entryYAML writes e as a block list item whose dash is at column dash
// and whose keys are gap spaces after it, with line break nl.
func entryYAML(e Entry, dash, gap int, nl string) (string, error) {
	str := func(v string) *yaml.Node {
		n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v}
		if strings.Contains(v, "\n") {
			n.Style = yaml.LiteralStyle
		} else if !plainSafe(v) {
			n.Style = yaml.DoubleQuotedStyle
		}
		return n
	}
	list := func(vs []string) *yaml.Node {
		n := &yaml.Node{Kind: yaml.SequenceNode}
		for _, v := range vs {
			n.Content = append(n.Content, str(v))
		}
		return n
	}
	m := &yaml.Node{Kind: yaml.MappingNode}
	add := func(k string, v *yaml.Node) {
		m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: k}, v)
	}
	add("id", str(e.ID))
	add("question", str(e.Question))
	if len(e.Alternates) > 0 {
		add("alternates", list(e.Alternates))
	}
	answer := e.Answer
	if strings.Contains(answer, "\n") && !strings.HasSuffix(answer, "\n") {
		answer += "\n"
	}
	add("answer", str(answer))
	if e.Section != "" {
		add("section", str(e.Section))
	}
	if len(e.Tags) > 0 {
		tags := list(e.Tags)
		tags.Style = yaml.FlowStyle
		add("tags", tags)
	}
	for _, kv := range []struct{ k, v string }{{"source", e.Source}, {"updated", e.Updated}, {"owner", e.Owner}} {
		if kv.v != "" {
			add(kv.k, str(kv.v))
		}
	}
	if len(e.Related) > 0 {
		rel := list(e.Related)
		rel.Style = yaml.FlowStyle
		add("related", rel)
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(max(gap, 2))
	if err := enc.Encode(&yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{m}}); err != nil {
		return "", err
	}
	var sb strings.Builder
	pad := strings.Repeat(" ", dash)
	for _, line := range strings.Split(strings.TrimRight(buf.String(), "\n"), "\n") {
		if line != "" {
			sb.WriteString(pad)
		}
		sb.WriteString(line)
		sb.WriteString(nl)
	}
	return sb.String(), nil
}
