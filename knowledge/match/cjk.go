package match

import (
	_ "embed"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Chinese and Japanese write no spaces between words, and Korean writes
// its particles and endings onto the word ("비밀번호를", "password" as an
// object). Without a dictionary, the matcher does what search engines do
// for them (Lucene's CJKBigramFilter, Elasticsearch's cjk analyzer): a run
// of Han, Hiragana, Katakana or Hangul letters is read as its overlapping
// pairs of letters, "東京都は" as 東京, 京都, 都は, so that a question and
// an entry that share a word of two letters or more share terms however
// the text around it runs. A letter alone, with no CJK letter beside it,
// is a term of its own. Latin words inside CJK text ("ZettlrをWindowsに")
// stay words, and full-width letters and digits are read as ASCII, as the
// folder's NFKC makes them.
//
// Japanese writes its content words in kanji and katakana, and its
// particles, auxiliaries and endings in hiragana ("の", "です", "ますか"),
// after the word they belong to: a term of hiragana alone is a stop word,
// whatever the file's language, and where a kanji or katakana follows a
// hiragana, or kanji and katakana meet, a word starts, so that no pair
// spans the two ("を忘" of "パスワードを忘れた", "ル送" of "メール送信").
//
// Chinese has no such script of its own for them: its commonest function
// words, of two letters or one (cjkstop.txt), are stop words too.
//
// Such terms are not stemmed, and nothing built for words of letters
// (typo corrections, character n-grams, compounds, short forms, words
// similar in meaning) applies to them: one changed letter of a pair is
// another word altogether.

// isCJK reports whether r is a letter of a CJK script: Han, Hiragana,
// Katakana, Hangul, or a letter of the CJK symbols and kana blocks that
// belongs to no one script (the prolonged sound mark ー, 〆).
func isCJK(r rune) bool {
	if r < 0x1100 {
		return false
	}
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) ||
		0x3000 <= r && r <= 0x30ff && unicode.IsLetter(r)
}

// isCJKWord reports whether w, a word as words gives it, is a term of CJK
// letters: a pair of them or one alone.
func isCJKWord(w string) bool {
	if len(w) == 0 || w[0] < 0xe1 { // ASCII, and every letter before U+1100
		return false
	}
	r, _ := utf8.DecodeRuneInString(w)
	return isCJK(r)
}

// cjkTerms calls yield with the terms of word, a run of word letters that
// holds CJK letters: each run of other letters whole, and each run of CJK
// letters, cut where a Japanese word starts (see wordStarts), as its
// overlapping pairs, or alone where it is one letter. A mark stays with
// the letter before it. The terms are slices of word.
func cjkTerms(word string, yield func(w string)) {
	for i := 0; i < len(word); {
		r, size := utf8.DecodeRuneInString(word[i:])
		if !isCJK(r) {
			j := i + size
			for j < len(word) {
				r, size := utf8.DecodeRuneInString(word[j:])
				if isCJK(r) {
					break
				}
				j += size
			}
			yield(word[i:j])
			i = j
			continue
		}
		// prev is where the letter before this one starts, cur where
		// this one does; a pair runs from prev to the end of cur.
		prev, cur, pairs := -1, i, 0
		j := i + size
		for {
			// Take the marks that follow the letter at cur.
			for j < len(word) {
				r, size := utf8.DecodeRuneInString(word[j:])
				if !unicode.IsMark(r) {
					break
				}
				j += size
			}
			if prev >= 0 {
				yield(word[prev:j])
				pairs++
			}
			if j == len(word) {
				break
			}
			next, size := utf8.DecodeRuneInString(word[j:])
			if !isCJK(next) || wordStarts(r, next) {
				break
			}
			prev, cur, r = cur, j, next
			j += size
		}
		if pairs == 0 {
			yield(word[cur:j])
		}
		i = j
	}
}

// cjkStopFile lists the Chinese function words, one a line, with lines
// starting with # left out.
//
//go:embed cjkstop.txt
var cjkStopFile string

// cjkStopWords returns the words of cjkStopFile as a set.
func cjkStopWords() map[string]bool {
	set := make(map[string]bool)
	for line := range strings.Lines(cjkStopFile) {
		if w := strings.TrimSpace(line); w != "" && !strings.HasPrefix(w, "#") {
			set[w] = true
		}
	}
	return set
}

// isCJKStop reports whether w, a CJK term, is a stop word: hiragana alone
// (see isKanaStop), or one of the Chinese function words of stops.
func isCJKStop(w string, stops map[string]bool) bool {
	return isKanaStop(w) || stops[w]
}

// isKanaStop reports whether w, a CJK term, is hiragana alone, with its
// marks.
func isKanaStop(w string) bool {
	for _, r := range w {
		if !unicode.In(r, unicode.Hiragana, unicode.Mn) {
			return false
		}
	}
	return true
}

// wordStarts reports whether a word starts at next, a CJK letter after the
// CJK letter r: next is a kanji or katakana after a hiragana, a katakana
// after a kanji, or a kanji after a katakana.
func wordStarts(r, next rune) bool {
	switch {
	case unicode.Is(unicode.Han, next):
		return unicode.In(r, unicode.Hiragana, unicode.Katakana)
	case unicode.Is(unicode.Katakana, next):
		return unicode.In(r, unicode.Hiragana, unicode.Han)
	}
	return false
}
