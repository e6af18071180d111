package convert

import (
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/faqbot/faqbot/internal/lazyregexp"
	"github.com/faqbot/faqbot/knowledge"
)

// Ids of imported entries. Every importer names an entry that has no id of
// its own with slugID (the document readers with draftID, in the
// document's language's stop words), keeps ids unique with uniqueID or
// freeID, and makes a document's own id valid with cleanID.

// idStopWords are left out of ids: words that make ids long and say
// little of what the question is about.
var idStopWords = map[string]bool{
	"a": true, "an": true, "the": true, "of": true, "for": true, "to": true, "in": true, "on": true,
	"and": true, "or": true, "is": true, "are": true, "was": true, "were": true, "be": true, "been": true,
	"am": true, "do": true, "does": true, "did": true, "how": true, "what": true, "why": true, "when": true,
	"where": true, "who": true, "which": true, "can": true, "could": true, "should": true, "would": true,
	"will": true, "i": true, "im": true, "my": true, "me": true, "you": true, "your": true, "we": true, "our": true,
	"it": true, "its": true, "this": true, "that": true, "these": true, "those": true,
	"with": true, "by": true, "from": true, "into": true, "about": true, "as": true, "at": true,
	"has": true, "have": true, "there": true, "their": true, "they": true, "if": true,
	"s": true, "much": true, "many": true, "any": true, "some": true, "get": true, "gets": true,
	"got": true, "so": true, "just": true, "also": true, "very": true, "please": true,
}

// slugID makes an id from a question: the words that carry its meaning,
// in order, lower case and spelt in ASCII, joined by hyphens, at most five
// words and 40 characters ("How much does membership cost?" gives
// "membership-cost"). stop says which words carry little meaning, in the
// document's language; nil means English. A question of stop words alone
// keeps them all; one with no word that can be spelt in ASCII gives
// "entry".
func slugID(q string, stop func(word string) bool) string {
	if id := slug(q, stop); id != "" {
		return id
	}
	return "entry"
}

// slug is slugID with "" for a question that has no word that can be
// spelt in ASCII (one in Chinese).
func slug(q string, stop func(word string) bool) string {
	if stop == nil {
		stop = func(w string) bool { return idStopWords[w] }
	}
	var words []string
	var sig []string
	for _, w := range strings.FieldsFunc(strings.ToLower(q), func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || r == '\'' || r == '’')
	}) {
		w = strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s")
		w = strings.NewReplacer("'", "", "’", "").Replace(w)
		isStop := stop(w)
		for _, part := range strings.FieldsFunc(asciiFold(w), func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
		}) {
			words = append(words, part)
			if !isStop && !stop(part) {
				sig = append(sig, part)
			}
		}
	}
	if len(sig) == 0 {
		sig = words
	}
	id := ""
	for i, w := range sig {
		if i == 5 || id != "" && len(id)+1+len(w) > 40 {
			break
		}
		if id != "" {
			id += "-"
		}
		id += w
	}
	if len(id) > 40 {
		id = id[:40]
	}
	return id
}

// answerSlug makes an id for a question with no word that can be spelt in
// ASCII from the words its answer writes in Latin letters (names,
// commands, terms: "ZeroNet", "UPnP"): the three that the fewest of the
// document's answers use (df counts them), in the answer's order, so that
// the id names what sets the entry apart. It returns "" for an answer
// with no such word.
func answerSlug(answer string, df map[string]int, stop func(string) bool) string {
	words := latinWords(answer, stop)
	pos := make(map[string]int, len(words))
	for i, w := range words {
		pos[w] = i
	}
	picked := slices.Clone(words)
	slices.SortStableFunc(picked, func(a, b string) int { return df[a] - df[b] })
	picked = picked[:min(3, len(picked))]
	slices.SortFunc(picked, func(a, b string) int { return pos[a] - pos[b] })
	return slug(strings.Join(picked, " "), stop)
}

// latinWords returns the words an answer writes in Latin letters, lower
// case, each once, in order: not in code blocks, link targets, web
// addresses or HTML tags, and not stop words, numbers or single letters.
func latinWords(answer string, stop func(string) bool) []string {
	if stop == nil {
		stop = func(w string) bool { return idStopWords[w] }
	}
	answer = fencedCodeRe.ReplaceAllString(answer, " ")
	answer = linkTargetRe.ReplaceAllString(answer, "]")
	answer = webAddressRe.ReplaceAllString(answer, " ")
	var out []string
	seen := map[string]bool{}
	for _, w := range strings.FieldsFunc(strings.ToLower(answer), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	}) {
		if len(w) < 2 || strings.Trim(w, "0123456789") == "" || stop(w) || seen[w] {
			continue
		}
		seen[w] = true
		out = append(out, w)
	}
	return out
}

var (
	fencedCodeRe = lazyregexp.New("(?s)```.*?(?:```|$)")
	linkTargetRe = lazyregexp.New(`\]\([^)]*\)`)
	webAddressRe = lazyregexp.New(`(?i)(?:https?://|www\.)\S+|<[^>]*>`)
)

// cyrillicLatin transliterates Russian letters for ids.
var cyrillicLatin = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "e", 'ж': "zh", 'з': "z", 'и': "i",
	'й': "y", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t",
	'у': "u", 'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "shch", 'ъ': "", 'ы': "y", 'ь': "",
	'э': "e", 'ю': "yu", 'я': "ya",
}

// asciiFold spells lower-case text in ASCII letters where it can: accents
// are dropped ("geöffnet" gives "geoffnet"), a few letters spelt out ("ß"
// gives "ss"), Russian transliterated, and Korean and Japanese
// romanized where they spell sounds (see romanize).
func asciiFold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(romanize(s)) {
		switch {
		case r < utf8.RuneSelf:
			b.WriteRune(r)
		case unicode.Is(unicode.Mn, r):
		case r == 'ß':
			b.WriteString("ss")
		case r == 'æ':
			b.WriteString("ae")
		case r == 'ø':
			b.WriteString("o")
		case r == 'đ' || r == 'ð':
			b.WriteString("d")
		case r == 'ł':
			b.WriteString("l")
		case r == '’' || r == '‘':
			b.WriteRune('\'')
		default:
			if l, ok := cyrillicLatin[r]; ok {
				b.WriteString(l)
			} else {
				b.WriteRune(' ')
			}
		}
	}
	return b.String()
}

// cleanID makes s a valid id: characters that may not be in one become
// '-', and it is cut to MaxIDLen.
func cleanID(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.TrimSpace(s) {
		if knowledge.ValidIDRune(r) {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	id := strings.TrimRight(b.String(), "-")
	if len(id) > knowledge.MaxIDLen {
		id = strings.TrimRight(id[:knowledge.MaxIDLen], "-")
	}
	return id
}

// freeID returns id, or id-2, id-3, ... the first that taken lacks, cut to
// leave room for the suffix within MaxIDLen.
func freeID[V any](id string, taken map[string]V) string {
	out := id
	for n := 2; ; n++ {
		if _, ok := taken[out]; !ok {
			return out
		}
		suffix := "-" + strconv.Itoa(n)
		out = id[:min(len(id), knowledge.MaxIDLen-len(suffix))] + suffix
	}
}

// uniqueID returns freeID(id, taken) and takes it.
func uniqueID(id string, taken map[string]bool) string {
	out := freeID(id, taken)
	taken[out] = true
	return out
}
