package convert

import (
	"strings"
	"testing"

	"github.com/faqbot/faqbot/knowledge"
)

func TestSlugID(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"How much does membership cost?", "membership-cost"},
		{"How many holiday days do I get per year?", "holiday-days-per-year"},
		{"Can I bring my dog to work?", "bring-dog-work"},
		{"Why is my card not working?", "card-not-working"},
		{"What's the wifi password?", "wifi-password"},
		{"I'm locked out of my account", "locked-out-account"},
		{"Does Russia endorse Hamas?", "russia-endorse-hamas"},
		{"What drives Russia’s support for Palestine?", "drives-russia-support-palestine"},
		{"How do I?", "how-do-i"},
		{"¿Qué?", "que"},
		{"Wann ist geöffnet?", "wann-ist-geoffnet"},
		{"Поддерживает ли Россия Палестину?", "podderzhivaet-li-rossiya-palestinu"},
		{"???", "entry"},
		// Korean is romanized; Japanese's katakana too, its kanji and
		// hiragana left out; Chinese has no word to spell.
		{"도서관은 몇 시에 열어요?", "doseogwaneun-myeot-sie-yeoreoyo"},
		{"한국어로 물어봐도 돼요?", "hangugeoro-mureobwado-dwaeyo"},
		{"コピー機はありますか？", "kopi"},
		{"シャッターとチェックインとファイル", "shatta-chekkuin-fairu"},
		{"ウィンドウのティッシュ", "windou-tisshu"},
		{"Wi-Fiのパスワードは？", "wi-fi-pasuwado"},
		{"如何续借？", "entry"},
		{"Supercalifragilisticexpialidocious antidisestablishmentarianism words", "supercalifragilisticexpialidocious"},
	} {
		if got := slugID(tc.in, nil); got != tc.want {
			t.Errorf("slugID(%q) = %q; want %q", tc.in, got, tc.want)
		}
		if msg := knowledge.CheckID(slugID(tc.in, nil)); msg != "" {
			t.Errorf("slugID(%q) is not a valid id: %s", tc.in, msg)
		}
	}
}

// TestDraftID checks that a question with no word to spell in ASCII is
// named after the words its answer writes in Latin letters, the rarest in
// the document first, or else after its innermost section that has one
// and says more than "FAQ".
func TestDraftID(t *testing.T) {
	df := map[string]int{"app": 5, "settings": 1, "wechat": 1, "qq": 2}
	for _, tc := range []struct {
		q, answer string
		section   []string
		want      string
	}{
		{"如何续借？", "", []string{"Library", "借书"}, "library"},
		{"如何续借？", "在网站上续借。", []string{"Library", "Borrowing"}, "borrowing"},
		{"如何续借？", "", []string{"Library", "FAQ"}, "library"},
		{"如何续借？", "", []string{"Häufige Fragen"}, "entry"},
		{"如何续借？", "", nil, "entry"},
		{"Wie verlängere ich?", "In the app.", []string{"Borrowing"}, "wie-verlangere-ich"},
		{"可以用微信登录吗？", "在 App 的 Settings 里绑定 WeChat 或 QQ。", []string{"Borrowing"}, "settings-wechat-qq"},
		{"怎么联系？", "见 [说明](https://example.com/contact-us) 或 `www.example.com`，发邮件。", nil, "entry"},
		{"怎么安装？", "运行：\n\n```\nnpm install\n```\n\n然后打开 App。", nil, "app"},
	} {
		if got := draftID(tc.q, tc.answer, tc.section, df, nil); got != tc.want {
			t.Errorf("draftID(%q, %q, %q) = %q; want %q", tc.q, tc.answer, tc.section, got, tc.want)
		}
	}
}

func TestUniqueIDs(t *testing.T) {
	taken := map[string]bool{}
	for _, want := range []string{"a", "a-2", "a-3"} {
		if got := uniqueID("a", taken); got != want {
			t.Errorf("uniqueID = %q; want %q", got, want)
		}
	}
	long := strings.Repeat("x", knowledge.MaxIDLen)
	lines := map[string]int{long: 3}
	if got := freeID(long, lines); len(got) != knowledge.MaxIDLen || !strings.HasSuffix(got, "-2") {
		t.Errorf("freeID of a taken id of the longest length = %q; want one as long, ending in -2", got)
	}
	if got := cleanID(" what is this? "); got != "what-is-this" {
		t.Errorf("cleanID = %q", got)
	}
}
