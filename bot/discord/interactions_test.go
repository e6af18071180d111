package discord

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/faqbot/faqbot/bot"
	"github.com/faqbot/faqbot/bot/discord/discordfake"
	"github.com/faqbot/faqbot/store"
)

func TestSlashQuestionIsEphemeralWithPostPublicly(t *testing.T) {
	t.Parallel()
	h := start(t)
	got := h.answerTo(h.slash(strOpt("question", "How do I reset my password?")))
	if got.CallbackType != int(discordgo.InteractionResponseChannelMessageWithSource) {
		t.Fatalf("callback type %d, want 4", got.CallbackType)
	}
	if !got.Ephemeral() {
		t.Error("the slash answer is not ephemeral (flag 64)")
	}
	if !strings.Contains(got.Content, "Settings > Account") {
		t.Errorf("answer = %q", got.Content)
	}
	post, ok := got.Button("faq:post:reset-password")
	if !ok || post.Label != "Post publicly" {
		t.Fatalf("buttons %v lack Post publicly", buttonIDs(got))
	}

	shared := h.answerTo(h.click(post.CustomID, true))
	if shared.Ephemeral() {
		t.Error("Post publicly answered ephemerally")
	}
	if !strings.Contains(shared.Content, "Settings > Account") {
		t.Errorf("posted answer = %q", shared.Content)
	}
	if ids := buttonIDs(shared); contains(ids, "faq:post:reset-password") || !contains(ids, "faq:vote:up:reset-password") {
		t.Errorf("posted answer buttons = %v, want votes and no Post publicly", ids)
	}

	public := h.answerTo(h.slash(strOpt("question", "How do I reset my password?"), boolOpt("public")))
	if public.Ephemeral() || contains(buttonIDs(public), "faq:post:reset-password") {
		t.Errorf("public:true gave flags %d and buttons %v", public.Flags, buttonIDs(public))
	}
}

func TestSlashAnswersArePublicWhenConfigured(t *testing.T) {
	t.Parallel()
	no := false
	h := start(t, func(s *setup) { s.cfg.EphemeralAnswers = &no })
	got := h.answerTo(h.slash(strOpt("question", "How do I reset my password?")))
	if got.Ephemeral() || contains(buttonIDs(got), "faq:post:reset-password") {
		t.Errorf("with ephemeral_answers: false got flags %d and buttons %v", got.Flags, buttonIDs(got))
	}
	help := h.answerTo(h.slash(boolOpt("help")))
	if !help.Ephemeral() {
		t.Error("help, a private reply, is not ephemeral")
	}
}

func TestSlashCommands(t *testing.T) {
	t.Parallel()
	h := start(t)
	for _, tc := range []struct {
		name string
		opts []*discordgo.ApplicationCommandInteractionDataOption
		want []string
	}{
		{"list all", []*discordgo.ApplicationCommandInteractionDataOption{strOpt("list", "*")}, []string{"`reset-password`", "`install`", "`refund`", "`server-rules`"}},
		{"list filtered", []*discordgo.ApplicationCommandInteractionDataOption{strOpt("list", "refund")}, []string{"`refund`"}},
		{"show", []*discordgo.ApplicationCommandInteractionDataOption{strOpt("show", "refund")}, []string{"within 30 days"}},
		{"why", []*discordgo.ApplicationCommandInteractionDataOption{strOpt("why", "reset my password")}, []string{"Matches for", "`reset-password`"}},
		{"help", []*discordgo.ApplicationCommandInteractionDataOption{boolOpt("help")}, []string{"/faq list"}},
		{"no option is help", nil, []string{"/faq list"}},
		{"a command typed as the question", []*discordgo.ApplicationCommandInteractionDataOption{strOpt("question", "list refund")}, []string{"`refund`"}},
		{"two actions at once", []*discordgo.ApplicationCommandInteractionDataOption{strOpt("list", "*"), boolOpt("help")}, []string{"one of question, list, show, why, help, reload, unanswered, promote, stats, add or edit"}},
		{"off-topic question", []*discordgo.ApplicationCommandInteractionDataOption{strOpt("question", "what is the airspeed velocity of an unladen swallow")}, []string{"I don't know that one yet"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := h.answerTo(h.slash(tc.opts...))
			if !got.Ephemeral() {
				t.Errorf("not ephemeral")
			}
			for _, w := range tc.want {
				if !strings.Contains(got.Text(), w) {
					t.Errorf("reply %q lacks %q", got.Text(), w)
				}
			}
		})
	}
}

func TestReloadNeedsAnAdmin(t *testing.T) {
	t.Parallel()
	h := start(t, func(s *setup) { s.sync = true })
	const refused, reloaded = "only admins", "Reloaded: 4 entries before, 4 now."
	for _, tc := range []struct {
		name  string
		user  string
		roles []string
		perms int64
		want  string
	}{
		{"member", aliceID, []string{"600000000000000042"}, discordgo.PermissionSendMessages, refused},
		{"configured user", adminUserID, nil, 0, reloaded},
		{"configured role", aliceID, []string{modRoleID}, 0, reloaded},
		{"Manage Server", aliceID, nil, discordgo.PermissionManageGuild, reloaded},
		{"Administrator", aliceID, nil, discordgo.PermissionAdministrator, reloaded},
	} {
		t.Run("slash/"+tc.name, func(t *testing.T) {
			got := h.shownFor(h.fake.SendInteraction(slashInteraction(tc.user, tc.roles, tc.perms, boolOpt("reload"))))
			if !strings.Contains(got.Content, tc.want) || !got.Ephemeral() {
				t.Errorf("reload by %s = %q (flags %d), want %q, ephemeral", tc.name, got.Content, got.Flags, tc.want)
			}
		})
	}
	// In a message, the roles come with the author; Manage Server is
	// worked out from the roles the server announced. An admin's reload
	// report goes to a DM (TestAdminOutputGoesToADM).
	const inDM = "Sent you the details in a DM."
	for _, tc := range []struct {
		name  string
		user  string
		roles []string
		want  string
	}{
		{"member", aliceID, nil, refused},
		{"configured user", adminUserID, nil, inDM},
		{"configured role", aliceID, []string{modRoleID}, inDM},
		{"role with Manage Server", aliceID, []string{managerRole}, inDM},
	} {
		t.Run("mention/"+tc.name, func(t *testing.T) {
			m := h.fake.SendMessage(&discordgo.Message{
				ChannelID: generalID, GuildID: guildID, Author: userOf(tc.user),
				Member:   &discordgo.Member{Roles: tc.roles},
				Content:  "<@" + h.fake.BotID() + "> /faq reload",
				Mentions: []*discordgo.User{{ID: h.fake.BotID()}},
			})
			if got := h.replyTo(m); !strings.Contains(got.Content, tc.want) {
				t.Errorf("reload by %s = %q, want %q", tc.name, got.Content, tc.want)
			}
		})
	}
}

func TestDidYouMeanButtons(t *testing.T) {
	t.Parallel()
	h := start(t)
	check := func(t *testing.T, got discordfake.Sent) {
		t.Helper()
		b, ok := got.Button("faq:show:reset-password")
		if !ok {
			t.Fatalf("buttons %v lack faq:show:reset-password", buttonIDs(got))
		}
		if b.Label != "How do I reset my password?" {
			t.Errorf("suggestion label = %q", b.Label)
		}
		if !strings.Contains(got.Content, "There is no entry with that id") {
			t.Errorf("content = %q", got.Content)
		}
	}
	t.Run("slash", func(t *testing.T) {
		got := h.answerTo(h.slash(strOpt("show", "passwrd")))
		check(t, got)
		picked := h.answerTo(h.click("faq:show:reset-password", true))
		if !strings.Contains(picked.Content, "Settings > Account") || !picked.Ephemeral() {
			t.Errorf("the picked suggestion gave %q with flags %d", picked.Content, picked.Flags)
		}
		if !contains(buttonIDs(picked), "faq:post:reset-password") {
			t.Errorf("the picked answer lacks Post publicly: %v", buttonIDs(picked))
		}
	})
	t.Run("mention", func(t *testing.T) {
		check(t, h.replyTo(h.say(generalID, "/faq show passwrd", true)))
	})
}

// TestVoteDownAsksWhy clicks 👎: a form asks what was wrong, and sending
// it takes the vote with the reason typed.
func TestVoteDownAsksWhy(t *testing.T) {
	t.Parallel()
	st, _, withState := stateful(t)
	h := start(t, withState)
	form := h.answerTo(h.click("faq:vote:down:reset-password", false))
	if form.CallbackType != int(discordgo.InteractionResponseModal) {
		t.Fatalf("the 👎 was answered with type %d, want a form (9)", form.CallbackType)
	}
	if form.CustomID != "faq:why:reset-password" || form.Title == "" {
		t.Fatalf("the form: custom id %q, title %q", form.CustomID, form.Title)
	}
	sent := h.fake.SendModalSubmit(&discordgo.Interaction{
		GuildID: guildID, ChannelID: generalID, Member: &discordgo.Member{User: userOf(aliceID)},
	}, form.CustomID, map[string]string{"reason": "I wanted the @everyone admin password"})
	got := h.answerTo(sent)
	if !got.Ephemeral() || !strings.Contains(got.Content, "/faq unanswered") {
		t.Errorf("the thanks: %q (flags %d)", got.Content, got.Flags)
	}
	votes, err := st.Downvoted(context.Background(), time.Time{}, 10)
	if err != nil || len(votes) != 1 || votes[0].EntryID != "reset-password" || votes[0].Reason != "I wanted the @everyone admin password" {
		t.Errorf("the votes recorded: %+v, %v", votes, err)
	}
}

func TestVoteButtons(t *testing.T) {
	t.Parallel()
	h := start(t)
	for _, tc := range []struct {
		id, want string
	}{
		{"faq:vote:up:reset-password", "Thanks for the feedback!"},
		{"faq:vote:up:no-such-entry", "no longer in the knowledge base"},
		{"faq:something-else", "no longer does anything"},
	} {
		t.Run(tc.id, func(t *testing.T) {
			got := h.answerTo(h.click(tc.id, false))
			if !strings.Contains(got.Content, tc.want) || !got.Ephemeral() {
				t.Errorf("click %s = %q (flags %d), want %q, ephemeral", tc.id, got.Content, got.Flags, tc.want)
			}
		})
	}
}

func TestAutocomplete(t *testing.T) {
	t.Parallel()
	h := start(t)
	complete := func(option, typed string) (discordfake.Sent, time.Duration) {
		t.Helper()
		i := slashInteraction(aliceID, nil, 0, &discordgo.ApplicationCommandInteractionDataOption{
			Name: option, Type: discordgo.ApplicationCommandOptionString, Value: typed, Focused: true,
		})
		i.Type = discordgo.InteractionApplicationCommandAutocomplete
		sent := time.Now()
		h.fake.SendInteraction(i)
		got := h.answerTo(i)
		return got, got.Request.At.Sub(sent)
	}
	for _, tc := range []struct {
		option, typed, want string
	}{
		{"question", "passw", "entry:reset-password"},
		{"question", "how do i instal", "entry:install"},
		{"question", "", "entry:refund"},
		{"show", "refu", "refund"},
	} {
		t.Run(tc.option+"/"+tc.typed, func(t *testing.T) {
			got, took := complete(tc.option, tc.typed)
			if got.CallbackType != int(discordgo.InteractionApplicationCommandAutocompleteResult) {
				t.Fatalf("callback type %d, want 8", got.CallbackType)
			}
			if n := len(got.Choices); n == 0 || n > 25 {
				t.Fatalf("%d choices", n)
			}
			var values []string
			for _, c := range got.Choices {
				v, _ := c.Value.(string)
				values = append(values, v)
			}
			if !contains(values, tc.want) {
				t.Errorf("choices %v lack %s", values, tc.want)
			}
			// Discord allows 3 s, which the fake enforces; how much less
			// it takes is measured, not asserted: machines are noisy.
			t.Logf("answered in %v", took)
		})
	}
	t.Run("nothing fits", func(t *testing.T) {
		got, _ := complete("why", "anything")
		if got.Choices == nil && !strings.Contains(string(got.Request.Body), `"choices":[]`) {
			t.Errorf("body %s lacks an empty choices list", got.Request.Body)
		}
	})
	t.Run("a picked choice is answered by id", func(t *testing.T) {
		got := h.answerTo(h.slash(strOpt("question", "entry:refund")))
		if !strings.Contains(got.Content, "within 30 days") {
			t.Errorf("answer = %q", got.Content)
		}
	})
}

func TestInteractionsAreAnsweredOnce(t *testing.T) {
	t.Parallel()
	h := start(t, func(s *setup) { s.sync = true })
	i := h.slash(strOpt("question", "How do I reset my password?"))
	h.answerTo(i)
	// The same interaction again, as a replaying gateway would send it.
	h.fake.Dispatch("INTERACTION_CREATE", i)
	// Events are handled in order: once a later one is answered, the
	// repeat has been handled too.
	h.answerTo(h.slash(boolOpt("help")))
	if err := h.stop(); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, s := range h.fake.Sent() {
		if s.Interaction == i.ID {
			n++
		}
	}
	if n != 1 {
		t.Errorf("interaction answered %d times, want once", n)
	}
}

func TestSlowAnswerIsDeferred(t *testing.T) {
	t.Parallel()
	load, release := slowLoader(t)
	h := start(t, func(s *setup) {
		s.load = load
		s.deferAfter = 50 * time.Millisecond
	})
	i := h.fake.SendInteraction(slashInteraction(adminUserID, nil, 0, boolOpt("reload")))
	first := h.answerTo(i)
	if first.CallbackType != int(discordgo.InteractionResponseDeferredChannelMessageWithSource) || !first.Ephemeral() {
		t.Fatalf("first response type %d flags %d, want a deferred (5) ephemeral one", first.CallbackType, first.Flags)
	}
	release()
	edit := h.fake.WaitSent(t, "the edited response", func(s discordfake.Sent) bool { return s.Via == "edit" && s.Interaction == i.ID })
	if !strings.Contains(edit.Content, "Reloaded: 4 entries before, 4 now.") {
		t.Errorf("edit = %q", edit.Content)
	}
	if edit.Request.Path != "/api/v9/webhooks/"+h.fake.AppID()+"/"+i.Token+"/messages/@original" {
		t.Errorf("edited %s, want the original response", edit.Request.Path)
	}
}

// TestPromoteButtonAddsThePhrasing follows an admin from /faq unanswered to
// the "add as a phrasing" button, with state in a real SQLite database: the
// click edits the knowledge file, reloads it, and the question is answered.
func TestPromoteButtonAddsThePhrasing(t *testing.T) {
	t.Parallel()
	st, kb, withState := stateful(t)
	h := start(t, withState)

	const question = "my account is locked out"
	if got := h.answerTo(h.slash(strOpt("question", question))); strings.Contains(got.Content, "Settings > Account") {
		t.Fatalf("the question was answered before it was promoted: %q", got.Content)
	}
	if err := st.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	list := h.shownFor(h.fake.SendInteraction(slashInteraction(adminUserID, nil, 0,
		&discordgo.ApplicationCommandInteractionDataOption{Name: "unanswered", Type: discordgo.ApplicationCommandOptionInteger, Value: 7.0})))
	if !strings.Contains(list.Content, question) || !list.Ephemeral() {
		t.Fatalf("/faq unanswered (flags %d):\n%s", list.Flags, list.Content)
	}
	var promote string
	for _, id := range buttonIDs(list) {
		if strings.HasPrefix(id, "faq:cmd:/faq promote ") && strings.HasSuffix(id, " to reset-password") {
			promote = id
		}
	}
	if promote == "" {
		t.Fatalf("no promote button to reset-password: %v", buttonIDs(list))
	}

	// The harness clicks as an ordinary member: refused.
	if got := h.shownFor(h.click(promote, true)); !strings.Contains(got.Content, "only admins") {
		t.Errorf("a member's click: %q", got.Content)
	}
	admin := h.fake.SendInteraction(&discordgo.Interaction{
		Type: discordgo.InteractionMessageComponent, GuildID: guildID, ChannelID: generalID,
		Member:  &discordgo.Member{User: userOf(adminUserID)},
		Message: &discordgo.Message{ID: "800000000000000002", ChannelID: generalID, Author: userOf(h.fake.BotID()), Flags: discordgo.MessageFlagsEphemeral},
		Data:    discordgo.MessageComponentInteractionData{CustomID: promote, ComponentType: discordgo.ButtonComponent},
	})
	if got := h.shownFor(admin); !strings.Contains(got.Content, "reset-password") || !got.Ephemeral() {
		t.Errorf("the admin's click: %q (flags %d)", got.Content, got.Flags)
	}
	if data, _ := os.ReadFile(kb); !strings.Contains(string(data), question) {
		t.Fatal("the knowledge file lacks the new phrasing")
	}
	if got := h.answerTo(h.slash(strOpt("question", question))); !strings.Contains(got.Content, "Settings > Account") {
		t.Errorf("after promoting, the question gets %q", got.Content)
	}
}

// stateful copies the test knowledge file to a temporary folder and opens
// a SQLite state database beside it, closed when the test ends. It returns
// the store, the copy's path, and the setup that serves both.
func stateful(t *testing.T) (*store.Store, string, func(*setup)) {
	t.Helper()
	dir := t.TempDir()
	data, err := os.ReadFile(kbPath)
	if err != nil {
		t.Fatal(err)
	}
	kb := filepath.Join(dir, "kb.yaml")
	if err := os.WriteFile(kb, data, 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(context.Background(), store.Options{Driver: store.SQLite, Path: filepath.Join(dir, "faqbot.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st, kb, func(s *setup) {
		s.kb = kb
		s.botOptions = func(o *bot.Options) { o.Store, o.Recorder = st, st }
	}
}

// dms returns the messages the bot sent to user in their DM channel.
func (h *harness) dms(user string) []discordfake.Sent {
	dm := h.fake.DMChannel(user)
	var out []discordfake.Sent
	for _, s := range h.fake.Sent() {
		if s.Via == "channel" && s.Channel == dm {
			out = append(out, s)
		}
	}
	return out
}

// TestAdminOutputGoesToADM runs admin commands by mention in a server
// channel, where a reply cannot be shown to one member only: the output of
// an admin-only command goes to the admin in a DM, with a short public
// acknowledgement, and everything else stays in the channel.
func TestAdminOutputGoesToADM(t *testing.T) {
	t.Parallel()
	st, _, withState := stateful(t)
	h := start(t, withState)
	const question = "my account is locked out"
	h.answerTo(h.slash(strOpt("question", question)))
	if err := st.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	const modID = "300000000000000011"
	for _, tc := range []struct {
		name    string
		user    string
		roles   []string
		text    string
		public  string // in the channel reply
		dm      string // in the DM; "" when there is none
		buttons bool   // the DM keeps the promote buttons
		fail    bool   // Discord refuses to open the DM
	}{
		{"unanswered, admin by id", adminUserID, nil, "/faq unanswered 7", "Sent you the details in a DM.", question, true, false},
		{"unanswered, admin by role", modID, []string{modRoleID}, "/faq unanswered", "Sent you the details in a DM.", question, false, false},
		{"stats", adminUserID, nil, "/faq stats 7", "Sent you the details in a DM.", "Questions", false, false},
		{"reload", adminUserID, nil, "/faq reload", "Sent you the details in a DM.", "Reloaded", false, false},
		{"promote", adminUserID, nil, "/faq promote 1 to reset-password", "Sent you the details in a DM.", "as a phrasing of `reset-password`", false, false},
		{"stats by a member", aliceID, nil, "/faq stats", "only admins", "", false, false},
		{"list by an admin", adminUserID, nil, "/faq list", "How do I reset my password?", "", false, false},
		{"a question by an admin", adminUserID, nil, "how do I reset my password?", "Settings > Account", "", false, false},
		{"DMs closed", adminUserID, nil, "/faq stats", "could not send you a DM", "", false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.fail {
				h.fake.Fail(discordfake.Failure{Method: http.MethodPost, Path: "/api/v9/users/@me/channels", Status: http.StatusForbidden})
			}
			before := len(h.dms(tc.user))
			m := h.fake.SendMessage(&discordgo.Message{
				ChannelID: generalID, GuildID: guildID, Author: userOf(tc.user),
				Member:   &discordgo.Member{Roles: tc.roles},
				Content:  "<@" + h.fake.BotID() + "> " + tc.text,
				Mentions: []*discordgo.User{{ID: h.fake.BotID()}},
			})
			// The DM, if any, is sent before the channel reply.
			public := h.replyTo(m)
			if !strings.Contains(public.Content, tc.public) {
				t.Errorf("channel reply %q, want %q", public.Content, tc.public)
			}
			dms := h.dms(tc.user)[before:]
			if tc.dm == "" {
				if len(dms) != 0 {
					t.Errorf("%d DMs sent, want none: %q", len(dms), dms[0].Content)
				}
				return
			}
			if len(dms) != 1 || !strings.Contains(dms[0].Text(), tc.dm) {
				t.Fatalf("DMs %+v, want one holding %q", dms, tc.dm)
			}
			if dms[0].Reference != nil {
				t.Errorf("the DM replies to %+v, a message in another channel", dms[0].Reference)
			}
			if strings.Contains(public.Content, tc.dm) {
				t.Errorf("the channel reply %q shows the output too", public.Content)
			}
			if got := len(dms[0].Buttons()) > 0; got != tc.buttons {
				t.Errorf("the DM has buttons %v, want buttons: %v", buttonIDs(dms[0]), tc.buttons)
			}
		})
	}
}
