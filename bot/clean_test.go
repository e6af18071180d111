package bot

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestClean(t *testing.T) {
	tests := []struct{ in, want string }{
		{"  what is   the\twifi\npassword?  ", "what is the wifi password?"},
		{"wi\u200bfi pass\u200dword", "wifi password"},
		{"\u202eevil\u202c text", "evil text"},
		{"bad \xff\xfe utf8", "bad utf8"},
		{"\x00\x07bell", "bell"},
		{"🙂🙂", "🙂🙂"},
		{"   ", ""},
	}
	for _, tt := range tests {
		if got := Clean(tt.in); got != tt.want {
			t.Errorf("Clean(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	long := Clean(strings.Repeat("é", 40000))
	if n := utf8.RuneCountInString(long); n != MaxQuestion {
		t.Errorf("a 40,000-character message was cut to %d characters, want %d", n, MaxQuestion)
	}
	words := Clean(strings.Repeat("abc ", 10000))
	if n := utf8.RuneCountInString(words); n > MaxQuestion || strings.HasSuffix(words, " ") {
		t.Errorf("a 40,000-character message was cut to %d characters ending %q", n, words[len(words)-3:])
	}
}

func TestDefuse(t *testing.T) {
	for _, in := range []string{"@everyone", "@here", "<!channel>", "<@U123>", "<@&42>", "<!subteam^S1>", "[click](https://evil.example)", "<https://evil.example|click>"} {
		out := Defuse("hi " + in)
		if strings.Contains(out, in) {
			t.Errorf("Defuse kept %q: %q", in, out)
		}
	}
	if got := Defuse("plain text"); got != "plain text" {
		t.Errorf("Defuse changed plain text: %q", got)
	}
}

func TestSplitCommand(t *testing.T) {
	tests := []struct {
		text       string
		slash      bool
		name, args string
	}{
		{"what is x", false, "", "what is x"},
		{"/faq list foo", false, "list", "foo"},
		{"/faq", false, "help", ""},
		{"/faqs are great", false, "", "/faqs are great"},
		{"list foo", true, "list", "foo"},
		{"LIST", true, "list", ""},
		{"why is the sky blue", false, "", "why is the sky blue"},
		{"why is the sky blue", true, "why", "is the sky blue"},
		{"how do I reload the page", true, "", "how do I reload the page"},
	}
	for _, tt := range tests {
		name, args := splitCommand(tt.text, tt.slash)
		if name != tt.name || args != tt.args {
			t.Errorf("splitCommand(%q, %v) = %q, %q; want %q, %q", tt.text, tt.slash, name, args, tt.name, tt.args)
		}
	}
}

func TestSeen(t *testing.T) {
	s := NewSeen(3, time.Minute)
	now := time.Unix(0, 0)
	s.now = func() time.Time { return now }
	if !s.First("a") || s.First("a") {
		t.Fatal("a key was not remembered")
	}
	s.First("b")
	s.First("c")
	s.First("d") // evicts a: at most 3 keys
	if !s.First("a") {
		t.Error("the oldest key was not forgotten when full")
	}
	now = now.Add(2 * time.Minute)
	if !s.First("d") {
		t.Error("a key was remembered past its time to live")
	}
}
