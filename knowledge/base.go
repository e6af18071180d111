package knowledge

// Base is a loaded and checked knowledge base together with its search index.
// A Base is never modified after it is built, so any number of goroutines may
// use it at once; a reload builds a new Base and swaps it in.
type Base struct {
	// Path is the file the base was loaded from, or a name given to Parse.
	Path string
	file File
	byID map[string]*Entry
	idx  *index
}

// Title returns the knowledge file's title, or "" when it has none.
func (b *Base) Title() string { return b.file.Title }

// Language returns the language the base is stemmed in, such as "en".
func (b *Base) Language() string { return b.file.Language }

// Fallback returns the reply for questions that nothing fits, or "" when the
// file sets none.
func (b *Base) Fallback() string { return b.file.Fallback }

// Len returns the number of entries.
func (b *Base) Len() int { return len(b.file.Entries) }

// Entries returns the entries in file order. The slice must not be modified.
func (b *Base) Entries() []Entry { return b.file.Entries }

// Entry returns the entry with the given id.
func (b *Base) Entry(id string) (*Entry, bool) {
	e, ok := b.byID[id]
	return e, ok
}

// Phrasings returns the number of questions and alternates in the base.
func (b *Base) Phrasings() int {
	n := 0
	for i := range b.file.Entries {
		n += 1 + len(b.file.Entries[i].Alternates)
	}
	return n
}

// Candidate is an entry that may answer a question.
type Candidate struct {
	Entry *Entry
	// Confidence is calibrated in [0,1], comparable across questions and
	// knowledge bases, so that one threshold serves any file.
	Confidence float64
	// Phrasing is the question or alternate that matched best.
	Phrasing string
}

// Result is what a search found: the best candidate first, then up to three
// runners-up, each a different entry.
type Result struct {
	Candidates []Candidate
}

// Outcome is what to do with a Result at a given threshold.
type Outcome int

const (
	// Unknown means no candidate is confident enough: reply with the fallback
	// and offer the candidates as suggestions.
	Unknown Outcome = iota
	// Answered means the best candidate answers the question.
	Answered
	// Ambiguous means the best two candidates are too close to call: ask
	// which one was meant instead of guessing.
	Ambiguous
)

// String returns the outcome's name as used in logs and metrics.
func (o Outcome) String() string {
	switch o {
	case Answered:
		return "answered"
	case Ambiguous:
		return "ambiguous"
	default:
		return "unknown"
	}
}

// Best returns the best candidate, if there is one.
func (r Result) Best() (Candidate, bool) {
	if len(r.Candidates) == 0 {
		return Candidate{}, false
	}
	return r.Candidates[0], true
}

// build makes a Base from a checked file: it indexes the entries by id and
// builds the search index. The loader calls it last, after every check passed.
func build(path string, f File) (*Base, error) {
	b := &Base{Path: path, file: f, byID: make(map[string]*Entry, len(f.Entries))}
	for i := range b.file.Entries {
		b.byID[b.file.Entries[i].ID] = &b.file.Entries[i]
	}
	idx, err := newIndex(&b.file)
	if err != nil {
		return nil, err
	}
	b.idx = idx
	return b, nil
}
