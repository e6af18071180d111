package knowledge

import (
	"slices"
	"testing"
)

func TestWords(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"What is the Wi-Fi password?", []string{"what", "is", "the", "wi", "fi", "password"}},
		{"I don't know, it's 5pm", []string{"i", "do", "not", "know", "its", "5pm"}},
		{"dont cant whats", []string{"do", "not", "can", "not", "what", "is"}},
		{"l’été ’quoted’ rock'n'roll", []string{"lété", "quoted", "rocknroll"}},
		{"ＦＵＬＬＷＩＤＴＨ ﬁle", []string{"fullwidth", "file"}},
		{"STRASSE Straße", []string{"strasse", "strasse"}},
		{"Когда ОТКРЫТА библиотека?", []string{"когда", "открыта", "библиотека"}},
		{"  ...  ", nil},
	}
	a := newAnalyzer(mustLanguage(t, "en"))
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var got []string
			a.words(tt.in, nil, func(w string) { got = append(got, w) })
			if !slices.Equal(got, tt.want) {
				t.Errorf("words(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func mustLanguage(t *testing.T, code string) language {
	t.Helper()
	l, err := lookupLanguage(code)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestLookupLanguage(t *testing.T) {
	for code, want := range map[string]string{"": "english", "en": "english", "en-GB": "english", "English": "english", "ru": "russian", "nb": "norwegian", "sv_SE": "swedish", "hu": "hungarian", "es": "spanish", "fr": "french"} {
		l, err := lookupLanguage(code)
		if err != nil || l.name != want {
			t.Errorf("lookupLanguage(%q) = %q, %v; want %q", code, l.name, err, want)
		}
	}
	if got := Languages(); !slices.Equal(got, []string{"en", "es", "fr", "hu", "no", "ru", "sv"}) {
		t.Errorf("Languages() = %q", got)
	}
}

func TestWithinOneEdit(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"password", "password", true},
		{"pasword", "password", true},   // dropped letter
		{"passsword", "password", true}, // doubled letter
		{"psasword", "password", true},  // swapped neighbours
		{"passwprd", "password", true},  // neighbouring key
		{"pswd", "password", false},
		{"psaswrod", "password", false}, // two edits
		{"кнгиа", "книга", true},
		{"abc", "abd", true},
		{"ab", "ba", true},
		{"", "a", true},
		{"a", "bc", false},
	}
	for _, tt := range tests {
		t.Run(tt.a+"/"+tt.b, func(t *testing.T) {
			if got := withinOneEdit([]rune(tt.a), tt.b); got != tt.want {
				t.Errorf("withinOneEdit(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
			}
		})
	}
}

func TestTypoLookup(t *testing.T) {
	x := newTypoIndex()
	for i, w := range []string{"password", "parking", "printer", "lunch", "car"} {
		x.add(w, int32(i))
	}
	tests := []struct {
		word string
		want []int32
	}{
		{"pasword", []int32{0}},
		{"prakign", nil}, // two edits
		{"prking", []int32{1}},
		{"lunhc", []int32{3}},
		{"cat", nil}, // "car" is too short to be corrected to
		{"xyzzy", nil},
	}
	for _, tt := range tests {
		t.Run(tt.word, func(t *testing.T) {
			var got []int32
			x.lookup(tt.word, func(term int32, _ string) { got = append(got, term) })
			if !slices.Equal(got, tt.want) {
				t.Errorf("lookup(%q) = %v, want %v", tt.word, got, tt.want)
			}
		})
	}
}

func TestEachGram(t *testing.T) {
	tests := []struct {
		word string
		want []string
	}{
		{"card", []string{"^ca", "car", "ard", "rd$"}},
		{"a", []string{"^a$"}},
		{"ёж", []string{"^ёж", "ёж$"}},
	}
	for _, tt := range tests {
		var got []string
		eachGram(tt.word, nil, func(g []byte) { got = append(got, string(g)) })
		if !slices.Equal(got, tt.want) {
			t.Errorf("eachGram(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
}

func TestSynonyms(t *testing.T) {
	f := File{Version: 1, Language: "en",
		Synonyms: [][]string{{"car", "automobile"}, {"automobile", "motor vehicle"}, {"PTO", "paid time off"}},
		Entries: []Entry{
			{ID: "parking", Question: "Where do I park my car?", Answer: "In the basement."},
			{ID: "leave", Question: "How much PTO do I get?", Answer: "25 days."},
			{ID: "lunch", Question: "Is lunch free?", Answer: "Yes."},
		}}
	b, err := build("synonyms.yaml", f)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ question, want string }{
		{"where can I leave my automobile", "parking"},
		{"parking for a motor vehicle", "parking"}, // through automobile, a word of both groups
		{"how much paid time off", "leave"},
		{"paid lunch", "lunch"}, // "paid" alone is no synonym of PTO
	}
	for _, tt := range tests {
		t.Run(tt.question, func(t *testing.T) {
			best, ok := b.Search(tt.question).Best()
			if !ok || best.Entry.ID != tt.want {
				t.Errorf("best for %q is %+v, want %s", tt.question, best, tt.want)
			}
		})
	}
	f.Synonyms = [][]string{{"car", "?!"}}
	if _, err := build("synonyms.yaml", f); err == nil || err.Error() != `synonyms: group 1: "?!" has no words: give a word or a phrase` {
		t.Errorf("a synonym with no words: error %v", err)
	}
}

// TestGramKey checks that distinct n-grams, of letters from any plane,
// never share a key.
func TestGramKey(t *testing.T) {
	keys := make(map[uint64]string)
	for _, w := range []string{"card", "cart", "a", "b", "ёж", "ёжик", "日本語", "本日", "𝔘𝔫𝔦", "ĳ", "ab", "ba"} {
		eachGram(w, nil, func(g []byte) {
			k := gramKey(g)
			if other, ok := keys[k]; ok && other != string(g) {
				t.Errorf("gramKey(%q) = gramKey(%q) = %x", g, other, k)
			}
			keys[k] = string(g)
		})
	}
	if len(keys) < 20 {
		t.Errorf("only %d distinct n-grams", len(keys))
	}
}
