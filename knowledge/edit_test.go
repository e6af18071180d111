package knowledge_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	yaml11 "go.yaml.in/yaml/v2"

	"github.com/faqbot/faqbot/knowledge"
	"github.com/faqbot/faqbot/knowledge/match"
)

// TestAddAlternate adds a phrasing to files written in different styles and
// compares the whole result: only the new phrasing may appear, every other
// byte stays.
func TestAddAlternate(t *testing.T) {
	for _, tc := range []struct {
		name, file, id, phrasing, before, after string
	}{
		{
			name: "block list with comments and blank lines", file: "faq.yaml", id: "refund", phrasing: "can I get my money back?",
			before: `# The shop's FAQ.
version: 1
entries:
  # Money first.
  - id: refund
    question: How do I get a refund?
    alternates:
      - refund please   # the most asked
      - "money back"

    answer: |
      Write to billing.

  - id: hours
    question: When are you open?
    answer: Nine to five.
`,
			after: `# The shop's FAQ.
version: 1
entries:
  # Money first.
  - id: refund
    question: How do I get a refund?
    alternates:
      - refund please   # the most asked
      - "money back"
      - can I get my money back?

    answer: |
      Write to billing.

  - id: hours
    question: When are you open?
    answer: Nine to five.
`,
		},
		{
			name: "block list not indented, last in file without a final newline", file: "faq.yaml", id: "hours", phrasing: "opening times",
			before: "version: 1\nentries:\n- id: hours\n  question: When are you open?\n  answer: Nine to five.\n  alternates:\n  - when do you open",
			after:  "version: 1\nentries:\n- id: hours\n  question: When are you open?\n  answer: Nine to five.\n  alternates:\n  - when do you open\n  - opening times\n",
		},
		{
			name: "flow list", file: "faq.yaml", id: "hours", phrasing: "opening times",
			before: "version: 1\nentries:\n  - id: hours\n    question: When are you open?\n    alternates: [when do you open, 'hours?']  # short\n    answer: Nine to five.\n",
			after:  "version: 1\nentries:\n  - id: hours\n    question: When are you open?\n    alternates: [when do you open, 'hours?', opening times]  # short\n    answer: Nine to five.\n",
		},
		{
			name: "empty flow list", file: "faq.yaml", id: "hours", phrasing: "opening times",
			before: "version: 1\nentries:\n  - id: hours\n    question: When are you open?\n    alternates: []\n    answer: Nine to five.\n",
			after:  "version: 1\nentries:\n  - id: hours\n    question: When are you open?\n    alternates: [opening times]\n    answer: Nine to five.\n",
		},
		{
			name: "no alternates yet, list style taken from another entry", file: "faq.yaml", id: "hours", phrasing: "what's: the time?",
			before: `version: 1
entries:
  - id: refund
    question: How do I get a refund?
    alternates:
    - refund please
    answer: Write to billing.
  - id: hours
    question: >
      When are you
      open?
    # Keep this short.
    answer: Nine to five.
`,
			after: `version: 1
entries:
  - id: refund
    question: How do I get a refund?
    alternates:
    - refund please
    answer: Write to billing.
  - id: hours
    question: >
      When are you
      open?
    alternates:
    - "what's: the time?"
    # Keep this short.
    answer: Nine to five.
`,
		},
		{
			name: "windows line breaks", file: "faq.yaml", id: "hours", phrasing: "opening times",
			before: "version: 1\r\nentries:\r\n  - id: hours\r\n    question: When are you open?\r\n    answer: Nine to five.\r\n",
			after:  "version: 1\r\nentries:\r\n  - id: hours\r\n    question: When are you open?\r\n    alternates:\r\n      - opening times\r\n    answer: Nine to five.\r\n",
		},
		{
			name: "JSON, one item a line", file: "faq.json", id: "hours", phrasing: `say "hi"`,
			before: `{
  "version": 1,
  "entries": [
    {
      "id": "hours",
      "question": "When are you open?",
      "alternates": [
        "when do you open"
      ],
      "answer": "Nine to five."
    }
  ]
}
`,
			after: `{
  "version": 1,
  "entries": [
    {
      "id": "hours",
      "question": "When are you open?",
      "alternates": [
        "when do you open",
        "say \"hi\""
      ],
      "answer": "Nine to five."
    }
  ]
}
`,
		},
		{
			name: "JSON without alternates", file: "faq.json", id: "hours", phrasing: "opening times",
			before: "{\"version\": 1, \"entries\": [\n  {\n    \"id\": \"hours\",\n    \"question\": \"When are you open?\",\n    \"answer\": \"Nine to five.\"\n  }\n]}\n",
			after:  "{\"version\": 1, \"entries\": [\n  {\n    \"id\": \"hours\",\n    \"question\": \"When are you open?\",\n    \"alternates\": [\"opening times\"],\n    \"answer\": \"Nine to five.\"\n  }\n]}\n",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), tc.file)
			if err := os.WriteFile(path, []byte(tc.before), 0o640); err != nil {
				t.Fatal(err)
			}
			if _, err := knowledge.Load(path); err != nil {
				t.Fatalf("the test's file does not load: %v", err)
			}
			edit, err := knowledge.AddAlternate(path, tc.id, tc.phrasing)
			if err != nil {
				t.Fatalf("AddAlternate: %v", err)
			}
			got, _ := os.ReadFile(path)
			if string(got) != tc.after {
				t.Errorf("file after the edit:\n%s\nwant:\n%s", got, tc.after)
			}
			f, err := knowledge.Load(path)
			if err != nil {
				t.Fatalf("the edited file does not load: %v", err)
			}
			b, err := match.New(f)
			if err != nil {
				t.Fatalf("the edited file does not index: %v", err)
			}
			if r := b.Search(tc.phrasing); len(r.Candidates) == 0 || r.Candidates[0].Entry.ID != tc.id || r.Decide(match.DefaultThreshold) != match.Answered {
				t.Errorf("the new phrasing does not answer with %q: %+v", tc.id, r)
			}
			if st, _ := os.Stat(path); st.Mode().Perm() != 0o640 {
				t.Errorf("mode = %v, want 0640 kept", st.Mode().Perm())
			}
			if leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".*tmp")); len(leftovers) > 0 {
				t.Errorf("temporary files left: %v", leftovers)
			}
			if err := edit.Revert(); err != nil {
				t.Fatalf("Revert: %v", err)
			}
			if got, _ := os.ReadFile(path); string(got) != tc.before {
				t.Errorf("after Revert:\n%s\nwant:\n%s", got, tc.before)
			}
		})
	}
}

func TestAddAlternateRefuses(t *testing.T) {
	const kb = `version: 1
entries:
  - id: refund
    question: How do I get a refund?
    alternates: [money back]
    answer: Write to billing.
  - id: hours
    question: When are you open?
    answer: Nine to five.
`
	for _, tc := range []struct {
		name, file, id, phrasing, want string
	}{
		{"unknown id", kb, "nope", "anything", `has no entry with id "nope"`},
		{"already a phrasing of the entry", kb, "refund", "Money back!", `"Money back!" is already a phrasing of "refund"`},
		{"a phrasing of another entry", kb, "hours", "money back", `is also a phrasing of entry "refund"`},
		{"empty", kb, "hours", "  ", "the phrasing to add is empty"},
		{"two lines", kb, "hours", "a\nb", "must be one line"},
		{"too long", kb, "hours", strings.Repeat("x", knowledge.MaxPhrasingLen+1), "the limit is 500"},
		{"broken file", "version: 1\nentries:\n  - id: hours\n", "hours", "opening times", "fix them before adding phrasings"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "faq.yaml")
			os.WriteFile(path, []byte(tc.file), 0o644)
			_, err := knowledge.AddAlternate(path, tc.id, tc.phrasing)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one saying %q", err, tc.want)
			}
			if got, _ := os.ReadFile(path); string(got) != tc.file {
				t.Errorf("the file changed although the edit was refused:\n%s", got)
			}
		})
	}
}

// TestAddAlternateThroughSymlink edits the file a link points to and keeps
// the link, as with a knowledge file mounted through a symbolic link.
func TestAddAlternateThroughSymlink(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "real.yaml")
	link := filepath.Join(dir, "faq.yaml")
	os.WriteFile(target, []byte("version: 1\nentries:\n  - id: hours\n    question: When are you open?\n    answer: Nine to five.\n"), 0o644)
	if err := os.Symlink("real.yaml", link); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	if _, err := knowledge.AddAlternate(link, "hours", "opening times"); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced by a file")
	}
	if got, _ := os.ReadFile(target); !strings.Contains(string(got), "- opening times") {
		t.Errorf("the target was not edited:\n%s", got)
	}
}

func TestRevertRefusesAfterAnotherChange(t *testing.T) {
	path := filepath.Join(t.TempDir(), "faq.yaml")
	os.WriteFile(path, []byte("version: 1\nentries:\n  - id: hours\n    question: When are you open?\n    answer: Nine to five.\n"), 0o644)
	edit, err := knowledge.AddAlternate(path, "hours", "opening times")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(path, []byte("version: 1\nentries: []\n"), 0o644)
	if err := edit.Revert(); err == nil || !strings.Contains(err.Error(), "changed after the edit") {
		t.Fatalf("Revert after another change gave %v", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "version: 1\nentries: []\n" {
		t.Errorf("Revert overwrote someone else's change: %s", got)
	}
}

// retypedPhrasings are phrasings that a YAML 1.1 reader (PyYAML, Ruby's
// Psych, go-yaml v2) takes for a boolean, a null, a number or a date when
// they are written plain.
var retypedPhrasings = []string{
	"yes", "Yes", "NO", "no", "y", "N", "on", "Off", "true", "False",
	"null", "Null",
	"12", "012", "0x1F", "0o17", "1_000", "1e3", "1.5", ".5", "+1", "-2", ".inf", ".NaN", "1:20",
	"2024-01-02", "2024-01-02 10:00:00",
}

// readBack decodes a YAML file with go-yaml v2, a YAML 1.1 reader, and
// returns the alternates of its first entry as that reader sees them.
func readBack(t *testing.T, data []byte) []any {
	t.Helper()
	var doc struct {
		Entries []struct {
			Alternates []any `yaml:"alternates"`
		} `yaml:"entries"`
	}
	if err := yaml11.Unmarshal(data, &doc); err != nil {
		t.Fatalf("a YAML 1.1 reader cannot read the file: %v\n%s", err, data)
	}
	if len(doc.Entries) == 0 {
		t.Fatalf("no entries:\n%s", data)
	}
	return doc.Entries[0].Alternates
}

// TestWrittenPhrasingsReadBackAsStrings adds each phrasing that YAML 1.1
// retypes with AddAlternate, and writes it with WriteYAML: a YAML 1.1
// reader reads the string back, and the plain phrasings stay plain.
func TestWrittenPhrasingsReadBackAsStrings(t *testing.T) {
	for _, p := range append(retypedPhrasings, "opening times") {
		t.Run(p, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "faq.yaml")
			before := "version: 1\nentries:\n  - id: hours\n    question: When are you open?\n    alternates:\n      - when do you open\n    answer: Nine to five.\n"
			if err := os.WriteFile(path, []byte(before), 0o600); err != nil {
				t.Fatal(err)
			}
			if _, err := knowledge.AddAlternate(path, "hours", p); err != nil {
				t.Fatal(err)
			}
			edited, _ := os.ReadFile(path)
			if got := readBack(t, edited); len(got) != 2 || got[1] != p {
				t.Errorf("AddAlternate wrote %q, which a YAML 1.1 reader reads as %#v", p, got[len(got)-1])
			}
			plain := strings.Contains(string(edited), "\n      - "+p+"\n")
			if wantPlain := p == "opening times"; plain != wantPlain {
				t.Errorf("AddAlternate wrote %q plain: %v, want %v:\n%s", p, plain, wantPlain, edited)
			}

			var buf strings.Builder
			f := &knowledge.File{Entries: []knowledge.Entry{{ID: "hours", Question: "When are you open?", Alternates: []string{p}, Answer: "Nine to five."}}}
			if err := knowledge.WriteYAML(&buf, f, ""); err != nil {
				t.Fatal(err)
			}
			if got := readBack(t, []byte(buf.String())); len(got) != 1 || got[0] != p {
				t.Errorf("WriteYAML wrote %q, which a YAML 1.1 reader reads as %#v:\n%s", p, got, buf.String())
			}
		})
	}
}
