package bot_test

import (
	"context"
	"strings"
	"testing"

	"github.com/faqbot/faqbot/bot"
)

// twoBases returns bases whose default serves testdata/kb.yaml (an office
// FAQ) and whose base "politics" serves knowledge/testdata/palestine.yaml in Slack
// channel C0POL, Slack workspace T0POL and Discord server 400, with its
// own admin U0ADM.
func twoBases(t *testing.T) *bot.Bases {
	t.Helper()
	office := "testdata/kb.yaml"
	def := newBot(t, &office, bot.Options{})
	kb, err := bot.LoadBase("../knowledge/testdata/palestine.yaml")
	if err != nil {
		t.Fatal(err)
	}
	pol := bot.New(kb, bot.Options{Name: "politics", Threshold: 0.5})
	return bot.NewBases(def, bot.Scoped{
		Bot:      pol,
		Spaces:   map[string][]string{"slack": {"T0POL"}, "discord": {"400"}},
		Channels: map[string][]string{"slack": {"C0POL"}},
		Admins:   map[string][]string{"slack": {"U0ADM"}},
	})
}

func TestBasesPickTheMostSpecificScope(t *testing.T) {
	bs := twoBases(t)
	const office, politics = "What is the wifi password?", "Does Russia support Palestine?"
	tests := []struct {
		name string
		msg  bot.Message
		want string // the base that answers
	}{
		{"a listed channel", bot.Message{Platform: "slack", Space: "T0OTHER", Channel: "C0POL", Origin: bot.Mention}, "politics"},
		{"a listed workspace", bot.Message{Platform: "slack", Space: "T0POL", Channel: "C0ANY", Origin: bot.Mention}, "politics"},
		{"a listed server", bot.Message{Platform: "discord", Space: "400", Channel: "500", Origin: bot.Command}, "politics"},
		{"the same id on the other platform", bot.Message{Platform: "discord", Space: "T0POL", Channel: "C0POL", Origin: bot.Mention}, "default"},
		{"elsewhere", bot.Message{Platform: "slack", Space: "T0OTHER", Channel: "C0ANY", Origin: bot.Mention}, "default"},
		{"a DM, even from a listed workspace", bot.Message{Platform: "slack", Space: "T0POL", Channel: "D0DM", Origin: bot.Direct}, "default"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := bs.For(bot.ScopeOf(tt.msg)).BaseName(); got != tt.want {
				t.Fatalf("For = %s, want %s", got, tt.want)
			}
			q := office
			if tt.want == "politics" {
				q = politics
			}
			m := tt.msg
			m.Text, m.User = q, "U0"+strings.ToUpper(tt.want)
			r, ok := bs.Handle(context.Background(), m)
			if !ok || r.Kind != bot.Answer {
				t.Fatalf("%q in %s: %v %+v, want an answer", q, tt.want, ok, r)
			}
			m.Text = map[bool]string{true: office, false: politics}[tt.want == "politics"]
			if r, _ := bs.Handle(context.Background(), m); r.Kind == bot.Answer {
				t.Errorf("%q was answered from %s, whose file does not have it: %q", m.Text, tt.want, r.Entry.ID)
			}
		})
	}
}

func TestBasesShowAndVoteInScope(t *testing.T) {
	bs := twoBases(t)
	pol := bot.Scope{Platform: "slack", Space: "T0POL", Channel: "C0POL"}
	if r, ok := bs.Show(pol, "wifi-password"); ok {
		t.Errorf("the office entry showed in the politics channel: %+v", r)
	}
	if _, ok := bs.Show(bot.Scope{Platform: "slack", Channel: "C0ANY"}, "wifi-password"); !ok {
		t.Error("the office entry did not show in another channel")
	}
	for _, s := range bs.Complete(pol, "wifi", 5) {
		if _, office := bs.Default().Base().Entry(s.ID); office {
			t.Errorf("completing in the politics channel offered office entry %s", s.ID)
		}
	}
	r := bs.Vote(context.Background(), bot.Vote{Platform: "slack", Space: "T0POL", Channel: "C0POL", User: "U1", EntryID: "wifi-password", Up: true})
	if r.Kind != bot.Refusal {
		t.Errorf("a vote on an office entry in the politics channel was taken: %+v", r)
	}
}

func TestBasesNamedByAdmins(t *testing.T) {
	bs := twoBases(t)
	ctx := context.Background()
	elsewhere := bot.Message{Platform: "slack", Channel: "C0ANY", Origin: bot.Command}
	tests := []struct {
		name     string
		user     string
		admin    bool
		text     string
		want     bot.Kind
		contains string
	}{
		{"a base admin names it", "U0ADM", false, "why base:politics does russia support palestine", bot.Info, "russia"},
		{"a platform admin names it", "U0BOSS", true, "list base:politics", bot.Info, "Palestine"},
		{"anyone else may not", "U0ANY", false, "list base:politics", bot.Refusal, "only the admins"},
		{"an unknown base", "U0BOSS", true, "reload base:sales", bot.Refusal, `no knowledge base "sales"; there are default, politics`},
		{"a base admin is no admin elsewhere", "U0ADM", false, "stats", bot.Refusal, "only admins"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := elsewhere
			m.User, m.Admin, m.Text = tt.user, tt.admin, tt.text
			r, ok := bs.Handle(ctx, m)
			if !ok || r.Kind != tt.want || !strings.Contains(strings.ToLower(r.Text), strings.ToLower(tt.contains)) {
				t.Errorf("%q -> %v %v %q; want %v holding %q", tt.text, ok, r.Kind, r.Text, tt.want, tt.contains)
			}
		})
	}
	// In its own scope a base admin is an admin of that base.
	m := bot.Message{Platform: "slack", Channel: "C0POL", Origin: bot.Command, User: "U0ADM", Text: "stats"}
	if r, _ := bs.Handle(ctx, m); r.Kind == bot.Refusal && strings.Contains(r.Text, "only admins") {
		t.Errorf("the base's admin was refused in its scope: %q", r.Text)
	}
}
