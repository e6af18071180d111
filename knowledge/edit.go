package knowledge

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// FileEdit is a change written to a knowledge file, which Revert can undo.
type FileEdit struct {
	// Path is the file written: the knowledge file, or the file its
	// symbolic link points to.
	Path          string
	before, after []byte
	mode          os.FileMode
}

// AddAlternate adds phrasing to the alternates of the entry with the given
// id in the knowledge file at path, and writes the file atomically (a
// temporary file renamed over it).
//
// The file is parsed into its YAML node tree (JSON files into the same
// tree) to find the entry and the place for the new phrasing; the phrasing
// is then spliced into the file's bytes at that place. Re-encoding the tree
// would re-indent the file, reflow its strings and drop its blank lines, so
// this keeps every comment, key order, blank line and quoting style exactly
// as they were: the only difference is the new line (or list item). The
// result is checked as Load checks a file, and it must differ from the old
// content in that one alternate only, or nothing is written.
func AddAlternate(path, id, phrasing string) (*FileEdit, error) {
	phrasing = strings.TrimSpace(phrasing)
	if err := checkNewPhrasing(phrasing); err != nil {
		return nil, err
	}
	real, mode, data, err := readForEdit(path)
	if err != nil {
		return nil, err
	}
	add := func(data []byte) ([]byte, error) {
		// The file may be one of a folder's: its related ids may name
		// entries of the others, which the reload after the edit checks.
		old, err := parsePartial(path, data)
		if err != nil {
			return nil, fmt.Errorf("the knowledge file has problems; fix them before adding phrasings:\n%w", err)
		}
		target, err := entryToExtend(old, path, id, phrasing)
		if err != nil {
			return nil, err
		}
		after, err := spliceAlternate(path, data, id, phrasing)
		if err != nil {
			return nil, err
		}
		target.Alternates = append(target.Alternates, phrasing)
		if err := checkSpliced(old, path, after, id, phrasing); err != nil {
			return nil, err
		}
		return after, nil
	}
	after, err := add(data)
	if err != nil {
		return nil, err
	}
	// Someone may save the file between this read and the write: the
	// write keeps what they saved, and the phrasing is added to it.
	before, after, err := replaceUnchanged(real, data, after, mode, add, exchange)
	if err != nil {
		return nil, err
	}
	return &FileEdit{Path: real, before: before, after: after, mode: mode}, nil
}

// checkNewPhrasing checks the phrasing to add on its own: one line, not
// empty, within MaxPhrasingLen.
func checkNewPhrasing(phrasing string) error {
	switch n := utf8.RuneCountInString(phrasing); {
	case n == 0:
		return fmt.Errorf("the phrasing to add is empty")
	case n > MaxPhrasingLen:
		return fmt.Errorf("the phrasing is %d characters long; the limit is %d", n, MaxPhrasingLen)
	case strings.ContainsAny(phrasing, "\r\n"):
		return fmt.Errorf("the phrasing must be one line")
	}
	return nil
}

// readForEdit reads the knowledge file at path, following a symbolic link
// to the file it names: the edit is written there, with the same mode.
func readForEdit(path string) (real string, mode os.FileMode, data []byte, err error) {
	real, err = filepath.EvalSymlinks(path)
	if err != nil {
		return "", 0, nil, err
	}
	st, err := os.Stat(real)
	if err != nil {
		return "", 0, nil, err
	}
	if !st.Mode().IsRegular() {
		return "", 0, nil, Errors{notRegular(path, st.Mode(), "edit a regular file")}
	}
	data, err = os.ReadFile(real)
	if err != nil {
		return "", 0, nil, err
	}
	return real, st.Mode().Perm(), data, nil
}

// entryToExtend returns the entry of f with the given id, refusing a
// phrasing that the entry has already.
func entryToExtend(f *File, path, id, phrasing string) (*Entry, error) {
	var target *Entry
	for i := range f.Entries {
		if f.Entries[i].ID == id {
			target = &f.Entries[i]
		}
	}
	if target == nil {
		return nil, fmt.Errorf("%s has no entry with id %q", path, id)
	}
	key := PhrasingKey(phrasing)
	for _, p := range target.Phrasings() {
		if PhrasingKey(p) == key {
			return nil, fmt.Errorf("%q is already a phrasing of %q in %s", phrasing, id, path)
		}
	}
	return target, nil
}

// checkSpliced checks the spliced content, after, as Load checks a file,
// and that it holds want (the old file with the phrasing added to its
// entry) and nothing else.
func checkSpliced(want *File, path string, after []byte, id, phrasing string) error {
	next, err := parsePartial(path, after)
	if err != nil {
		return fmt.Errorf("adding %q to %q would make the knowledge file invalid, so it was not changed:\n%w", phrasing, id, err)
	}
	if !sameContent(want, next) {
		return fmt.Errorf("adding %q to %q in %s would change more than its alternates, so the file was not changed; add it by hand", phrasing, id, path)
	}
	return nil
}

// Revert puts back the content the file had before the edit. It refuses
// when the file has changed since, so as not to undo someone else's work.
func (e *FileEdit) Revert() error {
	now, err := os.ReadFile(e.Path)
	if err != nil {
		return err
	}
	if !bytes.Equal(now, e.after) {
		return fmt.Errorf("%s changed after the edit, so the edit was not undone; check the file by hand", e.Path)
	}
	return writeAtomic(e.Path, e.before, e.mode)
}

// sameContent reports whether two files hold the same content, ignoring
// the lines entries start at.
func sameContent(a, b *File) bool {
	strip := func(f *File) File {
		c := *f
		c.Entries = make([]Entry, len(f.Entries))
		for i, e := range f.Entries {
			e.Line = 0
			c.Entries[i] = e
		}
		return c
	}
	return reflect.DeepEqual(strip(a), strip(b))
}

// writeAtomic replaces the file at path with data: it writes a temporary
// file in the same folder, syncs it, and renames it over path, so that a
// reader (or a crash) sees the old file or the new one, never half of one.
func writeAtomic(path string, data []byte, mode os.FileMode) error {
	name, err := writeTemp(path, data, mode)
	if err != nil {
		return err
	}
	if err := os.Rename(name, path); err != nil {
		os.Remove(name)
		return fmt.Errorf("write %s: %w", path, err)
	}
	syncDir(path)
	return nil
}

// writeTemp writes data to a new, synced temporary file next to path and
// returns its name.
func writeTemp(path string, data []byte, mode os.FileMode) (string, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	name := tmp.Name()
	fail := func(err error) (string, error) {
		tmp.Close()
		os.Remove(name)
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	if _, err := tmp.Write(data); err != nil {
		return fail(err)
	}
	if err := tmp.Chmod(mode); err != nil {
		return fail(err)
	}
	if err := tmp.Sync(); err != nil {
		return fail(err)
	}
	if err := tmp.Close(); err != nil {
		return fail(err)
	}
	return name, nil
}

// syncDir makes a rename in path's folder durable where the platform
// allows it.
func syncDir(path string) {
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		d.Sync()
		d.Close()
	}
}

// spliceAlternate returns data with phrasing added to the alternates of
// entry id, placed by the node tree.
func spliceAlternate(name string, data []byte, id, phrasing string) ([]byte, error) {
	if hasUTF16BOM(data) {
		return nil, fmt.Errorf("%s is UTF-16; save it as UTF-8 to edit it from chat", name)
	}
	bom := []byte("\xef\xbb\xbf")
	hadBOM := bytes.HasPrefix(data, bom)
	data = bytes.TrimPrefix(data, bom)
	isJSON := strings.EqualFold(filepath.Ext(name), ".json")
	root, perr := parseTree(name, data, isJSON)
	if perr != nil {
		return nil, perr
	}
	s := newSplicer(name, data, isJSON)
	entry, entries := s.findEntry(root, id)
	if entry == nil {
		return nil, fmt.Errorf("%s has no entry with id %q", name, id)
	}
	out, err := s.add(entry, entries, phrasing)
	if err != nil {
		return nil, err
	}
	if hadBOM {
		out = append(append([]byte{}, bom...), out...)
	}
	return out, nil
}

// splicer edits one file's bytes at positions from its node tree.
type splicer struct {
	name  string
	data  []byte
	json  bool
	nl    string
	lines []int // offsets where lines start
}

// newSplicer returns a splicer of data, which writes new lines with the
// line break the file uses.
func newSplicer(name string, data []byte, isJSON bool) *splicer {
	s := &splicer{name: name, data: data, json: isJSON, nl: "\n", lines: []int{0}}
	if bytes.Contains(data, []byte("\r\n")) {
		s.nl = "\r\n"
	}
	for i, b := range data {
		if b == '\n' {
			s.lines = append(s.lines, i+1)
		}
	}
	return s
}

// value returns the value of key in mapping m, and the key node.
func value(m *yaml.Node, key string) (k, v *yaml.Node) {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i], m.Content[i+1]
		}
	}
	return nil, nil
}

// findEntry returns the mapping of the entry with the given id and the
// sequence of all entries.
func (s *splicer) findEntry(root *yaml.Node, id string) (entry, entries *yaml.Node) {
	if root == nil || len(root.Content) == 0 {
		return nil, nil
	}
	_, entries = value(root.Content[0], "entries")
	if entries == nil || entries.Kind != yaml.SequenceNode {
		return nil, nil
	}
	for _, e := range entries.Content {
		if _, v := value(e, "id"); v != nil && strings.TrimSpace(v.Value) == id {
			return e, entries
		}
	}
	return nil, entries
}

// offset returns the byte offset of a 1-based line and column (columns
// count characters).
func (s *splicer) offset(line, col int) int {
	if line < 1 || line > len(s.lines) {
		return len(s.data)
	}
	off := s.lines[line-1]
	for c := 1; c < col && off < len(s.data); c++ {
		_, n := utf8.DecodeRune(s.data[off:])
		off += n
	}
	return off
}

func (s *splicer) at(n *yaml.Node) int { return s.offset(n.Line, n.Column) }

// lineText returns line n (1-based) without its line break.
func (s *splicer) lineText(n int) string {
	start := s.lines[n-1]
	end := len(s.data)
	if n < len(s.lines) {
		end = s.lines[n]
	}
	return strings.TrimRight(string(s.data[start:end]), "\r\n")
}

// blockEnd returns the offset just past the last line of the block node
// that starts on line first, where lines indented more than indent columns
// continue it. Blank lines and comments less indented end it.
func (s *splicer) blockEnd(first, indent int) int {
	last := first
	for n := first + 1; n <= len(s.lines); n++ {
		text := s.lineText(n)
		if strings.TrimSpace(text) == "" {
			continue
		}
		if len(text)-len(strings.TrimLeft(text, " ")) <= indent {
			break
		}
		last = n
	}
	if last < len(s.lines) {
		return s.lines[last]
	}
	return len(s.data)
}

// insert returns the data with text inserted at off.
func (s *splicer) insert(off int, text string) []byte {
	out := make([]byte, 0, len(s.data)+len(text)+len(s.nl))
	out = append(out, s.data[:off]...)
	if off == len(s.data) && off > 0 && s.data[off-1] != '\n' && strings.HasSuffix(text, s.nl) {
		out = append(out, s.nl...) // the file did not end its last line
	}
	out = append(out, text...)
	return append(out, s.data[off:]...)
}

// quote writes phrasing as a scalar: a JSON string in JSON, and in YAML a
// plain scalar when it reads back as itself, or a double-quoted one.
func (s *splicer) quote(phrasing string) string {
	if !s.json && plainSafe(phrasing) {
		return phrasing
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(phrasing)
	return strings.TrimSuffix(b.String(), "\n")
}

// plainSafe reports whether s can be written as a plain YAML scalar, in
// block and flow context alike, and read back as the same string, by this
// YAML reader and by others (see retyped).
func plainSafe(s string) bool {
	first, _ := utf8.DecodeRuneInString(s)
	if !unicode.IsLetter(first) && !unicode.IsDigit(first) || strings.ContainsAny(s, ":#,[]{}&*!|>\"%@`\\\t") || s != strings.TrimSpace(s) || retyped(s) {
		return false
	}
	var v any
	if err := yaml.Unmarshal([]byte(s), &v); err != nil {
		return false
	}
	got, ok := v.(string)
	return ok && got == s
}

// scalarEnd returns the offset just past the flow scalar starting at off.
func (s *splicer) scalarEnd(off int) int {
	d := s.data
	if off >= len(d) {
		return off
	}
	switch d[off] {
	case '"':
		for i := off + 1; i < len(d); i++ {
			switch d[i] {
			case '\\':
				i++
			case '"':
				return i + 1
			}
		}
	case '\'':
		for i := off + 1; i < len(d); i++ {
			if d[i] == '\'' {
				if i+1 < len(d) && d[i+1] == '\'' {
					i++
					continue
				}
				return i + 1
			}
		}
	default:
		i := off
		for i < len(d) && !bytes.ContainsRune([]byte(",]}\r\n"), rune(d[i])) && !(d[i] == '#' && i > off && d[i-1] == ' ') {
			i++
		}
		for i > off && (d[i-1] == ' ' || d[i-1] == '\t') {
			i--
		}
		return i
	}
	return len(d)
}

// isFlow reports whether a collection is written in flow style: [a, b] or
// {k: v}, as every JSON collection is.
func (s *splicer) isFlow(n *yaml.Node) bool {
	return s.json || n.Style&yaml.FlowStyle != 0
}

// add places phrasing in the entry's alternates, adding the key when the
// entry has none.
func (s *splicer) add(entry, entries *yaml.Node, phrasing string) ([]byte, error) {
	q := s.quote(phrasing)
	if _, alts := value(entry, "alternates"); alts != nil {
		return s.addItem(alts, q)
	}
	qk, qv := value(entry, "question")
	if qk == nil || qv.Kind != yaml.ScalarNode {
		return nil, fmt.Errorf("%s:%d: the entry has no question; add the phrasing by hand", s.name, entry.Line)
	}
	if s.isFlow(entry) {
		return s.addFlowKey(entry, qk, qv, q), nil
	}
	return s.addBlockKey(entries, qk, q), nil
}

// addItem adds q to the entry's list of alternates, alts, written in flow
// or block style; any other value is left for a person to edit.
func (s *splicer) addItem(alts *yaml.Node, q string) ([]byte, error) {
	if alts.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("%s:%d: the alternates are not a list; add the phrasing by hand", s.name, alts.Line)
	}
	for _, a := range alts.Content {
		if a.Kind != yaml.ScalarNode {
			return nil, fmt.Errorf("%s:%d: an alternate is not text; add the phrasing by hand", s.name, a.Line)
		}
	}
	if s.isFlow(alts) {
		return s.addFlowItem(alts, q)
	}
	return s.addBlockItem(alts, q)
}

// addFlowKey adds the key alternates, with q its one item, after the
// question (key qk, value qv) of an entry written in flow style.
func (s *splicer) addFlowKey(entry, qk, qv *yaml.Node, q string) []byte {
	key := "alternates"
	if s.json {
		key = `"alternates"`
	}
	end := s.scalarEnd(s.at(qv))
	sep := ", "
	// Follow the separator to the next key: a JSON entry written one
	// key a line gets the new key on a line of its own.
	for i := 0; i+2 < len(entry.Content); i += 2 {
		if entry.Content[i] == qk {
			if between := string(s.data[end:s.at(entry.Content[i+2])]); strings.TrimSpace(between) == "," {
				sep = between
			}
		}
	}
	return s.insert(end, sep+key+": ["+q+"]")
}

// addBlockKey adds the key alternates, with q its one item, under the
// question (key qk) of an entry written in block style, indented as the
// file indents its other lists of alternates.
func (s *splicer) addBlockKey(entries, qk *yaml.Node, q string) []byte {
	indent := qk.Column - 1
	pad := strings.Repeat(" ", indent)
	item := pad + strings.Repeat(" ", s.seqIndent(entries)) + "- " + q
	return s.insert(s.blockEnd(qk.Line, indent), pad+"alternates:"+s.nl+item+s.nl)
}

// seqIndent returns how far the file indents a block list of alternates
// beyond its key, judged from the first entry that has one; 2 when none
// does.
func (s *splicer) seqIndent(entries *yaml.Node) int {
	for _, e := range entries.Content {
		k, v := value(e, "alternates")
		if k == nil || v.Kind != yaml.SequenceNode || s.isFlow(v) || len(v.Content) == 0 {
			continue
		}
		if dash, ok := s.dash(v.Content[0]); ok {
			return max(dash-(k.Column-1), 0)
		}
	}
	return 2
}

// dash returns the column (0-based, in bytes) of the "-" that starts the
// block list item n.
func (s *splicer) dash(n *yaml.Node) (int, bool) {
	line := s.lineText(n.Line)
	i := s.at(n) - s.lines[n.Line-1]
	if i > len(line) {
		return 0, false
	}
	j := strings.LastIndexByte(line[:i], '-')
	if j < 0 || strings.TrimSpace(line[:j]) != "" || strings.TrimSpace(line[j+1:i]) != "" {
		return 0, false
	}
	return j, true
}

// addBlockItem adds "- q" under the last item of a block list.
func (s *splicer) addBlockItem(seq *yaml.Node, q string) ([]byte, error) {
	last := seq.Content[len(seq.Content)-1]
	dash, ok := s.dash(last)
	if !ok {
		return nil, fmt.Errorf("%s:%d: cannot find where the alternates end; add the phrasing by hand", s.name, last.Line)
	}
	line := s.lineText(last.Line)
	return s.insert(s.blockEnd(last.Line, dash), line[:dash]+"- "+q+s.nl), nil
}

// addFlowItem adds q after the last item of a flow list, with the same
// separator as the items before it.
func (s *splicer) addFlowItem(seq *yaml.Node, q string) ([]byte, error) {
	open := s.at(seq)
	if open >= len(s.data) || s.data[open] != '[' {
		return nil, fmt.Errorf("%s:%d: cannot find the start of the alternates list; add the phrasing by hand", s.name, seq.Line)
	}
	n := len(seq.Content)
	if n == 0 {
		return s.insert(open+1, q), nil
	}
	last := seq.Content[n-1]
	lastStart := s.at(last)
	end := s.scalarEnd(lastStart)
	sep := ", "
	switch {
	case n >= 2:
		if between := string(s.data[s.scalarEnd(s.at(seq.Content[n-2])):lastStart]); strings.TrimSpace(between) == "," {
			sep = between
		}
	case last.Line != seq.Line:
		sep = "," + s.nl + s.lineText(last.Line)[:lastStart-s.lines[last.Line-1]]
	}
	return s.insert(end, sep+q), nil
}
