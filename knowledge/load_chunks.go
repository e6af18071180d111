package knowledge

import (
	"bufio"
	"bytes"
	"hash/maphash"
	"io"
	"slices"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// A large knowledge file is mostly its list of entries. Parsed whole, its
// syntax tree takes several times the file's size at once, on top of the
// bot still serving the old file during a reload. So a YAML file written
// in block style, the way people and faqbot write one, is parsed an entry
// at a time instead: the lines of each item of the top-level "entries"
// list are parsed on their own when the checks reach it, and dropped once
// the entry is checked; the rest of the file is parsed with those lines
// left blank, so that every line keeps its number. A file on disk is not
// even held whole: its entries' lines are read from it as they are
// checked (see loadEntryByEntry). A file whose list is written otherwise,
// or whose pieces do not parse alone, is read whole.

// entryChunks is a YAML file cut into its top-level mapping without the
// entries (head) and the lines of each entry, which are read from the
// file (src) when the checks reach them: a file on disk need never be
// held whole.
type entryChunks struct {
	name string
	// head is the file with the lines of the entries blanked; line is the
	// line of the "entries:" key in it.
	head []byte
	line int
	// bounds holds where each entry's lines start in the file, and last
	// where the last one's end: entry i is bounds[i]:bounds[i+1]. first
	// holds the number of the line each starts on.
	bounds []int64
	first  []int
	src    io.ReaderAt
	// sums holds the hash of each entry's lines as they were cut, with
	// seed: lines read again later must be the same (see read), and a
	// reload need not parse those of an entry that has the lines of the
	// file it replaces (see checker.unchangedEntry).
	seed maphash.Seed
	sums []uint64
	// buf holds the entries' lines from offset at, read last.
	buf []byte
	at  int64
	// batch holds the nodes of the entries parsed together last, the
	// first of them entry batchFrom, each dropped once it is checked.
	batch     []*yaml.Node
	batchFrom int
}

// entryLines is what a file checked an entry at a time keeps of its
// entries' lines, one of each for each entry: the hash of its lines,
// with seed (see entryChunks.sums), and the number of the line they
// start on. A reload of the file compares the hashes of the new file's
// entries with these before it parses them at all.
type entryLines struct {
	seed  maphash.Seed
	sums  []uint64
	first []int32
}

// lines returns what the file cut into ch keeps of its entries' lines.
func (ch *entryChunks) lines() *entryLines {
	first := make([]int32, len(ch.first))
	for i, n := range ch.first {
		first[i] = int32(n)
	}
	return &entryLines{seed: ch.seed, sums: slices.Clone(ch.sums), first: first}
}

// linesSeed returns the seed of the hashes of the entries' lines of a
// file that replaces serving (nil for none): serving's, so that the
// hashes can be compared.
func linesSeed(serving *File) maphash.Seed {
	if serving != nil && serving.lines != nil {
		return serving.lines.seed
	}
	return maphash.MakeSeed()
}

// cutEntries cuts the size bytes of src, a YAML knowledge file, into its
// head and where each entry's lines are, hashing each entry's lines with
// seed and writing each byte it reads to w as well; false when the
// entries are not a block list under an "entries:" key at the start of a
// line, or the file is not UTF-8 or has a line break other than a line
// feed (see plainLine).
func cutEntries(name string, src io.ReaderAt, size int64, w io.Writer, seed maphash.Seed) (*entryChunks, bool) {
	lines := newLineReader(io.TeeReader(io.NewSectionReader(src, 0, size), w))
	ch := &entryChunks{name: name, src: src, seed: seed}
	var entry maphash.Hash
	entry.SetSeed(seed)
	// Find "entries:" alone (but for a comment) at the start of a line.
	for {
		text, raw, ok := lines.next()
		if !ok || !plainLine(raw) {
			return nil, false
		}
		ch.head = append(ch.head, raw...)
		if rest, ok := bytes.CutPrefix(text, []byte("entries:")); ok && blankOrComment(rest) {
			ch.line = lines.line
			break
		}
	}
	// The list: items at one indentation, each starting with "- ".
	indent := -1
	start := func(at int64) {
		if len(ch.bounds) > 0 {
			ch.sums = append(ch.sums, entry.Sum64())
			entry.Reset()
		}
		ch.bounds = append(ch.bounds, at)
	}
	for {
		at := lines.offset
		text, raw, ok := lines.next()
		if !ok {
			if lines.err != nil || indent < 0 {
				return nil, false
			}
			start(at)
			return ch, true
		}
		if !plainLine(raw) {
			return nil, false
		}
		body := bytes.TrimLeft(text, " ")
		n := len(text) - len(body)
		switch {
		case len(body) > 0 && body[0] == '\t':
			return nil, false // a tab where the indentation ends: read it whole
		case blankOrComment(body):
		case indent < 0 && !isItem(body):
			return nil, false
		case indent < 0:
			indent = n
			start(at)
			ch.first = append(ch.first, lines.line)
		case n < indent || n == indent && !isItem(body):
			// The list ends: this line and the rest are the head's.
			start(at)
			for ok {
				ch.head = append(ch.head, raw...)
				if _, raw, ok = lines.next(); ok && !plainLine(raw) {
					return nil, false
				}
			}
			return ch, lines.err == nil
		case n == indent:
			start(at)
			ch.first = append(ch.first, lines.line)
		}
		if indent < 0 {
			ch.head = append(ch.head, raw...)
		} else {
			entry.Write(raw)
			ch.head = append(ch.head, '\n')
		}
	}
}

// lineReader reads a file line by line, counting lines and bytes.
type lineReader struct {
	r *bufio.Reader
	// line is the number of the line read last, offset where the next
	// starts; err is the error that ended the file, other than io.EOF.
	line   int
	offset int64
	err    error
	long   []byte
}

// newLineReader returns a lineReader of r, read through a 64 KiB buffer.
func newLineReader(r io.Reader) *lineReader {
	return &lineReader{r: bufio.NewReaderSize(r, 64<<10)}
}

// next returns the next line without its line break (text) and with it
// (raw), valid until the next call; false at the end of the file.
func (lr *lineReader) next() (text, raw []byte, ok bool) {
	raw, err := lr.r.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		lr.long = append(lr.long[:0], raw...)
		for err == bufio.ErrBufferFull {
			raw, err = lr.r.ReadSlice('\n')
			lr.long = append(lr.long, raw...)
		}
		raw = lr.long
	}
	if err != nil && err != io.EOF {
		lr.err = err
		return nil, nil, false
	}
	if len(raw) == 0 {
		return nil, nil, false
	}
	lr.line++
	lr.offset += int64(len(raw))
	text = bytes.TrimSuffix(bytes.TrimSuffix(raw, []byte{'\n'}), []byte{'\r'})
	return text, raw, true
}

// plainLine reports whether a line is UTF-8 with no line break in it
// but the one that ends it (see strayBreak): a file with any other is
// read whole, which reports it.
func plainLine(raw []byte) bool {
	off, _ := strayBreak(raw)
	return off < 0 && utf8.Valid(raw)
}

// blankOrComment reports whether a line, from its first character that is
// not a space, holds nothing but spaces and a comment.
func blankOrComment(b []byte) bool {
	b = bytes.TrimLeft(b, " \t")
	return len(b) == 0 || b[0] == '#'
}

// isItem reports whether a line, from its first character that is not a
// space, starts an item of a block list.
func isItem(body []byte) bool {
	return len(body) > 0 && body[0] == '-' && (len(body) == 1 || body[1] == ' ')
}

// item returns the node of the i-th entry, its lines numbered as in the
// file, taking the entries parsed next from next(i) (see parseAhead and
// parseFrom) once those taken before are checked; false when the
// entries' lines do not parse alone as items of a list, one an entry,
// hold what a file read whole would report (anchors, aliases, tags, too
// deep a nesting), or cannot be read as they were cut.
func (ch *entryChunks) item(c *checker, i int, next func(i int) parsedBatch) (*yaml.Node, bool) {
	if i < ch.batchFrom || i >= ch.batchFrom+len(ch.batch) {
		if !ch.take(c, i, next(i)) {
			return nil, false
		}
	}
	k := i - ch.batchFrom
	n := ch.batch[k]
	ch.batch[k] = nil // the checker keeps what it needs of it
	return n, true
}

// parsedBatch is the syntax tree of the lines of the entries from the
// from-th to the to-th, to excluded, or nil when they cannot be read or
// do not parse.
type parsedBatch struct {
	from, to int
	doc      *yaml.Node
}

// take checks b, the entries from the i-th on, and makes them ch.batch;
// false when they are not one item of a list each, or hold what a file
// read whole would report.
func (ch *entryChunks) take(c *checker, i int, b parsedBatch) bool {
	ch.batch, ch.batchFrom = ch.batch[:0], i
	if b.doc == nil || b.from != i || len(b.doc.Content) != 1 {
		return false
	}
	list := b.doc.Content[0]
	if list.Kind != yaml.SequenceNode || len(list.Content) != b.to-b.from {
		return false
	}
	before := len(c.probs) + c.dropped
	// In the file the entries sit one level deeper: under the top-level
	// mapping.
	if !c.structureFrom(b.doc, 1) || len(c.probs)+c.dropped > before {
		return false
	}
	for _, n := range list.Content {
		renumber(n, ch.first[i]-1)
	}
	ch.batch = append(ch.batch, list.Content...)
	return true
}

// parseAhead reads and parses the entries' lines, in order, on another
// goroutine, up to parseWindow batches ahead of the one taken last, so
// that parsing the next entries (two thirds of the load of a large file)
// overlaps checking these. A batch is as many entries as fit in
// batchBytes of lines (one at least), parsed as one list: one parser for
// about a hundred entries, rather than one for each, allocates half of
// what a load of a large file does otherwise. next returns the next
// batch, whichever entry it is asked for, whose doc is nil when its
// lines cannot be read or do not parse; stop ends the reading, and must
// be called before ch is read from again.
func (ch *entryChunks) parseAhead() (next func(int) parsedBatch, stop func()) {
	batches := make(chan parsedBatch, parseWindow)
	quit, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < len(ch.first); {
			b := ch.parse(i, nil)
			select {
			case batches <- b:
			case <-quit:
				return
			}
			if b.doc == nil {
				return
			}
			i = b.to
		}
	}()
	next = func(int) parsedBatch { return <-batches }
	stop = func() {
		close(quit)
		<-done
	}
	return next, stop
}

// parseFrom is parseAhead on the caller's goroutine, for entries checked
// in any order: next(i) reads and parses the batch that starts with the
// i-th entry, which ends before the first entry after it that skip
// reports true of (skip may be nil).
func (ch *entryChunks) parseFrom(skip func(i int) bool) (next func(int) parsedBatch) {
	return func(i int) parsedBatch { return ch.parse(i, skip) }
}

// parse reads and parses the batch of entries that starts with the i-th:
// as many as fit in batchBytes of lines, one at least, up to the first
// after it that skip, when it is not nil, reports true of.
func (ch *entryChunks) parse(i int, skip func(i int) bool) parsedBatch {
	j := i + 1
	for j < len(ch.first) && ch.bounds[j+1]-ch.bounds[i] <= batchBytes && (skip == nil || !skip(j)) {
		j++
	}
	b := parsedBatch{from: i, to: j}
	if data, ok := ch.read(i, j); ok {
		b.doc, _ = parseChunk(data)
	}
	return b
}

// batchBytes is the most bytes of entries' lines parsed at once, unless
// one entry has more.
const batchBytes = 64 << 10

// parseWindow is how many batches parseAhead parses ahead of the checks:
// enough to ride out an entry slow to check, few enough that their
// syntax trees stay small beside the entries.
const parseWindow = 2

// read returns the lines of the entries from the i-th to the j-th, j
// excluded, read from the file with the entries after them, up to
// readAhead bytes, into a buffer that a read past them reuses (the parser
// copies what it keeps); false when they cannot be read, or are not the
// lines that were cut (someone wrote the file in between).
func (ch *entryChunks) read(i, j int) ([]byte, bool) {
	from, to := ch.bounds[i], ch.bounds[j]
	if from < ch.at || to > ch.at+int64(len(ch.buf)) {
		n := min(max(to-from, readAhead), ch.bounds[len(ch.bounds)-1]-from)
		if int64(cap(ch.buf)) < n {
			ch.buf = make([]byte, n)
		}
		ch.buf, ch.at = ch.buf[:n], from
		if _, err := ch.src.ReadAt(ch.buf, from); err != nil {
			ch.buf = ch.buf[:0]
			return nil, false
		}
	}
	for k := i; k < j; k++ {
		if maphash.Bytes(ch.seed, ch.buf[ch.bounds[k]-ch.at:ch.bounds[k+1]-ch.at]) != ch.sums[k] {
			return nil, false
		}
	}
	return ch.buf[from-ch.at : to-ch.at], true
}

// readAgain reads every entry's lines again (see read) and reports
// whether they are all still the lines cut.
func (ch *entryChunks) readAgain() bool {
	for i := range len(ch.first) {
		if _, ok := ch.read(i, i+1); !ok {
			return false
		}
	}
	return true
}

// readAhead is the bytes of entries read from the file at once.
const readAhead = 256 << 10

// parseChunk parses the first YAML document of data into a node tree;
// false when it does not parse. It reads data in place, where a Decoder
// would copy it through buffers of its own, several times its size for a
// whole file read in pieces.
func parseChunk(data []byte) (doc *yaml.Node, ok bool) {
	defer func() {
		// yaml.v3 has panicked on malformed input before; the file is
		// then read whole, which reports it.
		if recover() != nil {
			doc, ok = nil, false
		}
	}()
	var n yaml.Node
	if err := yaml.Unmarshal(data, &n); err != nil || n.Kind != yaml.DocumentNode {
		return nil, false
	}
	return &n, true
}

// renumber adds lines to the line of n and of every node under it.
func renumber(n *yaml.Node, lines int) {
	n.Line += lines
	for _, k := range n.Content {
		renumber(k, lines)
	}
}
