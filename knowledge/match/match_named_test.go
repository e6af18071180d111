package match

import (
	"slices"
	"testing"
)

// TestNamedWords tells the words a question writes as names from the
// rest.
func TestNamedWords(t *testing.T) {
	tests := []struct {
		question string
		want     []string
	}{
		{"Can I use Geyser with Minecraft Education Edition?", []string{"Geyser", "Minecraft", "Education", "Edition"}},
		{"how do i change my nickname on the server", nil},
		{"How Do I Reset My Password?", nil},
		{"WHY IS THE SITE DOWN", nil},
		{"Can I export PDFs from CubeCraft's site?", []string{"PDFs", "CubeCraft's"}},
		{"It fails. Why? I'm storing ITAR-controlled data", []string{"ITAR"}},
		{"the VNC viewer says: Disconnected", []string{"VNC"}},
		{"black screen w/ an X in vnc", nil},
	}
	for _, tt := range tests {
		if got := namedWords(tt.question, nil); !slices.Equal(got, tt.want) {
			t.Errorf("namedWords(%q) = %q, want %q", tt.question, got, tt.want)
		}
	}
}

// TestNamedThings asks a file of one phrasing an entry questions in its
// entries' words: one that names a thing the best entry never names is
// refused, and one whose names the entry holds, as they are or read as
// its words, is answered; capitals that name nothing change nothing.
func TestNamedThings(t *testing.T) {
	b := loadTestBase(t, "testdata/named/kb.yaml")
	checkAnswers(t, b, []answerCase{
		{"Can I run the bridge on Solaris?", "", "a name the entry lacks, its other words all the entry's"},
		{"Can I run the bridge on Linux?", "", "another thing of the entry's kind"},
		{"Can I use the bridge with the Education Edition?", "", "two names, no entry holds both"},
		{"can i run the bridge on solaris", "windows", "chat in small letters names nothing by its form"},
		{"Can I Run The Bridge On Solaris?", "windows", "capitals throughout name nothing"},
		{"Can I run the bridge on Windows?", "windows", "the file's own question"},
		{"Can Java Edition players join my Bedrock world?", "crossplay", "names the entry holds"},
		{"Do my worlds have to fit in RAM?", "memory", "a name read as a word of the entry similar in meaning"},
		{"Which UDP port does the bridge listen on?", "ports", "an acronym the answer holds"},
		{"Why do messages never reach my SQS queue?", "queue", "a name that holds little of the question's weight"},
	})
}

// TestNamedWordsAllocs: telling a question's names, which every search of
// a file of few phrasings does, allocates nothing once dst has room.
func TestNamedWordsAllocs(t *testing.T) {
	question := "Can I use Geyser with Minecraft Education Edition? It fails. I'm storing ITAR-controlled data"
	dst := make([]string, 0, 16)
	allocs := testing.AllocsPerRun(100, func() {
		dst = namedWords(question, dst[:0])
	})
	if allocs != 0 {
		t.Errorf("namedWords allocates %v times a run, want 0", allocs)
	}
}

// TestNamedShortening: a name that shortens words of the best entry, here
// the initials of its answer's "Java Edition", costs the entry nothing,
// where a name of the same letters that shortens none of its words lowers
// its confidence.
func TestNamedShortening(t *testing.T) {
	b := loadTestBase(t, "testdata/named/kb.yaml")
	confidence := func(question string) float64 {
		r := b.Search(question)
		if len(r.Candidates) == 0 || r.Candidates[0].Entry.ID != "crossplay" {
			t.Fatalf("Search(%q): crossplay is not first: %+v", question, r.Candidates)
		}
		return r.Candidates[0].Confidence
	}
	short, other := confidence("Can JE players join a Bedrock world?"), confidence("Can QX players join a Bedrock world?")
	if short <= other {
		t.Errorf("confidence with JE, Java Edition's initials, %.3f; with QX, no shortening, %.3f: want it higher", short, other)
	}
}
