package convert

import "strings"

// Ids are spelt in ASCII letters, so a question in Korean or Japanese
// needs its words romanized to give its entry an id of its own. Korean's
// Hangul spells sounds, and is romanized whole; Japanese's katakana too,
// and is romanized, while its kanji and hiragana (whose reading needs a
// dictionary, and which mostly spell endings and particles) are left out,
// as Chinese's characters are.

// The letters of a Hangul syllable, in the Revised Romanization of Korean,
// spelt letter by letter: the initial consonants, vowels and final
// consonants, in Unicode's order, and the final consonants before a
// syllable that opens with a vowel, which they are sounded with ("yeoreo",
// not "yeoleo"). The sounds' other changes are left out.
var (
	hangulInitials = [...]string{"g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h"}
	hangulVowels   = [...]string{"a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi", "yu", "eu", "ui", "i"}
	hangulFinals   = [...]string{"", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t"}
	hangulLinked   = [...]string{"", "g", "kk", "gs", "n", "nj", "n", "d", "r", "lg", "lm", "lb", "ls", "lt", "lp", "r", "m", "b", "bs", "s", "ss", "ng", "j", "ch", "k", "t", "p", ""}
)

// katakana spells each katakana letter in Hepburn romanization, from ァ
// (U+30A1) to ヶ (U+30F6); the small letters are the vowels and glides
// that change the letter before them (see romanizeKatakana).
var katakana = strings.Fields(`
	a a i i u u e e o o ka ga ki gi ku gu ke ge ko go sa za shi ji su zu se ze so zo
	ta da chi ji tsu tsu zu te de to do na ni nu ne no ha ba pa hi bi pi fu bu pu
	he be pe ho bo po ma mi mu me mo ya ya yu yu yo yo ra ri ru re ro wa wa wi we o
	n vu ka ke`)

// romanize spells the Hangul and katakana in s in ASCII letters, leaving
// the rest as it is.
func romanize(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return isHangul(r) || isKatakana(r) }) {
		return s
	}
	var b strings.Builder
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case isHangul(r):
			k := int(r - 0xAC00)
			final := hangulFinals[k%28]
			if i+1 < len(rs) && isHangul(rs[i+1]) && int(rs[i+1]-0xAC00)/588 == 11 { // ㅇ: no sound
				final = hangulLinked[k%28]
			}
			b.WriteString(hangulInitials[k/588] + hangulVowels[k%588/28] + final)
		case isKatakana(r):
			j := i
			for j < len(rs) && (isKatakana(rs[j]) || rs[j] == 'ー') {
				j++
			}
			b.WriteString(romanizeKatakana(rs[i:j]))
			i = j - 1
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isHangul reports whether r is a Hangul syllable.
func isHangul(r rune) bool { return r >= 0xAC00 && r <= 0xD7A3 }

// isKatakana reports whether r is a katakana letter.
func isKatakana(r rune) bool { return r >= 0x30A1 && r <= 0x30F6 }

// romanizeKatakana spells a run of katakana in Hepburn romanization: a
// small ャ, ュ or ョ after a letter in i makes one sound with it (シャ is
// "sha"), a small vowel replaces the vowel before it (ファ is "fa"), a
// small ッ doubles the consonant after it, and the long mark ー is left
// out.
func romanizeKatakana(rs []rune) string {
	var b []byte
	isVowel := func(c byte) bool { return strings.IndexByte("aiueo", c) >= 0 }
	double := false
	for _, r := range rs {
		switch r {
		case 'ー':
			continue
		case 'ッ':
			double = true
			continue
		}
		syl := katakana[r-0x30A1]
		switch n := len(b); r {
		case 'ャ', 'ュ', 'ョ':
			if n > 0 && b[n-1] == 'i' {
				b = b[:n-1]
				if s := string(b); strings.HasSuffix(s, "sh") || strings.HasSuffix(s, "ch") || strings.HasSuffix(s, "j") {
					syl = syl[1:] // "sha", not "shya"
				}
			}
		case 'ァ', 'ィ', 'ゥ', 'ェ', 'ォ':
			if n > 0 && isVowel(b[n-1]) {
				b = b[:n-1]
				if n == 1 || isVowel(b[n-2]) {
					b = append(b, 'w') // ウィ is "wi"
				}
			}
		}
		if double {
			switch {
			case syl[0] == 'c':
				b = append(b, 't')
			case !isVowel(syl[0]) && syl[0] != 'n':
				b = append(b, syl[0])
			}
			double = false
		}
		b = append(b, syl...)
	}
	return string(b)
}
