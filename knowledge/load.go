package knowledge

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
	"gopkg.in/yaml.v3"
)

// Limits on a knowledge file. Files past them are refused with a message
// naming the limit, before anything is indexed.
const (
	// MaxFileSize is the largest knowledge file, or folder of files
	// together, that Load reads, in bytes: enough for 100,000 entries of
	// five phrasings and answers of a few hundred characters. LoadLimit
	// takes another (the config's limits.knowledge_mb).
	MaxFileSize = 128 << 20
	// MaxEntries is the most entries a file, or a folder's files together,
	// may hold.
	MaxEntries = 100_000
	// MaxAlternates is the most alternates one entry may hold.
	MaxAlternates = 1_000
	// MaxPhrasingLen is the longest question or alternate, in characters.
	MaxPhrasingLen = 500
	// MaxAnswerLen is the longest answer or fallback, in characters: Slack's
	// limit for one message. The adapters split a long answer into as many
	// messages as the platform needs.
	MaxAnswerLen = 40_000
	// MaxIDLen is the longest id, in characters.
	MaxIDLen = 64
	// MaxDepth is the deepest nesting of lists and mappings accepted. A
	// valid file nests five deep at most.
	MaxDepth = 16

	// MaxTitleLen is the longest title, in characters.
	MaxTitleLen = 200
	// MaxTagLen is the longest tag, in characters.
	MaxTagLen     = 64
	maxSynonymLen = 100
	// MaxProblems is the most problems reported of one file.
	MaxProblems = 1000
)

// tooDeep is the message, of MaxDepth, of lists and mappings that nest
// past it.
const tooDeep = "lists and mappings nest more than %d deep; a knowledge file needs five levels at most"

// Version is the knowledge file format version this package reads.
const Version = 1

// Load reads the knowledge file or folder at path, checks all of it and
// returns the checked file, reading at most MaxFileSize bytes (see
// LoadLimit).
func Load(path string) (*File, error) {
	return LoadLimit(path, MaxFileSize)
}

// LoadLimit reads the knowledge file at path, checks all of it and returns
// the checked file. JSON is read when the name ends in ".json", YAML
// otherwise. A file of more than maxBytes bytes is refused before it is
// parsed. When path is a folder, every knowledge file in it and its
// subfolders is read (see loadFolder) and checked as one, maxBytes
// together. When the file fails its checks the error is an Errors listing
// every problem, each with its file, line and column; a file that cannot be
// read gives the *fs.PathError. Knowledge is read from regular files only:
// anything else (a device, a named pipe), a symbolic link to one
// included, is refused before it is opened, with a problem naming it.
func LoadLimit(path string, maxBytes int64) (*File, error) {
	return LoadReplacing(path, maxBytes, nil)
}

// LoadReplacing is LoadLimit for a file that replaces serving, a checked
// file that is being served (for a reload), or nil. When serving was
// loaded from path and the bytes there are still the same, byte for byte,
// it returns serving itself, having read them through a small buffer (a
// JSON file, read whole either way, once into its own) and parsed
// nothing; a YAML file or folder of another size it tells from its size
// alone, and reads once. Otherwise each block of entries whose text is that of a
// block of serving's shares serving's text rather than hold a copy of it
// (see compactReplacing), and an entry of a YAML file whose lines are
// those serving's entry at its place was read from (the same 64-bit hash,
// of a seed drawn at random) is that entry, not parsed again. So serving
// must be a File as Load, Parse or LoadReplacing returned it, its
// entries unmodified.
func LoadReplacing(path string, maxBytes int64, serving *File) (*File, error) {
	return LoadChanged(path, maxBytes, serving, nil)
}

// LoadChanged is LoadReplacing, which calls changed, when it is not nil,
// once it has found that the file (or folder) at path is not serving's
// and before it reads it to check it, with its size in bytes (a folder's
// files' together): the caller may get ready for a load of that size (the
// bot has the collector run more often for a large one) at no cost to a
// reload of a file unchanged.
func LoadChanged(path string, maxBytes int64, serving *File, changed func(size int64)) (*File, error) {
	if changed == nil {
		changed = func(int64) {}
	}
	var once sync.Once
	ready := func(size int64) { once.Do(func() { changed(size) }) }
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		return loadFolder(path, maxBytes, serving, ready)
	}
	f, st, err := openRegular(path, "name a file, or a folder of them")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st.Size() > maxBytes {
		return nil, Errors{tooBig(path, st.Size(), maxBytes)}
	}
	if isJSON(path) {
		return loadWhole(path, f, st.Size(), maxBytes, serving, ready)
	}
	if sameSource(serving, path, []string{path}, st.Size(), maxBytes) {
		return serving, nil
	}
	ready(st.Size())
	if loaded, ok := loadEntryByEntry(path, f, st.Size(), serving); ok {
		return loaded, nil
	}
	return loadWhole(path, f, st.Size(), maxBytes, serving, ready)
}

// loadWhole reads the file f at path, of size bytes as it was opened,
// whole, and checks it, as LoadChanged does: the serving file itself
// when what it read is what serving was loaded from, so that a JSON file,
// always read whole, is read once whether or not it changed.
func loadWhole(path string, f *os.File, size, maxBytes int64, serving *File, changed func(size int64)) (*File, error) {
	// Read at most one byte past the limit, in case the file grew or is not
	// a regular file, into a buffer of the file's size, which then need
	// not grow (io.ReadAll would allocate some 2.5 times the size).
	buf := bytes.NewBuffer(make([]byte, 0, size+bytes.MinRead))
	if _, err := buf.ReadFrom(io.LimitReader(f, maxBytes+1)); err != nil {
		return nil, err
	}
	d := newSourceDigest()
	d.add(path, bytes.NewReader(buf.Bytes()))
	src := d.source(path)
	if serving != nil && serving.source == src && src.size <= maxBytes {
		return serving, nil
	}
	changed(int64(buf.Len()))
	loaded, err := parseLimit(path, buf.Bytes(), maxBytes, serving)
	if err != nil {
		return nil, err
	}
	loaded.source = src
	return loaded, nil
}

// loadEntryByEntry checks the YAML file f at path, of size bytes, an
// entry at a time (see cutEntries), reading each entry's lines from f as
// the checks reach it: a large file is never held whole, on top of the
// file it replaces, serving (or nil). It returns false when the file
// must be read whole: to be checked so, to report its problems, or
// because someone wrote it while it was being read.
func loadEntryByEntry(path string, f *os.File, size int64, serving *File) (*File, bool) {
	if isJSON(path) {
		return nil, false
	}
	d := newSourceDigest()
	d.begin(path)
	ch, ok := cutEntries(path, f, size, d, linesSeed(serving))
	if !ok {
		return nil, false
	}
	d.end()
	_, loaded, ok := checkChunked(path, ch, nil, serving)
	if !ok {
		return nil, false
	}
	compactReplacing(loaded, serving)
	loaded.source = d.source(path)
	return loaded, true
}

// isJSON reports whether the file name is read as JSON, not YAML.
func isJSON(name string) bool { return strings.EqualFold(filepath.Ext(name), ".json") }

// Parse checks a knowledge file's content, as Load does, and returns the
// checked file; name is the file's name, used in messages and to tell JSON
// (".json") from YAML. Values are trimmed, and Language is lower-cased ("en"
// when absent).
func Parse(name string, data []byte) (*File, error) {
	return parseLimit(name, data, MaxFileSize, nil)
}

// parseLimit is Parse with a limit of maxBytes, for a file that replaces
// serving (see LoadReplacing).
func parseLimit(name string, data []byte, maxBytes int64, serving *File) (*File, error) {
	if int64(len(data)) > maxBytes {
		return nil, Errors{tooBig(name, int64(len(data)), maxBytes)}
	}
	c, f := checkOne(name, data, nil, false, serving)
	if err := c.errors(); err != nil {
		if err := foreign(name, data); err != nil {
			return nil, err
		}
		return nil, err
	}
	compactReplacing(f, serving)
	return f, nil
}

// parsePartial checks data, one file of a folder perhaps, as Parse does,
// except that a related id may name an entry the file does not hold.
func parsePartial(name string, data []byte) (*File, error) {
	newCross := func() *crossCheck {
		cross := newCrossCheck()
		cross.partial = true
		return cross
	}
	cross := newCross()
	c, f := checkOne(name, data, cross, false, nil)
	if c.readWhole {
		cross = newCross()
		c, f = checkOne(name, data, cross, true, nil)
	}
	cross.checkRelated()
	if err := c.errors(); err != nil {
		return nil, err
	}
	return f, nil
}

// checkOne parses and checks one file's content, with the checks across
// entries made against cross, shared with the other files of a folder, or
// on its own when cross is nil. The checker holds the problems found.
//
// A YAML file is parsed an entry at a time (see cutEntries) unless whole
// is set. Where that finds a problem, the file is read whole, so that its
// problems are always those of the whole syntax tree: at once when cross
// is nil; otherwise the checker returned has readWhole set, and the caller
// checks again, with whole set, against checks across entries made anew.
func checkOne(name string, data []byte, cross *crossCheck, whole bool, serving *File) (*checker, *File) {
	asJSON := isJSON(name)
	if !asJSON && !whole {
		if ch, ok := cutEntries(name, bytes.NewReader(data), int64(len(data)), io.Discard, linesSeed(serving)); ok {
			if c, f, ok := checkChunked(name, ch, cross, serving); ok {
				return c, f
			}
			if cross != nil {
				return &checker{file: name, readWhole: true}, nil
			}
		}
	}
	c := &checker{file: name, json: asJSON, cross: cross, serving: serving}
	root, perr := parseTree(name, data, asJSON)
	if perr != nil {
		c.probs = Errors{*perr}
		return c, nil
	}
	return c, c.checkFile(root)
}

// checkChunked checks the file name cut into ch, as checkOne does; false
// when it found a problem, or the file must be read whole.
func checkChunked(name string, ch *entryChunks, cross *crossCheck, serving *File) (*checker, *File, bool) {
	c := &checker{file: name, cross: cross, chunks: ch, serving: serving}
	root, perr := parseYAML(name, ch.head)
	if perr != nil {
		return nil, nil, false
	}
	f := c.checkFile(root)
	if len(c.probs) > 0 || c.dropped > 0 || c.readWhole {
		return nil, nil, false
	}
	// The lines of an entry taken from serving unparsed were read once,
	// when the file was cut, where those parsed were read again: read
	// them all again, so that a file written while it was being read,
	// its first lines cut before the write and its last after, is read
	// whole rather than served half one file and half the other.
	if c.unchangedLines != nil && !ch.readAgain() {
		return nil, nil, false
	}
	if cross == nil && len(f.Entries) == len(ch.first) {
		f.lines = ch.lines()
	}
	return c, f, true
}

// parseTree parses data, JSON or YAML, into a node tree with lines and
// columns. A file that is not JSON or YAML at all gives one Problem: the
// syntax error.
func parseTree(name string, data []byte, isJSON bool) (*yaml.Node, *Problem) {
	if isJSON {
		return ParseJSONNode(name, data)
	}
	return parseYAML(name, data)
}

// TooBig is the problem of a file of size bytes, past MaxFileSize.
func TooBig(name string, size int64) Problem {
	return tooBig(name, size, MaxFileSize)
}

// tooBig is the problem of a file of size bytes, past limit.
func tooBig(name string, size, limit int64) Problem {
	return Problemf(name, 0, 0, "", "file is %d bytes; the limit is %d bytes (%d MiB): split it, or raise limits.knowledge_mb in the config", size, limit, limit>>20)
}

var yamlLineErr = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// parseYAML parses data into a node tree without resolving aliases, so an
// alias bomb stays small; the checker then refuses anchors and aliases.
func parseYAML(name string, data []byte) (root *yaml.Node, perr *Problem) {
	if !utf8.Valid(data) && !hasUTF16BOM(data) {
		p := BadUTF8(name, data)
		return nil, &p
	}
	if !hasUTF16BOM(data) {
		if off, msg := strayBreak(data); off >= 0 {
			line, col := position(data, off)
			p := Problemf(name, line, col, "", "%s", msg)
			return nil, &p
		}
	}
	defer func() {
		// yaml.v3 has panicked on malformed input before; a bad file must
		// never take the bot down.
		if r := recover(); r != nil {
			p := Problemf(name, 0, 0, "", "cannot parse the file as YAML: %v", r)
			root, perr = nil, &p
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			p := Problemf(name, 0, 0, "", `the file is empty; a knowledge file needs "version: 1" and "entries"`)
			return nil, &p
		}
		p := YAMLProblem(name, data, err)
		return nil, &p
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case errors.Is(err, io.EOF):
	case err != nil:
		p := YAMLProblem(name, data, err)
		return nil, &p
	default:
		line := next.Line
		p := Problemf(name, line, 0, "", `the file holds more than one YAML document ("---" starts a new one); put every entry in one document`)
		return nil, &p
	}
	return &doc, nil
}

func hasUTF16BOM(data []byte) bool {
	return bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF})
}

// BadUTF8 is the problem of data that is not UTF-8, placed at the first
// byte that is not.
func BadUTF8(name string, data []byte) Problem {
	i := 0
	for i < len(data) {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n <= 1 {
			break
		}
		i += n
	}
	line, col := position(data, i)
	return Problemf(name, line, col, "", "the file is not valid UTF-8; save it as UTF-8")
}

// position returns the 1-based line and column (in characters) of a byte
// offset. A byte order mark at the start takes no column, as an editor
// shows none.
func position(data []byte, off int) (line, col int) {
	off = min(off, len(data))
	line = 1 + bytes.Count(data[:off], []byte{'\n'})
	start := bytes.LastIndexByte(data[:off], '\n') + 1
	if start == 0 && bytes.HasPrefix(data[:off], []byte("\uFEFF")) {
		start = len("\uFEFF")
	}
	return line, 1 + utf8.RuneCount(data[start:off])
}

// YAMLProblem turns a YAML syntax error in data (the text of the file name;
// nil when it is not at hand) into a Problem at the line of the mistake,
// with the line quoted (see explainYAML).
func YAMLProblem(name string, data []byte, err error) Problem {
	msg := err.Error()
	if m := yamlLineErr.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return explainYAML(name, data, line, m[2])
	}
	return explainYAML(name, data, 0, strings.TrimPrefix(msg, "yaml: "))
}

// Keys of the knowledge file, in the order they are written.
var (
	fileKeys  = []string{"version", "title", "language", "fallback", "synonyms", "entries"}
	entryKeys = []string{"id", "question", "alternates", "answer", "section", "tags", "source", "updated", "related", "owner"}
)

// checker walks a knowledge file's node tree, collecting every problem.
type checker struct {
	file    string
	json    bool
	probs   Errors
	dropped int
	// cross holds the checks across entries, shared by the files of a
	// folder; nil until the file's entries are checked, for a file alone.
	cross *crossCheck
	// top holds the fields of the file's top-level mapping, for the
	// checks across the files of a folder.
	top map[string]field
	// chunks holds the file cut an entry at a time, when it is parsed so
	// (see cutEntries); readWhole is set when it cannot be, and the file
	// must be read whole.
	chunks    *entryChunks
	readWhole bool
	// serving is the file the one checked replaces, or nil (see
	// LoadReplacing): an entry checked that has the text of serving's
	// entry at its place takes serving's text at once, and the parser's
	// copy is garbage from then on. unchangedLines is serving's lines
	// when the entries of the file checked, one file alone read an entry
	// at a time, need not be parsed where they are serving's (see
	// unchangedEntry).
	serving        *File
	unchangedLines *entryLines
}

func (c *checker) add(n *yaml.Node, entry, format string, args ...any) {
	if len(c.probs) >= MaxProblems {
		c.dropped++
		return
	}
	line, col := 0, 0
	if n != nil {
		line, col = n.Line, n.Column
	}
	c.probs = append(c.probs, Problemf(c.file, line, col, entry, format, args...))
}

// errors returns the problems found, in the order of their positions, or
// nil when there were none.
func (c *checker) errors() error {
	if len(c.probs) == 0 {
		return nil
	}
	c.probs.Sort()
	if c.dropped > 0 {
		c.probs = append(c.probs, Problemf(c.file, 0, 0, "", "%d more problems not shown; fix these first", c.dropped))
	}
	return c.probs
}

// structure checks what applies to every node: nesting depth, anchors,
// aliases and tags. It reports false when the tree is too deep to walk.
func (c *checker) structure(root *yaml.Node) bool {
	return c.structureFrom(root, 0)
}

// structureFrom is structure for a tree whose root sits depth levels deep
// in the file.
func (c *checker) structureFrom(root *yaml.Node, depth int) bool {
	type item struct {
		n     *yaml.Node
		depth int
	}
	stack := []item{{root, depth}}
	aliases := map[string]int{}
	var firstAlias []*yaml.Node
	defer func() {
		for _, n := range firstAlias {
			if k := aliases[n.Value]; k > 1 {
				c.add(n, "", "alias *%s (used %d times): anchors and aliases are not allowed; write the value out in full", n.Value, k)
			} else {
				c.add(n, "", "alias *%s: anchors and aliases are not allowed; write the value out in full", n.Value)
			}
		}
	}()
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		n := it.n
		if it.depth > MaxDepth {
			c.add(n, "", tooDeep, MaxDepth)
			return false
		}
		if n.Anchor != "" {
			c.add(n, "", "anchor &%s: anchors and aliases are not allowed; write the value out in full", n.Anchor)
		}
		switch n.Kind {
		case yaml.AliasNode:
			if aliases[n.Value] == 0 {
				firstAlias = append(firstAlias, n)
			}
			aliases[n.Value]++
			continue
		case yaml.ScalarNode:
			if !c.json && n.Style&yaml.TaggedStyle != 0 && !slices.Contains([]string{"!!str", "!!int", "!!float", "!!bool", "!!null", "!!timestamp"}, n.Tag) {
				c.add(n, "", "tag %s is not allowed", n.Tag)
			}
		case yaml.MappingNode, yaml.SequenceNode:
			if !c.json && n.Style&yaml.TaggedStyle != 0 && n.Tag != "!!map" && n.Tag != "!!seq" {
				c.add(n, "", "tag %s is not allowed", n.Tag)
			}
		}
		for i := len(n.Content) - 1; i >= 0; i-- {
			stack = append(stack, item{n.Content[i], it.depth + 1})
		}
	}
	return true
}

// field is one key and its value in a mapping.
type field struct {
	key, val *yaml.Node
}

// mapping returns a mapping's fields by key, reporting keys that are unknown
// or repeated. where names the mapping in messages ("at the top level", "in
// an entry", ...).
func (c *checker) mapping(m *yaml.Node, entry string, known []string, elsewhere map[string]string) map[string]field {
	fields := make(map[string]field, len(m.Content)/2)
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if k.Kind == yaml.AliasNode {
			continue
		}
		if k.Kind != yaml.ScalarNode {
			c.add(k, entry, "a key must be a plain word such as %q, not a %s", known[0], KindName(k))
			continue
		}
		key := k.Value
		if prev, dup := fields[key]; dup {
			c.add(k, entry, "key %q appears twice (first at line %d)", key, prev.key.Line)
			continue
		}
		if !slices.Contains(known, key) {
			c.add(k, entry, "%s", unknownKey(key, known, elsewhere))
			continue
		}
		fields[key] = field{k, v}
	}
	return fields
}

func unknownKey(key string, known []string, elsewhere map[string]string) string {
	key = excerpt(key)
	if where, ok := elsewhere[key]; ok {
		return fmt.Sprintf("unknown key %q here; it belongs %s", key, where)
	}
	if s := Suggest(key, known); s != "" {
		return fmt.Sprintf("unknown key %q; did you mean %q?", key, s)
	}
	return fmt.Sprintf("unknown key %q; the keys here are %s", key, strings.Join(known, ", "))
}

// Suggest returns the word among known closest in spelling to w, or "" when
// none is close enough to be a likely slip.
func Suggest(w string, known []string) string {
	lw := strings.ToLower(w)
	best, bestD := "", 1<<30
	for _, k := range known {
		d := spellDistance(lw, strings.ToLower(k))
		if d < bestD {
			best, bestD = k, d
		}
	}
	n := utf8.RuneCountInString(w)
	if bestD <= 2 && bestD < n || bestD <= n/3 ||
		best != "" && len(lw) >= 3 && (strings.HasPrefix(strings.ToLower(best), lw) || strings.HasPrefix(lw, strings.ToLower(best))) {
		return best
	}
	return ""
}

// spellDistance is the Levenshtein distance between a and b, in characters.
func spellDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > 100 || len(rb) > 100 {
		return 1 << 30
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// KindName names the kind of value n holds, for messages: "mapping",
// "list", "number" and so on.
func KindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "list"
	case yaml.AliasNode:
		return "alias"
	case yaml.DocumentNode:
		return "document"
	}
	switch n.Tag {
	case "!!int", "!!float":
		return "number"
	case "!!bool":
		return "true or false"
	case "!!null":
		return "null"
	}
	return "text"
}

// text returns a scalar's text. ok is false (and the problem reported) when
// the node is not text, or its text holds a character a knowledge file
// may not (see badChar), as a YAML or JSON escape may write one; an alias
// was reported already and gives false silently. Null gives "" and true.
func (c *checker) text(n *yaml.Node, entry, key string) (s string, ok bool) {
	switch {
	case n.Kind == yaml.AliasNode:
		return "", false
	case n.Kind != yaml.ScalarNode:
		c.add(n, entry, "%q must be text, not a %s", key, KindName(n))
		return "", false
	case n.Tag == "!!null":
		return "", true
	case c.json && n.Tag != "!!str":
		c.add(n, entry, "%q must be a string, not %s", key, WithArticle(KindName(n)))
		return "", false
	case !c.json && !slices.Contains([]string{"!!str", "!!int", "!!float", "!!bool", "!!timestamp"}, n.Tag):
		if n.Style&yaml.TaggedStyle == 0 { // a tag was reported already
			c.add(n, entry, "%q must be text", key)
		}
		return "", false
	}
	if r, off := badChar(n.Value, false); off >= 0 {
		c.add(n, entry, "%q holds %s: %s", key, charName(r), charAdvice(r))
		return "", false
	}
	return n.Value, true
}

// optionalText returns the text of the optional field key and its node; ok
// is false when the field is absent or (the problem reported) not text.
func (c *checker) optionalText(fields map[string]field, entry, key string) (v *yaml.Node, s string, ok bool) {
	fl, ok := fields[key]
	if !ok {
		return nil, "", false
	}
	s, ok = c.text(fl.val, entry, key)
	return fl.val, s, ok
}

// WithArticle puts "a" or "an" before a kind that KindName returns, where
// English wants one.
func WithArticle(kind string) string {
	switch kind {
	case "number", "list", "mapping":
		return "a " + kind
	case "alias":
		return "an alias"
	}
	return kind
}

// list returns a sequence's items; a missing or null value is an empty list.
func (c *checker) list(n *yaml.Node, entry, key, example string) ([]*yaml.Node, bool) {
	switch {
	case n.Kind == yaml.AliasNode:
		return nil, false
	case n.Kind == yaml.ScalarNode && n.Tag == "!!null":
		return nil, true
	case n.Kind != yaml.SequenceNode:
		hint := ""
		if n.Kind == yaml.ScalarNode && n.Style == 0 && len(n.Value) > 1 && n.Value[0] == '-' && n.Value[1] != ' ' {
			hint = `; a list item starts with "- ", a dash and a space`
		}
		c.add(n, entry, "%q must be a list such as %s, not %s%s", key, example, WithArticle(KindName(n)), hint)
		return nil, false
	}
	return n.Content, true
}

// checkFile checks the whole tree and returns the file it describes; the
// file is only meaningful when no problem was found.
func (c *checker) checkFile(doc *yaml.Node) *File {
	root := c.topMapping(doc)
	if root == nil {
		return nil
	}
	f := &File{Language: "en"}
	fields := c.mapping(root, "", fileKeys, entryKeyHome)
	c.top = fields
	f.Version = c.version(root, fields)
	f.Title = c.title(fields)
	if lang := c.language(fields); lang != "" {
		f.Language = lang
	}
	f.Fallback = c.fallback(fields)
	if fl, ok := fields["synonyms"]; ok {
		f.Synonyms = c.synonyms(fl.val)
	}
	if fl, ok := fields["entries"]; !ok {
		c.add(root, "", `"entries" is required: a list of entries, each with an id, a question and an answer`)
	} else {
		f.Entries = c.entries(fl)
	}
	return f
}

// topMapping checks the tree's structure and returns the mapping at its
// top, or nil (the problem reported) when the file is empty, too deep or
// not a mapping.
func (c *checker) topMapping(doc *yaml.Node) *yaml.Node {
	if !c.structure(doc) {
		return nil
	}
	root := doc
	if doc.Kind == yaml.DocumentNode {
		if len(doc.Content) == 0 {
			c.add(nil, "", `the file is empty; a knowledge file needs "version: 1" and "entries"`)
			return nil
		}
		root = doc.Content[0]
	}
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		c.add(root, "", `the file is empty; a knowledge file needs "version: 1" and "entries"`)
		return nil
	}
	if root.Kind != yaml.MappingNode {
		if root.Kind != yaml.AliasNode {
			c.add(root, "", "the file must be a mapping with the keys version, entries and so on, not %s", WithArticle(KindName(root)))
		}
		return nil
	}
	return root
}

// version checks the required "version" and returns it, or 0 when it is
// missing or not Version.
func (c *checker) version(root *yaml.Node, fields map[string]field) int {
	fl, ok := fields["version"]
	if !ok {
		c.add(root, "", `"version" is required; start the file with "version: %d"`, Version)
		return 0
	}
	v := fl.val
	switch n, err := strconv.Atoi(v.Value); {
	case v.Kind == yaml.AliasNode:
	case v.Kind == yaml.ScalarNode && v.Tag == "!!float":
		c.add(v, "", `"version" must be the whole number %d, not %s`, Version, v.Value)
	case v.Kind != yaml.ScalarNode || v.Tag != "!!int":
		c.add(v, "", `"version" must be the number %d, not %s`, Version, WithArticle(KindName(v)))
	case err != nil || n != Version:
		c.add(v, "", "version %s is not supported; this faqbot reads version %d", v.Value, Version)
	default:
		return n
	}
	return 0
}

// title checks the optional title and returns it trimmed.
func (c *checker) title(fields map[string]field) string {
	v, s, ok := c.optionalText(fields, "", "title")
	if !ok {
		return ""
	}
	title := strings.TrimSpace(s)
	if n := utf8.RuneCountInString(title); n > MaxTitleLen {
		c.add(v, "", "the title is %d characters long; the limit is %d", n, MaxTitleLen)
	}
	return title
}

// language checks the optional language and returns it lower-cased, or ""
// when it is absent or not one that Languages lists.
func (c *checker) language(fields map[string]field) string {
	v, s, ok := c.optionalText(fields, "", "language")
	if !ok {
		return ""
	}
	lang := strings.ToLower(strings.TrimSpace(s))
	if lang == "" {
		c.add(v, "", `"language" is empty; leave it out for English, or name a language (%s)`, strings.Join(Languages(), ", "))
		return ""
	}
	if _, err := LanguageCode(lang); err != nil {
		c.add(v, "", "unknown language %q; use one of %s (or its English name)", s, strings.Join(Languages(), ", "))
		return ""
	}
	return lang
}

// fallback checks the optional fallback reply and returns it trimmed as an
// answer is.
func (c *checker) fallback(fields map[string]field) string {
	v, s, ok := c.optionalText(fields, "", "fallback")
	if !ok {
		return ""
	}
	fallback := TrimAnswer(s)
	if fallback == "" {
		c.add(v, "", `"fallback" is empty; leave it out to use the default reply`)
	} else if n := utf8.RuneCountInString(fallback); n > MaxAnswerLen {
		c.add(v, "", "the fallback is %d characters long; the limit is %d", n, MaxAnswerLen)
	}
	return fallback
}

// entryKeyHome and fileKeyHome say where a key put at the wrong level goes.
var (
	entryKeyHome = keyHome(entryKeys, `in an entry, under "entries"`)
	fileKeyHome  = keyHome(fileKeys, "at the top level of the file")
)

func keyHome(keys []string, where string) map[string]string {
	m := make(map[string]string, len(keys))
	for _, k := range keys {
		m[k] = where
	}
	return m
}

func (c *checker) synonyms(n *yaml.Node) [][]string {
	groups, ok := c.list(n, "", "synonyms", "[[ussr, soviet union]]")
	if !ok {
		return nil
	}
	var out [][]string
	seen := map[string]int{} // normalised term -> line of its group
	for _, g := range groups {
		if g.Kind == yaml.AliasNode {
			continue
		}
		if g.Kind != yaml.SequenceNode {
			c.add(g, "", "a synonym group must be a list of words or phrases such as [ussr, soviet union], not %s", WithArticle(KindName(g)))
			continue
		}
		var terms []string
		local := map[string]bool{}
		for _, t := range g.Content {
			s, ok := c.text(t, "", "synonym")
			if !ok {
				continue
			}
			s = strings.TrimSpace(s)
			key := PhrasingKey(s)
			switch {
			case key == "":
				c.add(t, "", "a synonym must have a word in it")
				continue
			case utf8.RuneCountInString(s) > maxSynonymLen:
				c.add(t, "", "synonym is %d characters long; the limit is %d", utf8.RuneCountInString(s), maxSynonymLen)
				continue
			case local[key]:
				c.add(t, "", "synonym %q is repeated in its group", s)
				continue
			}
			if line, dup := seen[key]; dup {
				c.add(t, "", "synonym %q is already in the group at line %d; merge the two groups", s, line)
				continue
			}
			local[key] = true
			terms = append(terms, s)
		}
		for k := range local {
			seen[k] = g.Line
		}
		if len(g.Content) < 2 {
			c.add(g, "", "a synonym group needs two or more words or phrases, such as [ussr, soviet union]")
			continue
		}
		out = append(out, terms)
	}
	return out
}

// entryRef is where an id or phrasing was first seen.
type entryRef struct {
	label string
	file  string
	line  int
}

// at says where ref is, as seen from file: "line 12", or
// "billing.yaml:12" when it is in another file of the folder.
func (ref entryRef) at(file string) string {
	if ref.file != file {
		return fmt.Sprintf("%s:%d", ref.file, ref.line)
	}
	return fmt.Sprintf("line %d", ref.line)
}

// relatedRef is one id of an entry's "related" list, checked once every
// id is known: the entry is (*entries)[entry] of the file c checks, label
// its name in messages. The id is node's text, or id when node is nil:
// that of an entry not parsed (see entriesCheck.unchanged).
type relatedRef struct {
	c       *checker
	entries *[]Entry
	entry   int
	label   string
	node    *yaml.Node
	id      string
}

// crossCheck holds what the entries checked so far claim, for the checks
// across entries (and across the files of a folder): unique ids, each
// phrasing leading to one entry, related ids that exist.
type crossCheck struct {
	ids       map[string]entryRef
	phrasings *phrasingSet
	related   []relatedRef
	// entries counts the entries of the files checked before, for
	// MaxEntries.
	entries int
	// partial is set when one file of a folder is checked alone: a related
	// id may then name an entry of another file.
	partial bool
}

func newCrossCheck() *crossCheck {
	return &crossCheck{ids: map[string]entryRef{}, phrasings: newPhrasingSet()}
}

// reserve makes room in an empty cc for the ids and phrasings of entries
// entries, as many phrasings an entry as serving has, when it is not nil:
// grown as they come instead, the lists would be copied over and over,
// each copy and the one before held at once, and end with room to spare.
func (cc *crossCheck) reserve(entries int, serving *File) {
	cc.ids = make(map[string]entryRef, entries)
	phrasings := entries
	if serving != nil && len(serving.Entries) > 0 {
		n := 0
		for i := range serving.Entries {
			n += 1 + len(serving.Entries[i].Alternates)
		}
		phrasings = int(int64(n) * int64(entries) / int64(len(serving.Entries)))
	}
	cc.phrasings.reserve(entries, phrasings)
}

// entriesCheck checks the entries of one file.
type entriesCheck struct {
	*checker
	*crossCheck
	entries []Entry
}

// entries checks the list of entries, the value of fl, each on its own and
// then against one another, and returns them. In a folder, the related ids
// are checked once every file's entries are (see loadFolder).
func (c *checker) entries(fl field) []Entry {
	if ch := c.chunks; ch != nil {
		// The entries' lines were blanked: the key must be the one they
		// were cut from, with no value left.
		if fl.key.Line != ch.line || fl.key.Column != 1 || fl.val.Kind != yaml.ScalarNode || fl.val.Tag != "!!null" {
			c.readWhole = true
			return nil
		}
		var next func(int) parsedBatch
		if c.serving != nil {
			// A reload: the bot answers meanwhile, and the other core is
			// the answers'. The entries of a file alone whose lines are
			// those of serving's entry at their place are not parsed at
			// all.
			if c.cross == nil {
				c.unchangedLines = c.serving.lines
			}
			next = ch.parseFrom(func(i int) bool {
				_, _, ok := c.unchangedEntry(i)
				return ok
			})
		} else {
			var stop func()
			next, stop = ch.parseAhead()
			defer stop()
		}
		return c.entryList(len(ch.first), func(i int) (*yaml.Node, bool) { return ch.item(c, i, next) })
	}
	n := fl.val
	items, ok := c.list(n, "", "entries", `[{id: ..., question: ..., answer: ...}]`)
	if !ok {
		return nil
	}
	if len(items) == 0 {
		c.add(n, "", `"entries" is empty; add at least one entry with an id, a question and an answer`)
		return nil
	}
	return c.entryList(len(items), func(i int) (*yaml.Node, bool) {
		item := items[i]
		// The entry's nodes are no longer needed once it is checked: let
		// the collector reuse them for the entries still to come, so that
		// a large file's syntax tree and its entries are not all held at
		// once.
		items[i] = nil
		return item, true
	})
}

// entryList checks the count entries that item returns, in order; item
// returns false when the i-th cannot be had, and the file must be read
// whole.
func (c *checker) entryList(count int, item func(i int) (*yaml.Node, bool)) []Entry {
	alone := c.cross == nil
	if alone {
		c.cross = newCrossCheck()
		c.cross.reserve(min(count, MaxEntries), c.serving)
	}
	ec := &entriesCheck{
		checker:    c,
		crossCheck: c.cross,
		entries:    make([]Entry, 0, min(count, MaxEntries)),
	}
	for i := range count {
		s, line, same := c.unchangedEntry(i)
		var n *yaml.Node
		if !same {
			var ok bool
			if n, ok = item(i); !ok {
				c.readWhole = true
				return nil
			}
		}
		if ec.crossCheck.entries+i == MaxEntries {
			if alone {
				c.add(n, "", "too many entries: %d; the limit is %d", count, MaxEntries)
			} else {
				c.add(n, "", "too many entries: the folder's files hold more than %d before this one; the limit is %d", MaxEntries, MaxEntries)
			}
			break
		}
		if same {
			ec.entries = append(ec.entries, ec.unchanged(s, line))
			continue
		}
		phrasings := len(c.cross.phrasings.refs)
		if e, ok := ec.entry(i, n); ok {
			c.shareText(&e, ec.crossCheck.entries+len(ec.entries), phrasings)
			ec.entries = append(ec.entries, e)
		}
	}
	ec.crossCheck.entries += count
	if alone {
		ec.checkRelated()
	}
	return ec.entries
}

// unchangedEntry returns serving's i-th entry and the line the file
// checked has it on, when the lines of the file's i-th entry are those
// serving's was read from (see entryLines): the entry is then serving's
// but for its line, and its lines need not be parsed. It reports false
// when c.unchangedLines is nil.
func (c *checker) unchangedEntry(i int) (*Entry, int, bool) {
	ls, ch := c.unchangedLines, c.chunks
	if ls == nil || ls.seed != ch.seed || len(ls.sums) != len(c.serving.Entries) || i >= len(ls.sums) || ch.sums[i] != ls.sums[i] {
		return nil, 0, false
	}
	s := &c.serving.Entries[i]
	return s, s.Line + ch.first[i] - int(ls.first[i]), true
}

// unchanged returns s, an entry of the file being served whose lines the
// file checked has unchanged, as the entry checked at line, making the
// checks across entries that entry would make: its id and phrasings are
// claimed, and its related ids are checked once every id is known. Its
// checks of itself were made when s was, on the same lines, and passed.
func (ec *entriesCheck) unchanged(s *Entry, line int) Entry {
	e := *s
	e.Line, e.Related = line, nil
	label := e.ID
	ec.claimID(nil, label, e.ID, line)
	ec.claimPhrasing(nil, label, "question", e.Question, PhrasingKey(e.Question), line)
	for _, p := range e.Alternates {
		ec.claimPhrasing(nil, label, "alternate", p, PhrasingKey(p), line)
	}
	for _, id := range s.Related {
		ec.related = append(ec.related, relatedRef{c: ec.checker, entries: &ec.entries, entry: len(ec.entries), label: label, id: id})
	}
	return e
}

// entry checks the i-th item of the list, field by field, and returns the
// entry it describes; false when the item is not a mapping at all.
func (ec *entriesCheck) entry(i int, item *yaml.Node) (Entry, bool) {
	if item.Kind == yaml.AliasNode {
		return Entry{}, false
	}
	label := fmt.Sprintf("entry %d", i+1)
	if item.Kind != yaml.MappingNode {
		ec.add(item, label, "an entry must be a mapping with id, question and answer, not %s", WithArticle(KindName(item)))
		return Entry{}, false
	}
	if id := lookupID(item); id != "" {
		label = id
	}
	e := Entry{Line: item.Line}
	fields := ec.mapping(item, label, entryKeys, fileKeyHome)
	e.ID = ec.id(item, label, fields)
	e.Question, e.Alternates = ec.questionAndAlternates(item, label, fields)
	e.Answer = ec.answer(item, label, fields)
	e.Tags = ec.tags(label, fields)
	e.Section = ec.section(label, fields)
	e.Source = ec.source(label, fields)
	e.Updated = ec.updated(label, fields)
	e.Owner = ec.owner(label, fields)
	ec.collectRelated(label, fields)
	return e, true
}

// id checks the required id: well formed and unique.
func (ec *entriesCheck) id(item *yaml.Node, label string, fields map[string]field) string {
	fl, ok := fields["id"]
	if !ok {
		ec.add(item, label, `"id" is required: a short name such as "refund-policy"`)
		return ""
	}
	s, ok := ec.text(fl.val, label, "id")
	if !ok {
		return ""
	}
	s = strings.TrimSpace(s)
	if msg := CheckID(s); msg != "" {
		ec.add(fl.val, label, "%s", msg)
	} else {
		ec.claimID(fl.val, label, s, item.Line)
	}
	return s
}

// claimID gives id to the entry label, at line, or reports at n (nil for
// an entry not parsed) that an entry checked before has it.
func (ec *entriesCheck) claimID(n *yaml.Node, label, id string, line int) {
	if prev, dup := ec.ids[id]; dup {
		ec.add(n, label, "duplicate id %q: the entry at %s has it too", id, prev.at(ec.file))
		return
	}
	ec.ids[id] = entryRef{label, ec.file, line}
}

// claimPhrasing gives the phrasing s, whose PhrasingKey is k, to the
// entry label, at line, or reports at n (nil for an entry not parsed)
// that an entry checked before has it; key says which phrasing it is.
func (ec *entriesCheck) claimPhrasing(n *yaml.Node, label, key, s, k string, line int) {
	if prev, dup := ec.phrasings.find(k); dup {
		ec.add(n, label, "%s %q is also a phrasing of %s (%s); a phrasing must lead to one entry", key, s, quoteEntry(prev.label), prev.at(ec.file))
		return
	}
	ec.phrasings.add(k, s, label, ec.file, line)
}

// questionAndAlternates checks the required question and the optional
// alternates: each a phrasing that phrasingCheck accepts.
func (ec *entriesCheck) questionAndAlternates(item *yaml.Node, label string, fields map[string]field) (question string, alternates []string) {
	pc := &phrasingCheck{entriesCheck: ec, label: label, local: map[string]*yaml.Node{}}
	if fl, ok := fields["question"]; !ok {
		ec.add(item, label, `"question" is required`)
	} else if s, ok := pc.check(fl.val, "question"); ok {
		question = s
		pc.questionNode = fl.val
	}
	if fl, ok := fields["alternates"]; ok {
		alts, _ := ec.list(fl.val, label, "alternates", "[another way to ask, ...]")
		if len(alts) > MaxAlternates {
			ec.add(fl.val, label, "%d alternates; the limit is %d", len(alts), MaxAlternates)
			alts = alts[:MaxAlternates]
		}
		for _, a := range alts {
			if s, ok := pc.check(a, "alternate"); ok {
				alternates = append(alternates, s)
			}
		}
	}
	return question, alternates
}

// phrasingCheck checks the phrasings of one entry: local holds those seen
// in the entry so far, by PhrasingKey.
type phrasingCheck struct {
	*entriesCheck
	label        string
	local        map[string]*yaml.Node
	questionNode *yaml.Node
}

// check checks one phrasing, the question or an alternate (key): text, not
// empty, within MaxPhrasingLen, with words in it, not repeating another
// phrasing of the entry and not a phrasing of another entry. ok is false
// when there is no phrasing to keep.
func (pc *phrasingCheck) check(v *yaml.Node, key string) (string, bool) {
	label := pc.label
	s, ok := pc.text(v, label, key)
	if !ok {
		return "", false
	}
	s = strings.TrimSpace(s)
	if s == "" {
		if key == "question" {
			pc.add(v, label, `"question" must not be empty`)
		} else {
			pc.add(v, label, "an alternate must not be empty")
		}
		return "", false
	}
	if n := utf8.RuneCountInString(s); n > MaxPhrasingLen {
		pc.add(v, label, "%s is %d characters long; the limit is %d", key, n, MaxPhrasingLen)
		return s, true
	}
	k := PhrasingKey(s)
	if k == "" {
		pc.add(v, label, "%s %q has no words in it", key, s)
		return s, true
	}
	if first, dup := pc.local[k]; dup {
		what := "an earlier alternate"
		if first == pc.questionNode {
			what = "the question"
		}
		pc.add(v, label, "alternate %q repeats %s (line %d)", s, what, first.Line)
		return s, true
	}
	pc.local[k] = v
	pc.claimPhrasing(v, label, key, s, k, v.Line)
	return s, true
}

// answer checks the required answer and returns it trimmed.
func (ec *entriesCheck) answer(item *yaml.Node, label string, fields map[string]field) string {
	fl, ok := fields["answer"]
	if !ok {
		ec.add(item, label, `"answer" is required`)
		return ""
	}
	s, ok := ec.text(fl.val, label, "answer")
	if !ok {
		return ""
	}
	answer := TrimAnswer(s)
	if answer == "" {
		ec.add(fl.val, label, `"answer" must not be empty`)
	} else if n := utf8.RuneCountInString(answer); n > MaxAnswerLen {
		ec.add(fl.val, label, "the answer is %d characters long; the limit is %d", n, MaxAnswerLen)
	}
	return answer
}

// tags checks the optional tags: each one line, within MaxTagLen, listed
// once (ignoring case).
func (ec *entriesCheck) tags(label string, fields map[string]field) []string {
	fl, ok := fields["tags"]
	if !ok {
		return nil
	}
	items, _ := ec.list(fl.val, label, "tags", "[billing, accounts]")
	var tags []string
	seen := map[string]bool{}
	for _, t := range items {
		s, ok := ec.text(t, label, "tag")
		if !ok {
			continue
		}
		s = strings.TrimSpace(s)
		switch {
		case s == "":
			ec.add(t, label, "a tag must not be empty")
		case utf8.RuneCountInString(s) > MaxTagLen:
			ec.add(t, label, "tag is %d characters long; the limit is %d", utf8.RuneCountInString(s), MaxTagLen)
		case strings.ContainsAny(s, "\r\n"):
			ec.add(t, label, "a tag must be one line")
		case seen[strings.ToLower(s)]:
			ec.add(t, label, "tag %q is listed twice", s)
		default:
			seen[strings.ToLower(s)] = true
			tags = append(tags, s)
		}
	}
	return tags
}

// section checks the optional section: one line, within MaxPhrasingLen.
func (ec *entriesCheck) section(label string, fields map[string]field) string {
	return ec.oneLine(label, fields, "section", "a section", "give the heading the entry sits under", MaxPhrasingLen)
}

// MaxOwnerLen is the longest owner, in characters.
const MaxOwnerLen = 100

// owner checks the optional owner: one line, within MaxOwnerLen.
func (ec *entriesCheck) owner(label string, fields map[string]field) string {
	return ec.oneLine(label, fields, "owner", "an owner", `name who keeps the entry up to date, such as "@ann"`, MaxOwnerLen)
}

// oneLine checks the optional text under key: not empty (hint says what
// to write instead), one line, at most limit characters. noun names it
// with its article, for messages.
func (ec *entriesCheck) oneLine(label string, fields map[string]field, key, noun, hint string, limit int) string {
	v, s, ok := ec.optionalText(fields, label, key)
	if !ok {
		return ""
	}
	text := strings.TrimSpace(s)
	switch n := utf8.RuneCountInString(text); {
	case text == "":
		ec.add(v, label, "%q is empty; leave it out or %s", key, hint)
	case strings.ContainsAny(text, "\r\n"):
		ec.add(v, label, "%s must be one line", noun)
	case n > limit:
		ec.add(v, label, "%s is %d characters long; the limit is %d", key, n, limit)
	}
	return text
}

// source checks the optional source: not empty, within MaxPhrasingLen.
func (ec *entriesCheck) source(label string, fields map[string]field) string {
	v, s, ok := ec.optionalText(fields, label, "source")
	if !ok {
		return ""
	}
	source := strings.TrimSpace(s)
	if source == "" {
		ec.add(v, label, `"source" is empty; leave it out or say where the answer comes from`)
	} else if n := utf8.RuneCountInString(source); n > MaxPhrasingLen {
		ec.add(v, label, "source is %d characters long; the limit is %d", n, MaxPhrasingLen)
	}
	return source
}

// updated checks the optional date of the last check, YYYY-MM-DD; "" when
// it is absent or not such a date.
func (ec *entriesCheck) updated(label string, fields map[string]field) string {
	v, s, ok := ec.optionalText(fields, label, "updated")
	if !ok {
		return ""
	}
	s = strings.TrimSpace(s)
	if _, err := time.Parse(time.DateOnly, s); err != nil || len(s) != len(time.DateOnly) {
		ec.add(v, label, "updated %q is not a date; write it as YYYY-MM-DD, such as 2023-12-06", s)
		return ""
	}
	return s
}

// collectRelated keeps the ids of the entry's "related" list, which belongs
// to the entry about to be appended, for checkRelated.
func (ec *entriesCheck) collectRelated(label string, fields map[string]field) {
	fl, ok := fields["related"]
	if !ok {
		return
	}
	rel, _ := ec.list(fl.val, label, "related", "[other-entry-id]")
	for _, r := range rel {
		ec.related = append(ec.related, relatedRef{c: ec.checker, entries: &ec.entries, entry: len(ec.entries), label: label, node: r})
	}
}

// checkRelated checks every related id once all ids are known: not empty,
// not the entry itself, listed once, and the id of an entry (with the
// closest id suggested when it is not).
func (ec *crossCheck) checkRelated() {
	allIDs := make([]string, 0, len(ec.ids))
	for id := range ec.ids {
		allIDs = append(allIDs, id)
	}
	slices.Sort(allIDs)
	listed := map[[3]string]bool{} // file, entry, related id
	for _, r := range ec.related {
		s, ok := r.id, true
		if r.node != nil {
			s, ok = r.c.text(r.node, r.label, "related id")
		}
		if !ok {
			continue
		}
		s = strings.TrimSpace(s)
		e := &(*r.entries)[r.entry]
		switch _, exists := ec.ids[s]; {
		case s == "":
			r.c.add(r.node, r.label, "a related id must not be empty")
		case s == e.ID:
			r.c.add(r.node, r.label, "related lists the entry itself")
		case listed[[3]string{r.c.file, r.label, s}]:
			r.c.add(r.node, r.label, "related id %q is listed twice", s)
		case !exists && ec.partial:
			e.Related = append(e.Related, s)
		case !exists:
			if sug := Suggest(s, allIDs); sug != "" {
				r.c.add(r.node, r.label, "related id %q does not exist; did you mean %q?", s, sug)
			} else {
				r.c.add(r.node, r.label, "related id %q does not exist", s)
			}
		default:
			listed[[3]string{r.c.file, r.label, s}] = true
			e.Related = append(e.Related, s)
		}
	}
}

func quoteEntry(label string) string {
	if strings.HasPrefix(label, "entry ") {
		return label
	}
	return "entry " + strconv.Quote(label)
}

// lookupID returns an entry mapping's id when it is a valid one, to name the
// entry in messages before its fields are checked.
func lookupID(m *yaml.Node) string {
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.Value == "id" && v.Kind == yaml.ScalarNode && v.Tag != "!!null" {
			if id := strings.TrimSpace(v.Value); CheckID(id) == "" {
				return id
			}
			return ""
		}
	}
	return ""
}

// CheckID returns what is wrong with an id, or "".
func CheckID(id string) string {
	switch n := utf8.RuneCountInString(id); {
	case n == 0:
		return `"id" must not be empty`
	case n > MaxIDLen:
		return fmt.Sprintf("id %q is %d characters long; the limit is %d", Truncate(id, 20), n, MaxIDLen)
	}
	for _, r := range id {
		if !ValidIDRune(r) {
			return fmt.Sprintf("id %q may hold only letters, digits, '-', '_' and '.' (found %q)", id, r)
		}
	}
	return ""
}

// ValidIDRune reports whether r may appear in an id.
func ValidIDRune(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.'
}

// Truncate shortens s to n characters, marking a cut with an ellipsis.
func Truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// TrimAnswer removes blank lines before an answer and spaces after it,
// keeping the indentation of its first line.
func TrimAnswer(s string) string {
	s = strings.TrimRightFunc(s, unicode.IsSpace)
	for {
		i := strings.IndexByte(s, '\n')
		if i < 0 || strings.TrimSpace(s[:i]) != "" {
			break
		}
		s = s[i+1:]
	}
	if strings.TrimSpace(s) == "" {
		return ""
	}
	return s
}

// PhrasingKey normalises a phrasing for comparison: in Unicode NFKC, case
// folded, with punctuation and runs of spaces made one space. Two phrasings
// with the same key are the same question.
func PhrasingKey(s string) string {
	s = norm.NFKC.String(s)
	var b strings.Builder
	// Most keys are as long as the phrasing, or shorter: one allocation
	// rather than one for each time the key doubles.
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		// Apostrophes join a word: "Russia's" is one word either way.
		if r == '\'' || r == '’' {
			continue
		}
		space = true
	}
	return b.String()
}
