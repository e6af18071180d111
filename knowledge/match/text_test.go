package match

import (
	"io/fs"
	"path"
	"slices"
	"strings"
	"testing"

	"github.com/faqbot/faqbot/knowledge"
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
		// The first part of a compound whose head the next word gives
		// is no word alone; a hyphen inside a word splits it.
		{"pre- and post-processing", []string{"and", "post", "processing"}},
		{"Groß- und Kleinschreibung", []string{"und", "kleinschreibung"}},
		{"well-known - or not -", []string{"well", "known", "or", "not"}},
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

// TestElision: French and Italian drop the elided article, pronoun or
// preposition before an apostrophe, so that "l'adresse" matches
// "adresse"; other words with an apostrophe are joined as before.
func TestElision(t *testing.T) {
	tests := []struct {
		lang, in string
		want     []string
	}{
		{"fr", "Quelle est l'adresse d'Anne ?", []string{"quelle", "est", "adresse", "anne"}},
		{"fr", "Qu’est-ce qu'il faut faire aujourd'hui", []string{"est", "ce", "il", "faut", "faire", "aujourdhui"}},
		{"fr", "jusqu'à l'été", []string{"à", "été"}},
		{"it", "Dov'è l'ufficio dell'amministrazione?", []string{"dovè", "ufficio", "amministrazione"}},
		{"it", "c'è un'altra stampante", []string{"è", "altra", "stampante"}},
		{"en", "l'adresse don't", []string{"ladresse", "do", "not"}},
	}
	for _, tt := range tests {
		t.Run(tt.lang+"/"+tt.in, func(t *testing.T) {
			a := newAnalyzer(mustLanguage(t, tt.lang))
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
	for code, want := range map[string]string{"": "english", "en": "english", "en-GB": "english", "English": "english", "ru": "russian", "nb": "norwegian", "sv_SE": "swedish", "hu": "hungarian", "es": "spanish", "fr": "french",
		"de": "german", "de-AT": "german", "German": "german", "pt_BR": "portuguese", "nl-BE": "dutch", "ga": "irish", "tr": "turkish", "ar-EG": "arabic", "ta": "tamil",
		"zh": "english", "zh-TW": "english", "ja": "english", "Japanese": "english", "ko": "english"} {
		l, err := lookupLanguage(code)
		if err != nil || l.name != want {
			t.Errorf("lookupLanguage(%q) = %q, %v; want %q", code, l.name, err, want)
		}
	}
	want := []string{"ar", "da", "de", "en", "es", "fi", "fr", "ga", "hu", "it", "nl", "no", "pt", "ro", "ru", "sv", "ta", "tr"}
	if got := knowledge.Languages(); !slices.Equal(got, want) {
		t.Errorf("Languages() = %q, want %q", got, want)
	}
}

// stopWordCodes are the languages whose stop words faqbot keeps in
// stopwords/, those that blevesearch/snowballstem stems.
var stopWordCodes = []string{"ar", "da", "de", "fi", "ga", "it", "nl", "pt", "ro", "ta", "tr"}

// TestLanguageTable checks every code and name in the languages table: each
// stems a word of its own language as its own Snowball stemmer does, not as
// English's would, and knows a stop word of its own and not English's.
func TestLanguageTable(t *testing.T) {
	samples := map[string]struct{ word, stem, stop string }{
		"english":    {"printers", "printer", "the"},
		"spanish":    {"impresoras", "impresor", "para"},
		"french":     {"imprimantes", "imprim", "pour"},
		"russian":    {"принтеры", "принтер", "где"},
		"swedish":    {"skrivarna", "skriv", "och"},
		"norwegian":  {"kontorene", "kontor", "hvor"},
		"hungarian":  {"nyomtatók", "nyomtató", "hogy"},
		"arabic":     {"الطابعات", "طابع", "أين"},
		"danish":     {"printerne", "print", "hvor"},
		"german":     {"drucker", "druck", "wo"},
		"finnish":    {"tulostimet", "tulostim", "missä"},
		"irish":      {"ngaillimh", "gaill", "cá"},
		"italian":    {"stampanti", "stampant", "dove"},
		"dutch":      {"wachtwoorden", "wachtwoord", "waar"},
		"portuguese": {"impressoras", "impressor", "onde"},
		"romanian":   {"imprimantele", "imprim", "unde"},
		"tamil":      {"அச்சுப்பொறிகள்", "சுப்பொறி", "எங்கே"},
		"turkish":    {"yazıcılar", "yazıcı", "nerede"},
	}
	en := mustLanguage(t, "en")
	for code, l := range languages() {
		t.Run(code+"/"+l.name, func(t *testing.T) {
			s, ok := samples[l.name]
			if !ok {
				t.Fatalf("no sample word for %s: add one here", l.name)
			}
			if got := l.stem(s.word, false); got != s.stem {
				t.Errorf("stem(%q) = %q, want %q", s.word, got, s.stem)
			}
			if !l.stop(s.stop) {
				t.Errorf("%q is not a stop word", s.stop)
			}
			if l.name == "english" {
				return
			}
			if got := en.stem(s.word, false); got == s.stem {
				t.Errorf("English stems %q as %s does, to %q: pick a sample that tells them apart", s.word, l.name, got)
			}
			if l.stop("the") || en.stop(s.stop) {
				t.Errorf("stop words: %q is %v, %q in English is %v; want false, false", "the", l.stop("the"), s.stop, en.stop(s.stop))
			}
		})
	}
	for _, code := range stopWordCodes {
		if words, err := readStopWords(code); err != nil || len(words) < 80 {
			t.Errorf("stopwords/%s.txt: %d words, error %v; want at least 80", code, len(words), err)
		}
	}
}

// TestStopWordFiles checks each list in stopwords/: it belongs to a language
// of the table, opens with a comment that says what it holds, and gives each
// word once, as one word in the form the matcher folds text to, so that the
// language takes it for a stop word.
func TestStopWordFiles(t *testing.T) {
	names, err := fs.Glob(stopWordFiles, "stopwords/*")
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, name := range names {
		code := strings.TrimSuffix(path.Base(name), ".txt")
		codes = append(codes, code)
		t.Run(code, func(t *testing.T) {
			data, err := stopWordFiles.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(string(data), "# ") {
				t.Errorf("%s does not open with a comment", name)
			}
			l := mustLanguage(t, code)
			a := newAnalyzer(l)
			words, err := readStopWords(code)
			if err != nil {
				t.Fatal(err)
			}
			seen := make(map[string]bool)
			for _, w := range words {
				if seen[w] {
					t.Errorf("%q is listed twice", w)
				}
				seen[w] = true
				if got := a.foldedWords(w); len(got) != 1 || got[0] != w {
					t.Errorf("%q reads as %q: write it as the matcher folds it, one word", w, got)
				}
				if !l.stop(w) {
					t.Errorf("%q is not taken for a stop word", w)
				}
			}
		})
	}
	if !slices.Equal(codes, stopWordCodes) {
		t.Errorf("stopwords/ holds %q, want %q", codes, stopWordCodes)
	}
}

// TestFoldLanguages checks that words of each script come through folding
// and splitting whole, in the form their stemmer expects: German ß and
// umlauts, Turkish dotted and dotless i, Arabic letters and marks, Tamil
// vowel signs, Irish mutations and Romanian ș beside ş.
func TestFoldLanguages(t *testing.T) {
	tests := []struct {
		code, in string
		want     []string
	}{
		{"de", "Grüße aus der STRASSE, Größe", []string{"grüsse", "aus", "der", "strasse", "grösse"}},
		{"tr", "İZİN, IŞIK ve ılık İstanbul", []string{"izin", "ışık", "ve", "ılık", "istanbul"}},
		{"tr", "IZGARA Izgara", []string{"ızgara", "ızgara"}}, // ASCII too: I is ı in Turkish
		{"en", "IZGARA İzin", []string{"izgara", "i\u0307zin"}},
		{"ar", "هل يوجد موقف للسيارات؟ ﻻ، أيضاً", []string{"هل", "يوجد", "موقف", "للسيارات", "لا", "أيضاً"}},
		{"ta", "விடுப்பு எப்படி கேட்பது?", []string{"விடுப்பு", "எப்படி", "கேட்பது"}},
		{"ta", "\u0b8e\u0baa\u0bcd\u0baa\u0bc6\u0bbe\u0bb4\u0bc1\u0ba4\u0bc1", []string{"\u0b8e\u0baa\u0bcd\u0baa\u0bca\u0bb4\u0bc1\u0ba4\u0bc1"}}, // ொ composed
		{"ga", "Níl an t-Oifig i nGaillimh", []string{"níl", "an", "t", "oifig", "i", "ngaillimh"}},
		{"nl", "Ĳsbaan", []string{"ijsbaan"}},
	}
	for _, tt := range tests {
		t.Run(tt.code+"/"+tt.in, func(t *testing.T) {
			a := newAnalyzer(mustLanguage(t, tt.code))
			if got := a.foldedWords(tt.in); !slices.Equal(got, tt.want) {
				t.Errorf("words(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
	same := []struct{ code, a, b string }{
		{"de", "Grüße", "GRÜSSE"},
		{"de", "Fahrräder", "Fahrrad"},
		{"tr", "İZİNLER", "izinler"},
		{"tr", "YAZICILAR", "yazıcılar"},
		{"ar", "الطابعات", "الطابعة"},
		{"ar", "أيضاً", "أيضا"},
		{"ro", "ședințele", "şedinţele"},
		{"ga", "nGaillimh", "Gaillimh"},
	}
	for _, tt := range same {
		l := mustLanguage(t, tt.code)
		a := newAnalyzer(l)
		sa, sb := l.stem(a.foldedWords(tt.a)[0], false), l.stem(a.foldedWords(tt.b)[0], false)
		if sa != sb {
			t.Errorf("%s: %q stems to %q, %q to %q; want the same", tt.code, tt.a, sa, tt.b, sb)
		}
	}
	for _, tt := range []struct{ code, word string }{{"ar", "أيضاً"}, {"ro", "şi"}, {"ro", "și"}, {"tr", "NASIL"}, {"it", "Dov'è"}} {
		a := newAnalyzer(mustLanguage(t, tt.code))
		if w := a.foldedWords(tt.word); len(w) != 1 || !a.lang.stop(w[0]) {
			t.Errorf("%s: %q (%q) is not a stop word", tt.code, tt.word, w)
		}
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
	f := knowledge.File{Version: 1, Language: "en",
		Synonyms: [][]string{{"car", "automobile"}, {"automobile", "motor vehicle"}, {"PTO", "paid time off"}},
		Entries: []knowledge.Entry{
			{ID: "parking", Question: "Where do I park my car?", Answer: "In the basement."},
			{ID: "leave", Question: "How much PTO do I get?", Answer: "25 days."},
			{ID: "lunch", Question: "Is lunch free?", Answer: "Yes."},
		}}
	b, err := New(&f)
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
	if _, err := New(&f); err == nil || err.Error() != `synonyms: group 1: "?!" has no words: give a word or a phrase` {
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

func TestStopWords(t *testing.T) {
	for _, tc := range []struct {
		lang, word string
		want       bool
	}{
		{"", "the", true}, {"en", "garden", false}, {"de", "für", true}, {"german", "und", true},
		{"de", "fahrrad", false}, {"fr", "et", true}, {"es", "para", true},
	} {
		stop, err := StopWords(tc.lang)
		if err != nil {
			t.Fatal(err)
		}
		if got := stop(tc.word); got != tc.want {
			t.Errorf("StopWords(%q)(%q) = %v; want %v", tc.lang, tc.word, got, tc.want)
		}
	}
	if _, err := StopWords("klingon"); err == nil {
		t.Error("StopWords(klingon) gave no error")
	}
}
