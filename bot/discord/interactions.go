package discord

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/faqbot/faqbot/bot"
)

// commandName is the slash command's name.
const commandName = "faq"

// entryPrefix marks an autocomplete value that names an entry by its id
// rather than carrying typed text.
const entryPrefix = "entry:"

// The options of /faq.
const (
	optQuestion = "question"
	optList     = "list"
	optShow     = "show"
	optWhy      = "why"
	optHelp     = "help"
	optReload   = "reload"
	optPublic   = "public"
	// The admin commands of the state database.
	optUnanswered = "unanswered"
	optPromote    = "promote"
	optStats      = "stats"
	// optBase names the knowledge base an admin command acts on.
	optBase = "base"
	// optAdd and optEdit open the entry form (admins).
	optAdd  = "add"
	optEdit = "edit"
)

// Commands returns the application commands the bot registers: /faq, with
// a question option that autocompletes, and options for the other
// commands.
func Commands() []*discordgo.ApplicationCommand {
	dm := true
	str := func(name, desc string, auto bool) *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: name, Description: desc, Autocomplete: auto, MaxLength: 1000}
	}
	boolean := func(name, desc string) *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionBoolean, Name: name, Description: desc}
	}
	one := 1.0
	days := func(name, desc string) *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionInteger, Name: name, Description: desc, MinValue: &one, MaxValue: 3650}
	}
	return []*discordgo.ApplicationCommand{{
		Name:         commandName,
		Type:         discordgo.ChatApplicationCommand,
		Description:  "Ask the FAQ bot a question, or list, show and explain its answers",
		DMPermission: &dm,
		Options: []*discordgo.ApplicationCommandOption{
			str(optQuestion, "Your question, in your own words", true),
			str(optList, "List the questions I know that contain these words (* for all)", false),
			str(optShow, "Show one entry by its id", true),
			str(optWhy, "Show how a question is matched, with confidences", false),
			boolean(optHelp, "Show what I can do"),
			boolean(optReload, "Reload the knowledge file (admins)"),
			boolean(optPublic, "Post the answer for everyone in the channel"),
			days(optUnanswered, "Questions I could not answer in the last N days (admins)"),
			str(optPromote, "Add unanswered question n as a phrasing: n [to id] (admins)", false),
			days(optStats, "Questions, answers and votes of the last N days (admins)"),
			str(optBase, "The knowledge base to act on, when not this channel's (admins)", false),
			boolean(optAdd, "Add a new entry with a form (admins)"),
			str(optEdit, "Edit the entry with this id with a form (admins)", true),
		},
	}}
}

// request is what a /faq interaction asks for.
type request struct {
	// Text is what follows "/faq", as the bot reads it.
	Text string
	// Entry is the id of an entry picked from autocomplete.
	Entry string
	// Public asks for an answer everyone sees.
	Public bool
	// Question is set when the question option was used.
	Question bool
}

// parseCommand reads the options of a /faq interaction. It never panics,
// whatever the payload holds.
func parseCommand(d discordgo.ApplicationCommandInteractionData) (request, error) {
	if d.Name != commandName {
		return request{}, fmt.Errorf("unknown command /%s", d.Name)
	}
	var req request
	var actions []string
	var base string
	for _, o := range d.Options {
		if o == nil {
			continue
		}
		s, isString := o.Value.(string)
		b, _ := o.Value.(bool)
		s = strings.TrimSpace(s)
		switch o.Name {
		case optQuestion:
			req.Question = true
			if id, ok := strings.CutPrefix(s, entryPrefix); ok && id != "" {
				req.Entry = id
			} else {
				req.Text = s
			}
			actions = append(actions, o.Name)
		case optList:
			if s == "*" {
				s = ""
			}
			req.Text = strings.TrimSpace("list " + s)
			actions = append(actions, o.Name)
		case optShow:
			req.Text = strings.TrimSpace("show " + strings.TrimPrefix(s, entryPrefix))
			actions = append(actions, o.Name)
		case optWhy:
			req.Text = strings.TrimSpace("why " + s)
			actions = append(actions, o.Name)
		case optEdit:
			req.Text = strings.TrimSpace("edit " + strings.TrimPrefix(s, entryPrefix))
			actions = append(actions, o.Name)
		case optHelp, optReload, optAdd:
			if b || (isString && s != "") {
				req.Text = o.Name
				actions = append(actions, o.Name)
			}
		case optPromote:
			req.Text = strings.TrimSpace("promote " + s)
			actions = append(actions, o.Name)
		case optUnanswered, optStats:
			// Discord sends integers as JSON numbers.
			if n, ok := o.Value.(float64); ok && n >= 1 && n <= 3650 {
				req.Text = fmt.Sprintf("%s %d", o.Name, int(n))
			} else {
				req.Text = o.Name
			}
			actions = append(actions, o.Name)
		case optPublic:
			req.Public = b
		case optBase:
			base = s
		}
	}
	switch {
	case len(actions) > 1:
		return request{}, errors.New("use one of question, list, show, why, help, reload, unanswered, promote, stats, add or edit at a time")
	case len(actions) == 0:
		req.Text = "help"
	}
	if base != "" {
		if strings.ContainsAny(base, " \t\n") {
			return request{}, fmt.Errorf("base %q is not the name of a knowledge base", base)
		}
		req.Text += " base:" + base
	}
	return req, nil
}

// focused returns the option being typed in an autocomplete interaction.
func focused(d discordgo.ApplicationCommandInteractionData) (name, value string) {
	for _, o := range d.Options {
		if o != nil && o.Focused {
			v, _ := o.Value.(string)
			return o.Name, v
		}
	}
	return "", ""
}

// component is a parsed button click.
type component struct {
	Action string // "show", "post", "up", "down" or "cmd"
	// Entry is the entry id, or for "cmd" the command to run.
	Entry string
}

// parseComponent reads a button's custom id.
func parseComponent(customID string) (component, bool) {
	for _, p := range []struct{ prefix, action string }{{idShow, "show"}, {idPost, "post"}, {idVoteUp, "up"}, {idVoteDown, "down"}, {idCommand, "cmd"}} {
		if id, ok := strings.CutPrefix(customID, p.prefix); ok && id != "" {
			return component{Action: p.action, Entry: id}, true
		}
	}
	return component{}, false
}

// answer is an interaction's initial response and the follow-ups that
// complete it.
type answer struct {
	Response  any
	Followups []*discordgo.WebhookParams
}

// autocompleteResponse is an autocomplete result. discordgo's type drops
// an empty choices list, which Discord requires.
type autocompleteResponse struct {
	Type discordgo.InteractionResponseType `json:"type"`
	Data struct {
		Choices []*discordgo.ApplicationCommandOptionChoice `json:"choices"`
	} `json:"data"`
}

// ParseInteraction decodes an interaction payload as Discord sends it to an
// HTTP endpoint.
func ParseInteraction(body []byte) (*discordgo.Interaction, error) {
	var i discordgo.Interaction
	if err := json.Unmarshal(body, &i); err != nil {
		return nil, fmt.Errorf("not an interaction: %w", err)
	}
	if i.ID == "" || i.Type == 0 {
		return nil, errors.New("not an interaction: no id or type")
	}
	return &i, nil
}

// user returns who triggered an interaction, with their roles and
// permissions in the server when there is one.
func user(i *discordgo.Interaction) (u *discordgo.User, roles []string, perms int64) {
	if i.Member != nil && i.Member.User != nil {
		return i.Member.User, i.Member.Roles, i.Member.Permissions
	}
	return i.User, nil, 0
}

// interact answers one interaction. It returns false for interactions the
// bot does not answer: repeats, those from bots, and unknown kinds.
func (a *Adapter) interact(ctx context.Context, i *discordgo.Interaction) (answer, bool) {
	if a.accept(i, a.seen.First) != accepted {
		return answer{}, false
	}
	return a.answerFor(ctx, i)
}

// acceptance says whether the bot answers an interaction, or why not.
type acceptance int

const (
	accepted acceptance = iota
	// nobody: the interaction names neither a user nor a member, so
	// nobody triggered it that the bot could answer.
	nobody
	// fromBot: a bot triggered it.
	fromBot
	// repeat: it was handled before.
	repeat
)

// accept says whether the bot answers interaction i at all: not when it
// names nobody or a bot triggered it, nor when first (the adapter's
// memory of handled events) says it was seen before.
func (a *Adapter) accept(i *discordgo.Interaction, first func(key string) bool) acceptance {
	if i.Type == discordgo.InteractionPing {
		return accepted
	}
	u, _, _ := user(i)
	switch {
	case u == nil:
		return nobody
	case u.Bot:
		return fromBot
	}
	if !first("interaction:" + i.ID) {
		a.log.Debug("dropped an interaction already handled", "interaction", i.ID)
		return repeat
	}
	return accepted
}

// answerFor works out the answer to an accepted interaction.
func (a *Adapter) answerFor(ctx context.Context, i *discordgo.Interaction) (answer, bool) {
	if i.Type == discordgo.InteractionPing {
		return answer{Response: &discordgo.InteractionResponse{Type: discordgo.InteractionResponsePong}}, true
	}
	u, roles, perms := user(i)
	switch d := i.Data.(type) {
	case discordgo.ApplicationCommandInteractionData:
		if i.Type == discordgo.InteractionApplicationCommandAutocomplete {
			return answer{Response: a.autocomplete(scopeOf(i), d)}, true
		}
		if i.Type != discordgo.InteractionApplicationCommand {
			return answer{}, false
		}
		return a.slash(ctx, i, d, u.ID, a.admin(u.ID, roles, perms)), true
	case discordgo.MessageComponentInteractionData:
		if i.Type != discordgo.InteractionMessageComponent {
			return answer{}, false
		}
		return a.click(ctx, i, d, u.ID, a.admin(u.ID, roles, perms)), true
	case discordgo.ModalSubmitInteractionData:
		if i.Type != discordgo.InteractionModalSubmit {
			return answer{}, false
		}
		if strings.HasPrefix(d.CustomID, idEntry) {
			return a.entrySent(ctx, i, d, u.ID, a.admin(u.ID, roles, perms)), true
		}
		return a.reasonSent(ctx, i, d, u.ID), true
	}
	return answer{}, false
}

// prepared is an answer worked out in the background.
type prepared struct {
	answer answer
	ok     bool
}

// prepare starts working out the answer to an accepted interaction, in one
// of the bot's work slots unless it is autocomplete, which must never wait.
func (a *Adapter) prepare(ctx context.Context, i *discordgo.Interaction) <-chan prepared {
	out := make(chan prepared, 1)
	go func() {
		release := func() {}
		if i.Type != discordgo.InteractionApplicationCommandAutocomplete && i.Type != discordgo.InteractionPing {
			if bctx, done, err := a.bot.Begin(ctx); err == nil {
				ctx, release = bctx, done
			}
		}
		defer release()
		ans, ok := a.answerFor(ctx, i)
		out <- prepared{ans, ok}
	}()
	return out
}

// canDefer reports whether an interaction may be answered later, after a
// deferred response: everything but PING and autocomplete.
func canDefer(i *discordgo.Interaction) bool {
	return i.Type == discordgo.InteractionApplicationCommand || i.Type == discordgo.InteractionMessageComponent
}

// deferTimer returns a channel that fires when interaction i, which
// arrived at arrived, should get a deferred response: at once for an
// admin command that may take long (a reload, a query of the state
// database), deferAfter after its arrival for the rest, and never for
// those that cannot be deferred. stop releases the timer.
func (a *Adapter) deferTimer(i *discordgo.Interaction, arrived time.Time) (late <-chan time.Time, stop func()) {
	if !canDefer(i) {
		return nil, func() {}
	}
	wait := a.deferAfter
	if mayTakeLong(i) {
		wait = 0
	}
	timer := time.NewTimer(time.Until(arrived.Add(wait)))
	return timer.C, func() { timer.Stop() }
}

// mayTakeLong reports whether an interaction runs an admin command that
// may take long: /faq reload, unanswered, promote or stats, or a command
// button such as "add as a phrasing".
func mayTakeLong(i *discordgo.Interaction) bool {
	switch d := i.Data.(type) {
	case discordgo.ApplicationCommandInteractionData:
		req, err := parseCommand(d)
		return i.Type == discordgo.InteractionApplicationCommand && err == nil && req.Entry == "" && !req.Question && bot.MayTakeLong(req.Text)
	case discordgo.MessageComponentInteractionData:
		c, ok := parseComponent(d.CustomID)
		return ok && c.Action == "cmd" && bot.MayTakeLong(c.Entry)
	}
	return false
}

// deferred is the response that tells Discord the answer is coming, shown
// as "faqbot is thinking…". Its flags fix whether the answer will be
// ephemeral, so they follow what the answer is expected to be: public for
// a question when answers are public or public:true was asked, and for
// "Post publicly"; ephemeral otherwise.
func (a *Adapter) deferred(i *discordgo.Interaction) *discordgo.InteractionResponse {
	ephemeral := true
	switch d := i.Data.(type) {
	case discordgo.ApplicationCommandInteractionData:
		if req, err := parseCommand(d); err == nil && req.Question {
			ephemeral = a.cfg.Ephemeral() && !req.Public
		}
	case discordgo.MessageComponentInteractionData:
		if c, ok := parseComponent(d.CustomID); ok {
			switch c.Action {
			case "post":
				ephemeral = false
			case "show":
				ephemeral = a.cfg.Ephemeral()
			}
		}
	}
	resp := &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{AllowedMentions: noMentions()},
	}
	if ephemeral {
		resp.Data.Flags = discordgo.MessageFlagsEphemeral
	}
	return resp
}

// finish completes a deferred interaction: it edits the deferred response
// into the answer and sends the rest of a long answer as follow-ups.
func (a *Adapter) finish(ctx context.Context, i *discordgo.Interaction, ans answer) {
	resp, ok := ans.Response.(*discordgo.InteractionResponse)
	if !ok || resp.Data == nil {
		return
	}
	d := resp.Data
	edit := &discordgo.WebhookEdit{Content: &d.Content, Embeds: &d.Embeds, Components: &d.Components, AllowedMentions: noMentions()}
	if d.Embeds == nil {
		edit.Embeds = &[]*discordgo.MessageEmbed{}
	}
	if d.Components == nil {
		edit.Components = &[]discordgo.MessageComponent{}
	}
	if _, err := a.s.InteractionResponseEdit(i, edit, discordgo.WithContext(ctx)); err != nil {
		a.log.Error("could not complete a deferred interaction", "interaction", i.ID, "error", err)
		return
	}
	a.followUp(ctx, i, ans.Followups)
}

// autocomplete ranks the questions (or entry ids) that fit what is typed.
func (a *Adapter) autocomplete(scope bot.Scope, d discordgo.ApplicationCommandInteractionData) *autocompleteResponse {
	resp := &autocompleteResponse{Type: discordgo.InteractionApplicationCommandAutocompleteResult}
	resp.Data.Choices = []*discordgo.ApplicationCommandOptionChoice{}
	name, typed := focused(d)
	if name == optEdit {
		name = optShow // both name an entry by its id
	}
	if d.Name != commandName || (name != optQuestion && name != optShow) {
		return resp
	}
	for _, s := range a.bot.Complete(scope, clip(typed), maxChoices) {
		if len(resp.Data.Choices) == maxChoices {
			break
		}
		label, value := s.Question, entryPrefix+s.ID
		if name == optShow {
			label, value = s.ID+": "+s.Question, s.ID
		}
		label = truncate(strings.Join(strings.Fields(label), " "), maxChoiceName)
		if label == "" || units(value) > maxChoiceName {
			continue
		}
		resp.Data.Choices = append(resp.Data.Choices, &discordgo.ApplicationCommandOptionChoice{Name: label, Value: value})
	}
	return resp
}

// slash answers /faq.
func (a *Adapter) slash(ctx context.Context, i *discordgo.Interaction, d discordgo.ApplicationCommandInteractionData, userID string, admin bool) answer {
	req, err := parseCommand(d)
	if err != nil {
		return a.message(bot.Reply{Kind: bot.Refusal, Private: true, Text: "Sorry: " + err.Error() + "."}, true, false)
	}
	var reply bot.Reply
	if req.Entry != "" {
		reply, _ = a.bot.Show(scopeOf(i), req.Entry)
	} else {
		var ok bool
		reply, ok = a.bot.Handle(ctx, bot.Message{
			Platform: platform,
			ID:       i.ID,
			Space:    i.GuildID,
			Channel:  i.ChannelID,
			User:     userID,
			Text:     clip(req.Text),
			Origin:   bot.Command,
			Admin:    admin,
		})
		if !ok {
			// The bot stays silent when its limits turn a message away;
			// a slash command must still be answered.
			reply = bot.Reply{Kind: bot.Refusal, Private: true, Text: "I can't answer that right now. Ask again in a moment."}
		}
	}
	ephemeral := reply.Private || (a.cfg.Ephemeral() && !req.Public)
	return a.formOrMessage(reply, ephemeral, ephemeral && reply.Kind == bot.Answer)
}

// click answers a button: a suggestion, "Post publicly", a vote, or a
// command button (such as "add as a phrasing"), which runs with the
// clicker's own rights.
func (a *Adapter) click(ctx context.Context, i *discordgo.Interaction, d discordgo.MessageComponentInteractionData, userID string, admin bool) answer {
	c, ok := parseComponent(d.CustomID)
	if !ok {
		return a.message(bot.Reply{Kind: bot.Refusal, Private: true, Text: "This button no longer does anything. Ask again with `/faq`."}, true, false)
	}
	switch c.Action {
	case "down":
		return answer{Response: reasonForm(c.Entry)}
	case "up":
		return a.message(a.bot.Vote(ctx, bot.Vote{Platform: platform, Space: i.GuildID, Channel: i.ChannelID, Direct: i.GuildID == "", User: userID, EntryID: c.Entry, Up: c.Action == "up"}), true, false)
	case "post":
		reply, found := a.bot.Show(scopeOf(i), c.Entry)
		return a.message(reply, !found, false)
	case "cmd":
		reply, ok := a.bot.Handle(ctx, bot.Message{Platform: platform, ID: i.ID, Space: i.GuildID, Channel: i.ChannelID, User: userID, Text: c.Entry, Origin: bot.Command, Admin: admin})
		if !ok {
			reply = bot.Reply{Kind: bot.Refusal, Private: true, Text: "I can't do that right now. Try again in a moment."}
		}
		if reply.Escalate != nil {
			a.escalate(ctx, reply.Escalate)
		}
		return a.formOrMessage(reply, true, false)
	default:
		reply, found := a.bot.Show(scopeOf(i), c.Entry)
		ephemeral := !found || a.cfg.Ephemeral()
		return a.message(reply, ephemeral, found && ephemeral)
	}
}

// message is the interaction response that shows reply, with any
// follow-ups for a reply too long for one message.
func (a *Adapter) message(reply bot.Reply, ephemeral, post bool) answer {
	var flags discordgo.MessageFlags
	if ephemeral {
		flags = discordgo.MessageFlagsEphemeral
	}
	outs := render(reply, post)
	first := outs[0]
	ans := answer{Response: &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{
			Content:         first.Content,
			Embeds:          first.Embeds,
			Components:      first.Components,
			AllowedMentions: noMentions(),
			Flags:           flags,
		},
	}}
	for _, out := range outs[1:] {
		ans.Followups = append(ans.Followups, &discordgo.WebhookParams{
			Content:         out.Content,
			Embeds:          out.Embeds,
			Components:      out.Components,
			AllowedMentions: noMentions(),
			Flags:           flags,
		})
	}
	return ans
}

// onInteraction answers an interaction that came over the gateway. An
// answer not ready within deferAfter of its arrival (or at once, for an
// admin command that may take long) is deferred, so that Discord's 3 s
// deadline is met whatever the load, and completed when ready.
func (a *Adapter) onInteraction(s *discordgo.Session, ev *discordgo.InteractionCreate) {
	arrived := time.Now()
	i := ev.Interaction
	if i == nil || a.accept(i, func(key string) bool { return a.seen.FirstBy(arrived.Add(bot.ClaimBudget), key) }) != accepted {
		return
	}
	ctx, done, ok := a.begin(false)
	if !ok {
		return
	}
	defer done()
	ready := a.prepare(ctx, i)
	late, stop := a.deferTimer(i, arrived)
	defer stop()
	endpoint := discordgo.EndpointInteractionResponse(i.ID, i.Token)
	respond := func(resp any) bool {
		if _, err := s.RequestWithBucketID("POST", endpoint, resp, endpoint, discordgo.WithContext(ctx)); err != nil {
			a.log.Error("could not answer an interaction", "interaction", i.ID, "type", i.Type.String(), "error", err)
			return false
		}
		return true
	}
	select {
	case p := <-ready:
		if p.ok && respond(p.answer.Response) {
			a.followUp(ctx, i, p.answer.Followups)
		}
	case <-late:
		a.log.Debug("deferred a slow interaction", "interaction", i.ID, "after", a.deferAfter)
		if !respond(a.deferred(i)) {
			<-ready
			return
		}
		if p := <-ready; p.ok {
			a.finish(ctx, i, p.answer)
		}
	}
}

// followUp sends the rest of a long answer.
func (a *Adapter) followUp(ctx context.Context, i *discordgo.Interaction, msgs []*discordgo.WebhookParams) {
	for _, m := range msgs {
		if _, err := a.s.FollowupMessageCreate(i, true, m, discordgo.WithContext(ctx)); err != nil {
			a.log.Error("could not send a follow-up", "interaction", i.ID, "error", err)
			return
		}
	}
}

// scopeOf returns where an interaction happened, for picking its
// knowledge base; one outside a server is a direct message.
func scopeOf(i *discordgo.Interaction) bot.Scope {
	return bot.Scope{Platform: platform, Space: i.GuildID, Channel: i.ChannelID, Direct: i.GuildID == ""}
}
