package gitsource_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/bot/bottest"
	"github.com/faqbot/faqbot/gitsource"
	"github.com/faqbot/faqbot/knowledge"
	"github.com/faqbot/faqbot/store"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// openSource clones r into a folder of the test's own.
func openSource(t *testing.T, r *remote) *gitsource.Source {
	t.Helper()
	src, err := gitsource.Open(context.Background(), gitsource.Options{URL: r.URL, Branch: "main", Path: "kb.yaml", Dir: filepath.Join(t.TempDir(), "clone")})
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// checkServed checks that commit c, pushed for an edit from chat, is
// authored by the admin of these tests with the message given, that the
// reply begins with replyStart and names the commit, and that the bot
// serves it.
func checkServed(t *testing.T, b *bot.Bot, c *object.Commit, reply bot.Reply, message, replyStart string) {
	t.Helper()
	if c.Author.Name != "Ann Admin" || c.Author.Email != "slack:U42" || c.Message != message {
		t.Errorf("commit by %s <%s>:\n%s", c.Author.Name, c.Author.Email, c.Message)
	}
	if reply.Kind != bot.Info || !strings.HasPrefix(reply.Text, replyStart+" in commit `"+c.Hash.String()+"`.") {
		t.Errorf("reply: %s", reply.Text)
	}
	if b.Version() != c.Hash.String() {
		t.Errorf("serves %s, not the commit pushed %s", b.Version(), c.Hash)
	}
}

// TestPromoteBecomesACommit promotes an unanswered question from chat on
// a bot whose knowledge comes from a repository: the phrasing reaches the
// remote as a commit authored by the admin, the bot serves that commit,
// and /faq history lists it.
func TestPromoteBecomesACommit(t *testing.T) {
	r, first := newRemote(t, "kb.yaml")
	src := openSource(t, r)
	kb, err := src.LoadCheckedOut()
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(context.Background(), store.Options{Path: filepath.Join(t.TempDir(), "faqbot.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	b := bot.New(kb, bot.Options{Threshold: 0.85, Load: src.Load, Version: src.Commit, Publisher: src, Store: st, Recorder: st})
	p := bottest.New(t, b)
	p.Ask("can I bring my dog to work")
	p.Ask("can I bring my dog to work")
	admin := func(text string) bot.Reply {
		r, _ := p.Send(bot.Message{Platform: "slack", User: "U42", UserName: "Ann Admin", Text: text, Origin: bot.Direct, Admin: true})
		return r
	}
	admin("/faq unanswered")
	reply := admin("/faq promote 1 to parking")
	log := r.Log(t)
	if len(log) != 2 || log[1].Hash.String() != first {
		t.Fatalf("remote history: %v\nreply: %s", log, reply.Text)
	}
	c := log[0]
	checkServed(t, b, c, reply,
		"faq: add a phrasing to parking\n\n“can I bring my dog to work” was asked 2 times and not answered; Ann Admin added it as a phrasing of parking with /faq promote.\n",
		"Added “can I bring my dog to work” as a phrasing of `parking`")
	if r := p.Ask("can I bring my dog to work"); r.Kind != bot.Answer || r.Entry.ID != "parking" {
		t.Errorf("the promoted question is not answered: %+v", r)
	}
	h := admin("/faq history")
	lines := strings.Split(h.Text, "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[1], "- `"+c.Hash.String()[:12]+"` ") || !strings.HasSuffix(lines[1], " Ann Admin: faq: add a phrasing to parking") ||
		!strings.HasSuffix(lines[2], " Ann: first version") {
		t.Errorf("/faq history:\n%s", h.Text)
	}
}

// TestPublishRetriesOnTheNewHead pushes an edit while someone else pushes
// to the branch: the rejected push is built again on their commit, and
// nothing is forced.
func TestPublishRetriesOnTheNewHead(t *testing.T) {
	r, first := newRemote(t, "kb.yaml")
	src := openSource(t, r)
	var theirs string
	tries := 0
	ours, err := src.Publish(context.Background(), bot.Change{Author: "Ann", AuthorID: "slack:U1", Summary: "faq: add a phrasing to parking", Why: "asked"},
		func(file string) error {
			tries++
			if tries == 1 {
				theirs = r.commit(t, "kb-pets.yaml", "someone else's change")
			}
			_, err := knowledge.AddAlternate(file, "wifi-password", "wifi code?")
			return err
		})
	if err != nil {
		t.Fatal(err)
	}
	log := r.Log(t)
	if tries != 2 || len(log) != 3 || log[0].Hash.String() != ours.ID || log[1].Hash.String() != theirs || log[2].Hash.String() != first {
		t.Fatalf("%d tries; remote history %v", tries, log)
	}
	data, err := os.ReadFile(src.File())
	if err != nil || !strings.Contains(string(data), "id: pets") || !strings.Contains(string(data), "- wifi code?") {
		t.Errorf("the pushed file lacks one of the two changes:\n%s", data)
	}
}

// TestPublishRefusesWhatFailsTheCheck pushes nothing when the edit fails
// or leaves a file the loader refuses, and leaves the clone as it was.
func TestPublishRefusesWhatFailsTheCheck(t *testing.T) {
	r, first := newRemote(t, "kb.yaml")
	src := openSource(t, r)
	before, _ := os.ReadFile(src.File())
	tests := []struct {
		name string
		edit func(file string) error
		want string
	}{
		{"an edit that fails", func(string) error { return errors.New("no such entry") }, "no such entry"},
		{"a file the loader refuses", func(file string) error {
			return os.WriteFile(file, []byte("version: 1\nentries: []\nsurprise: 1\n"), 0o644)
		},
			"the edited file does not pass the check, so nothing was pushed: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := src.Publish(context.Background(), bot.Change{Author: "Ann", AuthorID: "slack:U1", Summary: "s", Why: "w"}, tt.edit)
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("error %v, want %q", err, tt.want)
			}
			if log := r.Log(t); len(log) != 1 || log[0].Hash.String() != first {
				t.Errorf("something was pushed: %v", log)
			}
			if after, _ := os.ReadFile(src.File()); string(after) != string(before) || src.Head() != first {
				t.Errorf("the clone was left changed at %s:\n%s", src.Head(), after)
			}
		})
	}
}

// TestPublishToAReviewBranch pushes edits to a branch of their own, which
// a person merges: the serving branch and what the clone serves are left
// alone, and a second edit builds on the first.
func TestPublishToAReviewBranch(t *testing.T) {
	r, first := newRemote(t, "kb.yaml")
	src, err := gitsource.Open(context.Background(), gitsource.Options{URL: r.URL, Branch: "main", PushBranch: "faq-review", Path: "kb.yaml", Dir: filepath.Join(t.TempDir(), "clone")})
	if err != nil {
		t.Fatal(err)
	}
	change := bot.Change{Author: "Ann", AuthorID: "slack:U1", Summary: "faq: add a phrasing", Why: "asked"}
	var pushed []bot.Published
	for _, phrasing := range []string{"wifi code?", "guest wifi?"} {
		p, err := src.Publish(context.Background(), change, func(file string) error {
			_, err := knowledge.AddAlternate(file, "wifi-password", phrasing)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if p.Note != "It is on branch faq-review and serves once a person merges it into main." {
			t.Errorf("note: %q", p.Note)
		}
		pushed = append(pushed, p)
	}
	if log := r.Log(t); len(log) != 1 || log[0].Hash.String() != first {
		t.Errorf("main moved: %v", log)
	}
	if src.Head() != first {
		t.Errorf("the clone serves %s, not main's %s", src.Head(), first)
	}
	if data, _ := os.ReadFile(src.File()); strings.Contains(string(data), "wifi code?") {
		t.Errorf("the clone's file holds an edit that is under review:\n%s", data)
	}
	review := r.LogOf(t, "faq-review")
	if len(review) != 3 || review[0].Hash.String() != pushed[1].ID || review[1].Hash.String() != pushed[0].ID || review[2].Hash.String() != first {
		t.Errorf("faq-review: %v", review)
	}
}

// TestAddAndEditBecomeCommits adds an entry and edits another from chat
// forms on a bot whose knowledge comes from a repository: each reaches the
// remote as a commit authored by the admin, checked, and the bot serves
// it; a form opened before the file changed is refused and pushes nothing.
func TestAddAndEditBecomeCommits(t *testing.T) {
	r, _ := newRemote(t, "kb.yaml")
	src := openSource(t, r)
	kb, err := src.LoadCheckedOut()
	if err != nil {
		t.Fatal(err)
	}
	b := bot.New(kb, bot.Options{Threshold: 0.85, Load: src.Load, Version: src.Commit, Publisher: src})
	p := bottest.New(t, b)
	ctx := context.Background()
	admin := bot.Message{Platform: "slack", User: "U42", UserName: "Ann Admin", Channel: "D1", Origin: bot.Direct, Admin: true}
	ask := func(text string) bot.Reply {
		m := admin
		m.Text = text
		reply, _ := p.Send(m)
		return reply
	}

	stale := ask("/faq add").Form
	form := ask("/faq add").Form
	if form == nil || form.Version == "" {
		t.Fatal("no form for /faq add")
	}
	f := *form
	f.Question, f.Answer = "Can I bring my dog to work?", "Only guide dogs."
	reply := b.SubmitEntry(ctx, admin, f)
	log := r.Log(t)
	if len(log) != 2 {
		t.Fatalf("remote history after /faq add: %v\nreply: %s", log, reply.Text)
	}
	checkServed(t, b, log[0], reply,
		"faq: add entry can-i-bring-my-dog-to\n\nAnn Admin added “Can I bring my dog to work?” with /faq add.\n",
		"Saved entry `can-i-bring-my-dog-to`")
	if got := p.Ask("can I bring my dog to work"); got.Kind != bot.Answer || got.Entry.ID != "can-i-bring-my-dog-to" {
		t.Errorf("the new entry does not answer: %+v", got)
	}

	edit := ask("/faq edit parking").Form
	if edit == nil {
		t.Fatal("no form for /faq edit parking")
	}
	edit.Answer = "Parking is in the garage; the card is at reception."
	if reply := b.SubmitEntry(ctx, admin, *edit); reply.Kind != bot.Info {
		t.Fatalf("edit: %s", reply.Text)
	}
	log = r.Log(t)
	if len(log) != 3 || log[0].Message != "faq: edit entry parking\n\nAnn Admin edited “Where can I park my car?” with /faq edit.\n" {
		t.Errorf("remote history after /faq edit: %v", log)
	}
	if got := p.Ask("Where can I park my car?"); !strings.Contains(got.Text, "the card is at reception") {
		t.Errorf("the edited answer: %q", got.Text)
	}

	s := *stale
	s.Question, s.Answer = "Is there a gym?", "On the roof."
	if reply := b.SubmitEntry(ctx, admin, s); reply.Kind != bot.Refusal || !strings.Contains(reply.Text, "changed in the repository since the form was opened") {
		t.Errorf("a form opened before the file changed: %s", reply.Text)
	}
	if n := len(r.Log(t)); n != 3 {
		t.Errorf("a refused form pushed a commit: %d commits", n)
	}
}
