package bot

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// Scope is where something happened: the platform, the Slack workspace or
// Discord server (Space), the channel, and whether it was a direct
// message. Bases picks the knowledge base by it.
type Scope struct {
	Platform string
	Space    string
	Channel  string
	Direct   bool
}

// ScopeOf returns the scope of a message.
func ScopeOf(m Message) Scope {
	return Scope{Platform: m.Platform, Space: m.Space, Channel: m.Channel, Direct: m.Origin == Direct}
}

// Scoped is one knowledge base other than the default, with where it
// applies and who administers it.
type Scoped struct {
	// Bot serves the base; its Options.Name names the base.
	Bot *Bot
	// Spaces and Channels are the ids where the base applies, by platform
	// ("slack", "discord"): Spaces are Slack workspaces and Discord
	// servers.
	Spaces   map[string][]string
	Channels map[string][]string
	// Admins are the user ids, by platform, who may run the admin
	// commands on this base besides the platform's own admins.
	Admins map[string][]string
}

// Bases serves several knowledge bases from one process, each a Bot,
// sharing one set of limits. A message is answered by the base whose scope
// is the most specific match: the base listing its channel, else the base
// listing its workspace or server, else the default base. A direct
// message is answered by the default base. An admin may name another base
// with "base:NAME" anywhere in an admin command. It is safe for concurrent
// use.
type Bases struct {
	def      *Bot
	byName   map[string]*Bot
	names    []string // the default first, then in the order given
	channels map[string]*Bot
	spaces   map[string]*Bot
	admins   map[*Bot]map[string]bool // "platform:user"
}

// NewBases returns the bases: def answers wherever no scoped base does.
// The scoped bots take def's limits and work slots, so that cooldowns and
// the bound on concurrent work hold across bases. Scopes must not overlap
// (config.Load checks it); of two bases claiming one place the first wins.
func NewBases(def *Bot, scoped ...Scoped) *Bases {
	r := &Bases{
		def:      def,
		byName:   map[string]*Bot{def.BaseName(): def},
		names:    []string{def.BaseName()},
		channels: map[string]*Bot{},
		spaces:   map[string]*Bot{},
		admins:   map[*Bot]map[string]bool{},
	}
	for _, s := range scoped {
		b := s.Bot
		b.limits, b.work = def.limits, def.work
		r.byName[b.BaseName()] = b
		r.names = append(r.names, b.BaseName())
		claim := func(into map[string]*Bot, byPlatform map[string][]string) {
			for platform, ids := range byPlatform {
				for _, id := range ids {
					if _, taken := into[platform+":"+id]; !taken {
						into[platform+":"+id] = b
					}
				}
			}
		}
		claim(r.channels, s.Channels)
		claim(r.spaces, s.Spaces)
		admins := map[string]bool{}
		for platform, ids := range s.Admins {
			for _, id := range ids {
				admins[platform+":"+id] = true
			}
		}
		r.admins[b] = admins
	}
	return r
}

// BaseName returns the name of the knowledge base the bot serves, "default"
// for the default base.
func (b *Bot) BaseName() string {
	if b.name == "" {
		return defaultBase
	}
	return b.name
}

// defaultBase names the default knowledge base in messages.
const defaultBase = "default"

// For returns the bot of the knowledge base that answers in scope s.
func (r *Bases) For(s Scope) *Bot {
	if s.Direct {
		return r.def
	}
	if b, ok := r.channels[s.Platform+":"+s.Channel]; ok && s.Channel != "" {
		return b
	}
	if b, ok := r.spaces[s.Platform+":"+s.Space]; ok && s.Space != "" {
		return b
	}
	return r.def
}

// Named returns the bot of the named knowledge base.
func (r *Bases) Named(name string) (*Bot, bool) {
	b, ok := r.byName[name]
	return b, ok
}

// Names returns the bases' names, the default first.
func (r *Bases) Names() []string { return slices.Clone(r.names) }

// Default returns the default base's bot.
func (r *Bases) Default() *Bot { return r.def }

// Handle answers a message from the base in its scope, or from the base an
// admin names with "base:NAME".
func (r *Bases) Handle(ctx context.Context, m Message) (Reply, bool) {
	b := r.For(ScopeOf(m))
	if name, rest, ok := baseArg(m.Text); ok {
		named, found := r.byName[name]
		if !found {
			return Reply{Kind: Refusal, Private: true, Text: fmt.Sprintf("There is no knowledge base %q; there are %s.", Defuse(name), strings.Join(r.names, ", "))}, !m.FromBot
		}
		if !m.Admin && !r.admins[named][m.Platform+":"+m.User] {
			return Reply{Kind: Refusal, Private: true, Text: "Sorry, only the admins of a knowledge base can name it with base:" + Defuse(name) + "."}, !m.FromBot
		}
		b, m.Text = named, rest
	}
	if r.admins[b][m.Platform+":"+m.User] {
		m.Admin = true
	}
	return b.Handle(ctx, m)
}

// baseArg finds a "base:NAME" word in text and returns the name and the
// text without it.
func baseArg(text string) (name, rest string, ok bool) {
	words := strings.Fields(text)
	for i, w := range words {
		if n, found := strings.CutPrefix(w, "base:"); found && n != "" {
			return n, strings.Join(slices.Delete(words, i, i+1), " "), true
		}
	}
	return "", text, false
}

// Show returns an entry's answer from the base in scope s.
func (r *Bases) Show(s Scope, id string) (Reply, bool) { return r.For(s).Show(s, id) }

// Complete ranks the questions of the base in scope s for a partly typed
// one.
func (r *Bases) Complete(s Scope, partial string, n int) []Suggestion {
	return r.For(s).Complete(s, partial, n)
}

// Vote takes a 👍 or 👎 on an answer of the base where it was cast.
func (r *Bases) Vote(ctx context.Context, v Vote) Reply {
	s := Scope{Platform: v.Platform, Space: v.Space, Channel: v.Channel, Direct: v.Direct}
	return r.For(s).Vote(ctx, v)
}

// Begin takes one of the shared work slots (see Bot.Begin).
func (r *Bases) Begin(ctx context.Context) (context.Context, func(), error) {
	return r.def.Begin(ctx)
}

// Drain waits for the work in flight on every base (see Bot.Drain).
func (r *Bases) Drain(ctx context.Context) error { return r.def.Drain(ctx) }

// InFlight returns the number of messages being worked on, on all bases.
func (r *Bases) InFlight() int { return r.def.InFlight() }

// Escalated records where an escalation was posted (see Bot.Escalated).
func (r *Bases) Escalated(key, post string) {
	for _, name := range r.names {
		r.byName[name].Escalated(key, post)
	}
}

// ExpertAnswered passes an expert's reply on to the base that escalated the
// question (see Bot.ExpertAnswered).
func (r *Bases) ExpertAnswered(platform, channel, post, expert, text string) (Notice, bool) {
	for _, name := range r.names {
		if n, ok := r.byName[name].ExpertAnswered(platform, channel, post, expert, text); ok {
			return n, true
		}
	}
	return Notice{}, false
}

// SubmitEntry takes a sent entry form for the base it was opened on (see
// Bot.SubmitEntry), whose admins may send it.
func (r *Bases) SubmitEntry(ctx context.Context, m Message, f EntryForm) Reply {
	b, ok := r.byName[f.Base]
	if !ok {
		b = r.def
	}
	if r.admins[b][m.Platform+":"+m.User] {
		m.Admin = true
	}
	return b.SubmitEntry(ctx, m, f)
}
