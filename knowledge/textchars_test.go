package knowledge

import (
	"os"
	"path/filepath"
	"testing"
)

// TestLoadControlCharacters loads files holding control characters, in
// their bytes and written as YAML or JSON escapes: each is refused at its
// line (and, in the bytes, its column), saying which character and what
// to do; the line feed and the tab are text. YAML files give the same
// read an entry at a time as read whole.
func TestLoadControlCharacters(t *testing.T) {
	const head = "version: 1\nentries:\n  - id: a\n    question: How do I reset it?\n"
	const del = "delete it (a text may hold line breaks and tabs, but no other control character: a terminal or chat client would act on it)"
	for _, tc := range []struct {
		name, text, want string
	}{
		{"nul.yaml", head + "    answer: Press\x00 reset.\n", "nul.yaml:5:18: the control character NUL (U+0000) is not allowed in a knowledge file: " + del},
		{"esc.yaml", head + "    answer: |\n      Press reset.\n      Then \x1b[2J wait.\n", "esc.yaml:7:12: the control character ESC (U+001B) is not allowed in a knowledge file: " + del},
		{"del.yaml", "version: 1\ntitle: Help\x7f\nentries:\n  - id: a\n    question: Why?\n    answer: So.\n", "del.yaml:2:12: the control character DEL (U+007F) is not allowed in a knowledge file: " + del},
		// A byte order mark takes no column.
		{"bom.yaml", "\uFEFFversion: 1\a\nentries:\n  - id: a\n    question: Why?\n    answer: So.\n", "bom.yaml:1:11: the control character BEL (U+0007) is not allowed in a knowledge file: " + del},
		{"c1.yaml", head + "    answer: Prêt\u0090 à partir.\n", "c1.yaml:5:17: the control character U+0090 is not allowed in a knowledge file: " + del},
		{"noncharacter.yaml", head + "    answer: Done\ufffe.\n", "noncharacter.yaml:5:17: the noncharacter U+FFFE is not allowed in a knowledge file: " + del},
		{"escape.yaml", head + "    answer: \"Press \\e[2J reset.\"\n", `escape.yaml:5:13: entry "a": "answer" holds the control character ESC (U+001B): ` + del},
		{"osc.yaml", head + "    answer: ok\n  - id: b\n    question: What is my title?\n    alternates: [\"Who am I?\", \"What is \\x1b]0;pwned\\a?\"]\n    answer: A title.\n", `osc.yaml:8:31: entry "b": "alternate" holds the control character ESC (U+001B): ` + del},
		{"bell.yaml", "version: 1\ntitle: \"Help\\a\"\nentries:\n  - id: a\n    question: Why?\n    answer: So.\n", `bell.yaml:2:8: "title" holds the control character BEL (U+0007): ` + del},
		{"cr.yaml", head + "    answer: \"One.\\r\\nTwo.\"\n", `cr.yaml:5:13: entry "a": "answer" holds a carriage return (U+000D): write a line break as \n alone`},
		{"separator.yaml", head + "    answer: ok\n    tags: [\"a\\Lb\"]\n", `separator.yaml:6:12: entry "a": "tag" holds a line separator (U+2028): replace it with \n or a space`},
		{"nel.yaml", head + "    answer: \"One\\NTwo\"\n", `nel.yaml:5:13: entry "a": "answer" holds the control character NEL (U+0085): replace it with \n or a space`},
		{"escape.json", `{"version": 1, "entries": [{"id": "a", "question": "Why?", "answer": "Press \u001b[2J reset."}]}`, `escape.json:1:70: entry "a": "answer" holds the control character ESC (U+001B): ` + del},
		{"raw.json", "{\"version\": 1, \"entries\": [{\"id\": \"a\", \"question\": \"Why?\", \"answer\": \"Press \x1b[2J reset.\"}]}", "raw.json:1:77: the control character ESC (U+001B) is not allowed in a knowledge file: " + del},
		{"del.json", "{\"version\": 1, \"entries\": [{\"id\": \"a\", \"question\": \"Why\x7f?\", \"answer\": \"So.\"}]}", `del.json:1:52: entry "a": "question" holds the control character DEL (U+007F): ` + del},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), tc.name)
			if err := os.WriteFile(path, []byte(tc.text), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := Load(path)
			want := filepath.Join(filepath.Dir(path), tc.want)
			if err == nil || err.Error() != want {
				t.Errorf("Load = %v\nwant %s", err, want)
			}
			if !isJSON(tc.name) {
				checkBothWays(t, tc.name, []byte(tc.text))
			}
		})
	}
}

// TestLoadTextMayHoldTabsAndLineBreaks loads text with tabs and line
// breaks, in the file and as escapes: they are text, kept as written.
func TestLoadTextMayHoldTabsAndLineBreaks(t *testing.T) {
	for name, text := range map[string]string{
		"kb.yaml": "version: 1\r\nentries:\r\n  - id: a\r\n    question: Why?\r\n    answer: \"One\\ttwo.\\nThree.\"\r\n  - id: b\r\n    question: How?\r\n    answer: |\r\n      One\ttwo.\r\n      Three.\r\n",
		"kb.json": `{"version": 1, "entries": [{"id": "a", "question": "Why?", "answer": "One\ttwo.\nThree."}, {"id": "b", "question": "How?", "answer": "One\u0009two.\u000aThree."}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			f, err := Parse(name, []byte(text))
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range f.Entries {
				if e.Answer != "One\ttwo.\nThree." {
					t.Errorf("entry %s: answer %q", e.ID, e.Answer)
				}
			}
		})
	}
}

// TestRefusedIsBadChar checks every character: Refused, for importers,
// and badChar, which the loader scans text with, refuse the same ones.
func TestRefusedIsBadChar(t *testing.T) {
	for r := rune(0); r <= 0x10FFFF; r++ {
		if r >= 0xD800 && r <= 0xDFFF {
			continue // no UTF-8 encoding
		}
		_, at := badChar(string(r), false)
		if Refused(r) != (at >= 0) {
			t.Errorf("U+%04X: Refused %v, badChar finds it %v", r, Refused(r), at >= 0)
		}
	}
}
