package match

import (
	"slices"
	"testing"
)

// TestWordsCJK: runs of CJK letters are read as their overlapping pairs,
// cut where a Japanese word starts; Latin words among them stay words, and
// full-width forms read as ASCII.
func TestWordsCJK(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"Japanese with Latin words", "ZettlrをWindowsにインストールする",
			[]string{"zettlr", "を", "windows", "に", "イン", "ンス", "スト", "トー", "ール", "ルす", "する"}},
		{"Japanese kanji, kana and punctuation", "パスワードを忘れた場合は、どうすればいいですか？",
			[]string{"パス", "スワ", "ワー", "ード", "ドを", "忘れ", "れた", "場合", "合は", "どう", "うす", "すれ", "れば", "ばい", "いい", "いで", "です", "すか"}},
		{"Japanese katakana and kanji compound", "メール送信",
			[]string{"メー", "ール", "送信"}},
		{"Chinese", "如何申请发票？", []string{"如何", "何申", "申请", "请发", "发票"}},
		{"Chinese with a Latin name and digits", "调用ltp_server时为什会出现400错误",
			[]string{"调用", "ltp", "server", "时为", "为什", "什会", "会出", "出现", "400", "错误"}},
		{"one letter alone", "猫 と ZeroNet", []string{"猫", "と", "zeronet"}},
		{"Korean, word by word", "비밀번호를 잊어버렸어요", []string{"비밀", "밀번", "번호", "호를", "잊어", "어버", "버렸", "렸어", "어요"}},
		{"full-width forms", "ＰＤＦで書き出せますか１２３", []string{"pdf", "で", "書き", "出せ", "せま", "ます", "すか", "123"}},
		{"half-width katakana", "ﾊﾟｽﾜｰﾄﾞ", []string{"パス", "スワ", "ワー", "ード"}},
		{"English with one CJK name", "Where is the Tōkyō office, 東京?", []string{"where", "is", "the", "tōkyō", "office", "東京"}},
		{"iteration mark and prolonged sound", "時々ラーメン", []string{"時々", "ラー", "ーメ", "メン"}},
	}
	a := newAnalyzer(mustLanguage(t, "en"))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			a.words(tt.in, nil, func(w string) { got = append(got, w) })
			if !slices.Equal(got, tt.want) {
				t.Errorf("words(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestCJKTermsUnread: a CJK term is neither stemmed, nor corrected, nor
// given n-grams that another term shares; a term of hiragana alone is a
// stop word.
func TestCJKTermsUnread(t *testing.T) {
	a := newAnalyzer(mustLanguage(t, "en"))
	a.index("申请发票 アカウントを削除します", nil)
	a.buildTypos()
	if got := a.lookup("申请"); got < 0 {
		t.Fatalf("lookup(申请) = %d, want its term", got)
	}
	if got := a.lookup("申"); got >= 0 {
		t.Errorf("lookup(申) = %d, want none: a letter is not its pair", got)
	}
	for _, w := range []string{"申请发", "申发", "アカウト"} {
		a.typos.lookup(w, func(term int32, key string) {
			t.Errorf("typos.lookup(%q) found %q", w, key)
		})
	}
	for w, stop := range map[string]bool{"ます": true, "削除": false, "を削": false, "除し": false, "申请": false} {
		if got := isKanaStop(w); got != stop {
			t.Errorf("isKanaStop(%q) = %v, want %v", w, got, stop)
		}
	}
	grams := map[string]bool{}
	for _, w := range []string{"申请", "请发", "发票"} {
		eachGram(w, nil, func(g []byte) {
			if grams[string(g)] {
				t.Errorf("n-gram %q of %q is another term's too", g, w)
			}
			grams[string(g)] = true
		})
	}
}

// TestWordsASCIIAllocs: splitting ASCII text allocates nothing, CJK
// checks included.
func TestWordsASCIIAllocs(t *testing.T) {
	text := "how do i reset my password on the new laptop"
	n := 0
	allocs := testing.AllocsPerRun(100, func() {
		words(text, nil, nil, func(string) { n++ })
	})
	if allocs != 0 {
		t.Errorf("words allocates %v times a run on ASCII text, want 0", allocs)
	}
}

// TestCJKConfusions: the Japanese, Chinese and Korean test files, whose
// entries are about different things, have no confusions for faqbot check
// to warn of, and each phrasing asked word for word finds its own entry,
// confidently.
func TestCJKConfusions(t *testing.T) {
	for _, kb := range []string{"testdata/ja/kb.yaml", "testdata/zh/kb.yaml", "testdata/ko/kb.yaml"} {
		t.Run(kb, func(t *testing.T) {
			b := loadTestBase(t, kb)
			for _, c := range b.Confusions(DefaultThreshold) {
				t.Errorf("confusion: %q of %s with %s (%q)", c.Phrasing, c.Entry.ID, c.Other.ID, c.OtherPhrasing)
			}
			for _, e := range b.file.Entries {
				best, _ := b.Search(e.Question).Best()
				if best.Entry == nil || best.Entry.ID != e.ID || best.Confidence < 0.9 {
					t.Errorf("%q: best %+v, want %s at 0.9 or more", e.Question, best, e.ID)
				}
			}
		})
	}
}
