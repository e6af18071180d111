// Package knowledge is the knowledge file: its format, loading and checking
// with errors that give their positions, comment-preserving edits, writing,
// and the difference between two versions. It knows nothing of matching or
// of chat platforms.
package knowledge

// Entry is one question of the knowledge base with its answer.
type Entry struct {
	// ID is the entry's stable identifier: letters, digits, '-', '_' and '.'.
	ID string `yaml:"id" json:"id"`
	// Question is the canonical phrasing of the question.
	Question string `yaml:"question" json:"question"`
	// Alternates are other phrasings of the same question.
	Alternates []string `yaml:"alternates,omitempty" json:"alternates,omitempty"`
	// Answer is the reply, in Markdown.
	Answer string `yaml:"answer" json:"answer"`
	// Section is the heading path the entry sits under in the document it
	// came from, such as "Billing › Refunds": context for readers, and
	// evidence for the matcher. Importers fill it; it is optional.
	Section string `yaml:"section,omitempty" json:"section,omitempty"`
	// Tags group entries.
	Tags []string `yaml:"tags,omitempty" json:"tags,omitempty"`
	// Source says where the answer came from; it is shown with the answer.
	Source string `yaml:"source,omitempty" json:"source,omitempty"`
	// Updated is the date the answer was last checked, as YYYY-MM-DD.
	Updated string `yaml:"updated,omitempty" json:"updated,omitempty"`
	// Related lists the ids of entries offered as follow-up questions.
	Related []string `yaml:"related,omitempty" json:"related,omitempty"`
	// Owner names who keeps the entry up to date: a chat user or group,
	// as the team writes it ("@ann", "#billing-team"). /faq stale shows it;
	// it is optional.
	Owner string `yaml:"owner,omitempty" json:"owner,omitempty"`

	// File is the file the entry was read from when the knowledge base is
	// a folder of files, "" when it is one file; Line is its line in its
	// file, 0 if unknown. Both are for messages.
	File string `yaml:"-" json:"-"`
	Line int    `yaml:"-" json:"-"`
}

// Phrasings returns the question followed by its alternates.
func (e *Entry) Phrasings() []string {
	return append([]string{e.Question}, e.Alternates...)
}

// File is the content of a knowledge file, version 1.
type File struct {
	Version  int        `yaml:"version" json:"version"`
	Title    string     `yaml:"title,omitempty" json:"title,omitempty"`
	Language string     `yaml:"language,omitempty" json:"language,omitempty"`
	Fallback string     `yaml:"fallback,omitempty" json:"fallback,omitempty"`
	Synonyms [][]string `yaml:"synonyms,omitempty" json:"synonyms,omitempty"`
	Entries  []Entry    `yaml:"entries" json:"entries"`

	// source is what the file was loaded from, for LoadReplacing; lines
	// what it keeps of its entries' lines, when it was checked an entry
	// at a time, for a reload to tell the entries it need not parse (see
	// entryLines).
	source source
	lines  *entryLines
}
