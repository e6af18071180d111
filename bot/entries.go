package bot

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/faqbot/faqbot/knowledge"
	"github.com/faqbot/faqbot/knowledge/match"
)

// EntryForm is a whole entry as a form holds it, for /faq add and /faq
// edit: adapters show it as a modal (or prompts in the terminal) and hand
// what was typed to SubmitEntry.
type EntryForm struct {
	// Replace is the id of the entry edited, "" for a new entry.
	Replace string
	// Version is the knowledge file's version the form was filled on
	// (knowledge.ContentVersion): a file changed since refuses the form.
	Version string
	// Base names the knowledge base of the entry, "" for the default.
	Base string
	ID   string
	// Question is the canonical question; Alternates are other phrasings,
	// one a line; Tags are separated by commas.
	Question, Alternates, Answer, Tags string
}

// EntryWriter writes entry e into the knowledge file at path, in place of
// entry replace or, when replace is "", as a new one, refusing a file that
// is no longer at version; package knowledge's PutEntry is the default.
// It is the one step of /faq add and /faq edit that writes, for a
// knowledge source that keeps the file elsewhere to take over.
type EntryWriter func(ctx context.Context, path string, e knowledge.Entry, replace, version string) (*knowledge.FileEdit, error)

// putEntry is the default EntryWriter.
func putEntry(_ context.Context, path string, e knowledge.Entry, replace, version string) (*knowledge.FileEdit, error) {
	return knowledge.PutEntry(path, e, replace, version)
}

// addCommand answers /faq add with an empty form, or with "/faq add
// <key>" a form holding a question sent to the experts and the answer an
// expert gave (see Escalation).
func (b *Bot) addCommand(_ context.Context, m Message, args string) Reply {
	if !m.Admin {
		return Reply{Kind: Refusal, Private: true, Text: "Sorry, only admins can add entries."}
	}
	kb := b.kb.Load()
	f := EntryForm{}
	if key := strings.TrimSpace(args); key != "" {
		var ok bool
		if f, ok = b.expertEntry(key); !ok {
			return Reply{Kind: Refusal, Private: true, Text: "I no longer have that answer (I keep the latest ones until I restart): add the entry with `/faq add`."}
		}
	}
	f.Base = b.name
	f.Version, _ = knowledge.FileVersion(entryFile(kb, ""))
	return Reply{Kind: Info, Private: true, Text: "Fill in the new entry: its question, other ways to ask it (one a line), its answer (Markdown) and tags.", Form: &f, Actions: []Action{{Label: "Open the form", Command: strings.TrimSpace("/faq add " + strings.TrimSpace(args))}}}
}

// editCommand answers /faq edit <id> with the entry's form.
func (b *Bot) editCommand(_ context.Context, m Message, args string) Reply {
	if !m.Admin {
		return Reply{Kind: Refusal, Private: true, Text: "Sorry, only admins can edit entries."}
	}
	id := strings.TrimSpace(args)
	kb := b.kb.Load()
	e, ok := kb.Entry(id)
	if !ok {
		return Reply{Kind: Refusal, Private: true, Text: fmt.Sprintf("There is no entry `%s`. Write `/faq edit <id>`; `/faq list` shows the ids.", Defuse(id))}
	}
	f := EntryForm{Base: b.name, Replace: e.ID, ID: e.ID, Question: e.Question, Alternates: strings.Join(e.Alternates, "\n"), Answer: strings.TrimRight(e.Answer, "\n"), Tags: strings.Join(e.Tags, ", ")}
	f.Version, _ = knowledge.FileVersion(entryFile(kb, e.ID))
	return Reply{Kind: Info, Private: true, Text: fmt.Sprintf("Edit entry `%s`.", e.ID), Form: &f, Actions: []Action{{Label: "Open the form", Command: "/faq edit " + e.ID}}}
}

// entryFile is the file that holds entry id, or that a new entry goes to
// when id is "": the base's file, or in a folder the file of its first
// entry.
func entryFile(kb *Base, id string) string {
	if e, ok := kb.Entry(id); ok && e.File != "" {
		return e.File
	}
	if st, err := os.Stat(kb.Path); err == nil && st.IsDir() && kb.Len() > 0 {
		if f := kb.Entries()[0].File; f != "" {
			return f
		}
	}
	return kb.Path
}

var slugWords = regexp.MustCompile(`[a-z0-9]+`)

// formLineBreaks turns the other ways a sent form may end a line (CRLF
// from a browser or a paste, a carriage return alone, NEL, U+2028,
// U+2029), which a knowledge file may not hold, into newlines.
var formLineBreaks = strings.NewReplacer("\r\n", "\n", "\r", "\n", "\u0085", "\n", "\u2028", "\n", "\u2029", "\n")

// entryOf reads a sent form into an entry, or says what is wrong with it.
func entryOf(f EntryForm) (knowledge.Entry, error) {
	for _, s := range []*string{&f.ID, &f.Question, &f.Alternates, &f.Answer, &f.Tags} {
		*s = formLineBreaks.Replace(*s)
	}
	lines := func(s string, sep string) []string {
		var out []string
		for _, l := range strings.Split(s, sep) {
			if l = strings.TrimSpace(l); l != "" {
				out = append(out, l)
			}
		}
		return out
	}
	e := knowledge.Entry{
		ID: strings.TrimSpace(f.ID), Question: strings.TrimSpace(f.Question),
		Alternates: lines(f.Alternates, "\n"), Answer: strings.TrimSpace(f.Answer), Tags: lines(f.Tags, ","),
	}
	switch {
	case e.Question == "":
		return e, errors.New("the question is empty: write the question this entry answers")
	case strings.ContainsAny(e.Question, "\r\n"):
		return e, errors.New("the question must be one line; put other phrasings under alternates")
	case e.Answer == "":
		return e, errors.New("the answer is empty: write what the bot should reply")
	}
	if e.ID == "" {
		e.ID = strings.Join(slugWords.FindAllString(strings.ToLower(e.Question), 6), "-")
	}
	return e, nil
}

// SubmitEntry takes a sent entry form: it checks the entry (not empty; no
// phrasing that another entry already answers; the file not changed since
// the form was opened), writes it into the knowledge file keeping the rest
// of it as it was, reloads, and records the edit. Nothing is changed when
// any step fails, and the reply says why.
func (b *Bot) SubmitEntry(ctx context.Context, m Message, f EntryForm) Reply {
	refuse := func(format string, a ...any) Reply {
		return Reply{Kind: Refusal, Private: true, Text: "The entry was not saved: " + fmt.Sprintf(format, a...)}
	}
	if !m.Admin {
		return Reply{Kind: Refusal, Private: true, Text: "Sorry, only admins can add or edit entries."}
	}
	if b.load == nil {
		return refuse("this bot does not reload its knowledge file, so it cannot edit it.")
	}
	e, err := entryOf(f)
	if err != nil {
		return refuse("%s.", err)
	}
	kb := b.kb.Load()
	if f.Replace != "" {
		if old, ok := kb.Entry(f.Replace); ok {
			e.Section, e.Source, e.Updated, e.Related, e.Owner = old.Section, old.Source, old.Updated, old.Related, old.Owner
		}
	}
	for _, p := range e.Phrasings() {
		res := kb.Search(p)
		best, ok := res.Best()
		if ok && res.Decide(b.threshold) == match.Answered && best.Entry.ID != f.Replace && best.Entry.ID != e.ID {
			return refuse("“%s” is already answered by `%s` (%.2f): edit that entry with `/faq edit %s`, or reword this one.", Defuse(p), best.Entry.ID, best.Confidence, best.Entry.ID)
		}
	}
	by := m.Platform + ":" + m.User
	b.lists.edit.Lock()
	defer b.lists.edit.Unlock()
	if b.publisher != nil {
		return b.publishEntry(ctx, m, kb, e, f)
	}
	edit, err := b.writeEntry(ctx, entryFile(kb, f.Replace), e, f.Replace, f.Version)
	if errors.Is(err, knowledge.ErrChanged) {
		return refuse("%s", changedSinceForm(f, "on disk"))
	}
	if err != nil {
		b.log.Warn("could not write an entry", "by", by, "entry", e.ID, "error", err)
		return refuse("\n```\n%s\n```", err)
	}
	d, err := b.Reload(ctx, by)
	if err != nil {
		msg := "The edit was undone"
		if rerr := edit.Revert(); rerr != nil {
			msg = "The edit could not be undone (" + rerr.Error() + ")"
		}
		return refuse("%s because the reload failed, and the current knowledge base keeps serving:\n```\n%s\n```", msg, err)
	}
	what := "new entry"
	if f.Replace != "" {
		what = "edited entry"
	}
	b.recordEdit(ctx, Edit{Time: time.Now(), By: by, EntryID: e.ID, Phrasing: what + ": " + e.Question, File: edit.Path, Base: b.name})
	b.log.Info("wrote an entry", "by", by, "entry", e.ID, "replace", f.Replace, "file", edit.Path)
	return Reply{Kind: Info, Private: true, Text: fmt.Sprintf("Saved entry `%s` in %s.\n%s", e.ID, filepath.Base(edit.Path), DescribeDiff(d))}
}

// changedSinceForm says that the knowledge file changed (where: "on disk",
// "in the repository") since form f was opened, and how to start again.
func changedSinceForm(f EntryForm, where string) string {
	again := "add"
	if f.Replace != "" {
		again = "edit " + f.Replace
	}
	return fmt.Sprintf("the knowledge file changed %s since the form was opened. Open the form again (`/faq %s`) to start from the file as it is now.", where, again)
}

// writeEntry is the one step that writes an entry (see EntryWriter).
func (b *Bot) writeEntry(ctx context.Context, path string, e knowledge.Entry, replace, version string) (*knowledge.FileEdit, error) {
	w := b.entryWriter
	if w == nil {
		w = putEntry
	}
	return w(ctx, path, e, replace, version)
}

// EditHistory is the power of a state database to list the edits made
// from chat, which /faq history shows when the knowledge file is not kept
// in git. Package store's Store has it.
type EditHistory interface {
	Edits(ctx context.Context, since time.Time) ([]Edit, error)
}

// editHistory lists the latest edits made from chat, of entry id when id
// is not "".
func (b *Bot) editHistory(ctx context.Context, id string) Reply {
	h, ok := b.store.(EditHistory)
	if !ok {
		return Reply{Kind: Refusal, Private: true, Text: "The knowledge file is not kept in git here and the bot keeps no state database, so it has no history to show."}
	}
	edits, err := h.Edits(ctx, time.Now().Add(-maxDays*24*time.Hour))
	if err != nil {
		return Reply{Kind: Refusal, Private: true, Text: "I could not read the history: " + err.Error()}
	}
	var sb strings.Builder
	n := 0
	for _, e := range edits {
		if id != "" && e.EntryID != id || n == maxHistory {
			continue
		}
		if n == 0 {
			sb.WriteString("Latest changes made from chat:")
		}
		n++
		what := e.Phrasing
		if !strings.HasPrefix(what, "new entry: ") && !strings.HasPrefix(what, "edited entry: ") {
			what = "added the phrasing “" + what + "”"
		}
		fmt.Fprintf(&sb, "\n- %s %s `%s`: %s", e.Time.UTC().Format("2006-01-02 15:04"), Defuse(e.By), e.EntryID, Defuse(what))
	}
	if n == 0 {
		if id != "" {
			return Reply{Kind: Info, Private: true, Text: fmt.Sprintf("No change to `%s` was made from chat.", Defuse(id))}
		}
		return Reply{Kind: Info, Private: true, Text: "No change was made from chat."}
	}
	return Reply{Kind: Info, Private: true, Text: sb.String()}
}
