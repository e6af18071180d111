package bot

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/faqbot/faqbot/knowledge"
)

// Publisher keeps the knowledge file where people review it, such as a
// git repository, so that an edit made from chat is recorded there rather
// than on one replica's disk. gitsource.Source implements it.
type Publisher interface {
	// Publish applies edit to the knowledge file at the head of the
	// branch, checks the result with the loader, and publishes it as
	// Change says (a commit pushed to the branch), and returns what it
	// published. Nothing is published when edit or the check fails.
	Publish(ctx context.Context, c Change, edit func(file string) error) (Published, error)
	// History returns the latest changes of the knowledge file, the
	// newest first, at most n of them.
	History(ctx context.Context, n int) ([]Published, error)
}

// Change describes one edit of the knowledge file made from chat.
type Change struct {
	// Author names who made it: their name in chat (or their id when the
	// platform gave no name), and where, as "platform:user".
	Author, AuthorID string
	// Summary says what changed, in a line.
	Summary string
	// Why says what prompted it, such as the question asked.
	Why string
}

// Published is one change of the knowledge file as its Publisher keeps
// it.
type Published struct {
	ID      string
	Author  string
	Time    time.Time
	Summary string
	// Note says what must still happen before it serves, such as a
	// person merging a review branch, or "" when a reload serves it.
	Note string
}

// author returns the Change fields naming who sent m.
func author(m Message) (name, id string) {
	id = m.Platform + ":" + m.User
	name = m.UserName
	if name == "" {
		name = m.User
	}
	return name, id
}

// publishPromotion adds text as a phrasing of entry id through the
// Publisher, then reloads; g is the unanswered question it came from.
func (b *Bot) publishPromotion(ctx context.Context, m Message, g UnansweredGroup, id string) Reply {
	name, by := author(m)
	c := Change{
		Author: name, AuthorID: by,
		Summary: fmt.Sprintf("faq: add a phrasing to %s", id),
		Why: fmt.Sprintf("“%s” was asked %s and not answered; %s added it as a phrasing of %s with /faq promote.",
			g.Text, plural(g.Count, "time"), name, id),
	}
	pub, err := b.publisher.Publish(ctx, c, func(file string) error {
		_, err := knowledge.AddAlternate(file, id, g.Text)
		return err
	})
	if err != nil {
		b.log.Warn("could not publish a phrasing", "by", by, "entry", id, "error", err)
		return Reply{Kind: Refusal, Private: true, Text: fmt.Sprintf("Nothing was changed or pushed:\n```\n%s\n```", err)}
	}
	b.recordEdit(ctx, Edit{Time: time.Now(), By: by, EntryID: id, Phrasing: g.Text, File: pub.ID})
	text := fmt.Sprintf("Added “%s” as a phrasing of `%s` in commit `%s`.", Defuse(g.Text), id, pub.ID)
	return b.servePublished(ctx, by, "a phrasing", id, pub, text)
}

// publishEntry writes entry e, from the sent form f, into the knowledge
// file through the Publisher (a commit with the admin as its author), then
// reloads. The form's version is checked against the file the first time
// the edit is applied; when the branch moved while the commit was pushed,
// the edit is applied again on the new head, where the loader's check
// still refuses an entry that no longer fits.
func (b *Bot) publishEntry(ctx context.Context, m Message, kb *Base, e knowledge.Entry, f EntryForm) Reply {
	name, by := author(m)
	c := Change{
		Author: name, AuthorID: by,
		Summary: "faq: add entry " + e.ID,
		Why:     fmt.Sprintf("%s added “%s” with /faq add.", name, e.Question),
	}
	what := "new entry"
	if f.Replace != "" {
		c.Summary = "faq: edit entry " + f.Replace
		c.Why = fmt.Sprintf("%s edited “%s” with /faq edit.", name, e.Question)
		what = "edited entry"
	}
	version := f.Version
	pub, err := b.publisher.Publish(ctx, c, func(file string) error {
		if st, err := os.Stat(file); err == nil && st.IsDir() {
			file = entryFile(kb, f.Replace)
		}
		_, err := knowledge.PutEntry(file, e, f.Replace, version)
		version = "" // checked once: a retry starts from the branch's new head
		return err
	})
	if errors.Is(err, knowledge.ErrChanged) {
		return Reply{Kind: Refusal, Private: true, Text: "The entry was not saved: " + changedSinceForm(f, "in the repository")}
	}
	if err != nil {
		b.log.Warn("could not publish an entry", "by", by, "entry", e.ID, "error", err)
		return Reply{Kind: Refusal, Private: true, Text: fmt.Sprintf("Nothing was changed or pushed:\n```\n%s\n```", err)}
	}
	b.recordEdit(ctx, Edit{Time: time.Now(), By: by, EntryID: e.ID, Phrasing: what + ": " + e.Question, File: pub.ID, Base: b.name})
	text := fmt.Sprintf("Saved entry `%s` in commit `%s`.", e.ID, pub.ID)
	return b.servePublished(ctx, by, "an entry", e.ID, pub, text)
}

// servePublished finishes an edit that the Publisher published: an edit
// left for review is only reported; one on the serving branch is reloaded
// at once, and the reply says what changed.
func (b *Bot) servePublished(ctx context.Context, by, what, id string, pub Published, text string) Reply {
	if pub.Note != "" {
		b.log.Info("published "+what+" for review", "by", by, "entry", id, "commit", pub.ID)
		return Reply{Kind: Info, Private: true, Text: text + " " + pub.Note}
	}
	d, err := b.Reload(ctx, by)
	if err != nil {
		b.log.Warn("reload after publishing "+what+" failed", "by", by, "entry", id, "commit", pub.ID, "error", err)
		return Reply{Kind: Info, Private: true, Text: text + "\nThe reload failed, and the current knowledge base keeps serving:\n```\n" + err.Error() + "\n```"}
	}
	b.log.Info("published "+what, "by", by, "entry", id, "commit", pub.ID)
	return Reply{Kind: Info, Private: true, Text: text + "\n" + DescribeDiff(d)}
}

// recordEdit records an edit in the state database, logging a failure; a
// bot with no state database records nothing.
func (b *Bot) recordEdit(ctx context.Context, e Edit) {
	if b.store == nil {
		return
	}
	if err := b.store.RecordEdit(ctx, e); err != nil {
		b.log.Warn("could not record an edit", "error", err)
	}
}

// maxHistory is the number of changes /faq history lists.
const maxHistory = 10

// historyCommand lists the latest changes of the knowledge file.
func (b *Bot) historyCommand(ctx context.Context, m Message, args string) Reply {
	if !m.Admin {
		return Reply{Kind: Refusal, Private: true, Text: "Sorry, only admins can see the history of the knowledge file."}
	}
	if b.publisher == nil {
		return b.editHistory(ctx, strings.TrimSpace(args))
	}
	hs, err := b.publisher.History(ctx, maxHistory)
	if err != nil {
		return Reply{Kind: Refusal, Private: true, Text: "I could not read the history: " + err.Error()}
	}
	var sb strings.Builder
	sb.WriteString("Latest changes of the knowledge file:")
	for _, h := range hs {
		fmt.Fprintf(&sb, "\n- `%s` %s %s: %s", h.ID[:min(len(h.ID), 12)], h.Time.UTC().Format("2006-01-02 15:04"), Defuse(h.Author), Defuse(h.Summary))
	}
	return Reply{Kind: Info, Private: true, Text: sb.String()}
}
