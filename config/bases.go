package config

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

// DefaultBase is the name of the knowledge base that the top-level
// knowledge key names: it answers every question that no scoped base
// claims, direct messages included.
const DefaultBase = "default"

// Base is one more knowledge base, which answers the questions asked where
// its scope says: in some Slack workspaces or channels, in some Discord
// servers or channels. A question is answered from the base whose scope is
// the most specific match: the channel's base, then the workspace's or
// server's, then the default base (the top-level knowledge key). Direct
// messages are answered from the default base.
type Base struct {
	// Name names the base in commands ("base:NAME", --base NAME), logs,
	// metrics and the state database.
	Name string `yaml:"name"`
	// Knowledge is the knowledge file, or a folder whose .yaml, .yml and
	// .json files together are the base, relative to the config file's
	// folder unless absolute.
	Knowledge string `yaml:"knowledge"`
	// Threshold, if set, replaces matcher.threshold for this base.
	Threshold *float64 `yaml:"threshold"`
	// Fallback, if set, replaces the knowledge file's fallback.
	Fallback string `yaml:"fallback"`
	// Slack and Discord say where the base applies and who administers
	// it besides the platform-wide admins.
	Slack   SlackScope   `yaml:"slack"`
	Discord DiscordScope `yaml:"discord"`
	// Experts are the channels where "Ask a person" takes the base's
	// questions.
	Experts Channels `yaml:"experts"`
	// Stale is the base's digest of stale entries.
	Stale Stale `yaml:"stale"`

	line int
}

// Channels names one channel per platform, such as the experts channel
// where people who know the answers take the questions the bot could not
// answer (without one, the bot offers no "Ask a person" button on that
// platform) or the channel of the stale digest.
type Channels struct {
	// Slack is a channel id (C…), Discord a channel id, both of channels
	// the bot can post in and read.
	Slack   string `yaml:"slack"`
	Discord string `yaml:"discord"`
}

// Channels returns the channels by platform name, leaving out the
// platforms without one.
func (e Channels) Channels() map[string]string {
	out := map[string]string{}
	if e.Slack != "" {
		out["slack"] = e.Slack
	}
	if e.Discord != "" {
		out["discord"] = e.Discord
	}
	return out
}

// SlackScope is where on Slack a base applies, and its own admins.
type SlackScope struct {
	// Workspaces are team ids (T…); Channels are channel ids (C…, G…).
	Workspaces []string `yaml:"workspaces"`
	Channels   []string `yaml:"channels"`
	// Admins are user ids (U…, W…) who may run the admin commands on this
	// base only.
	Admins []string `yaml:"admins"`
}

// DiscordScope is where on Discord a base applies, and its own admins.
type DiscordScope struct {
	// Guilds are server ids; Channels are channel ids (a thread is in its
	// parent's scope only if the thread's own id is listed).
	Guilds   []string `yaml:"guilds"`
	Channels []string `yaml:"channels"`
	// Admins are user ids who may run the admin commands on this base
	// only.
	Admins []string `yaml:"admins"`
}

// ThresholdOr returns the base's threshold, or def when it sets none.
func (b *Base) ThresholdOr(def float64) float64 {
	if b.Threshold == nil {
		return def
	}
	return *b.Threshold
}

var baseName = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,31}$`)

// checkBases checks every base and that no two claim the same place: a
// channel, a workspace or a server belongs to one base at most.
func (c *Config) checkBases(p *problems) {
	seenName := map[string]int{}
	type claim struct {
		base string
		line int
	}
	claims := map[string]claim{}
	for i := range c.Bases {
		b := &c.Bases[i]
		b.line = c.baseLine(i)
		at := func(key ...string) int { return c.baseLine(i, key...) }
		switch {
		case b.Name == DefaultBase:
			p.add(at("name"), "bases[%d].name: %q is the top-level knowledge file's name; give this base another", i, b.Name)
		case !baseName.MatchString(b.Name):
			p.add(at("name"), "bases[%d].name: %q is not a base name: use 1 to 32 lower-case letters, digits, - or _, starting with a letter or digit, such as hr", i, b.Name)
		case seenName[b.Name] > 0:
			p.add(at("name"), "bases[%d].name: %q names another base too (line %d)", i, b.Name, seenName[b.Name])
		default:
			seenName[b.Name] = at("name")
		}
		if b.Knowledge == "" {
			p.add(at("knowledge"), "bases[%d] (%s): knowledge: name the base's knowledge file or folder", i, b.Name)
		}
		if t := b.Threshold; t != nil && (*t < 0 || *t > 1) {
			p.add(at("threshold"), "bases[%d] (%s): threshold: %v is outside [0,1]", i, b.Name, *t)
		}
		b.Stale.check(fmt.Sprintf("bases[%d] (%s): stale", i, b.Name), func(key string) int { return at("stale", key) }, p)
		places := 0
		for _, sc := range []struct {
			platform, kind string
			ids            []string
			key            []string
		}{
			{"Slack", "workspace", b.Slack.Workspaces, []string{"slack", "workspaces"}},
			{"Slack", "channel", b.Slack.Channels, []string{"slack", "channels"}},
			{"Discord", "server", b.Discord.Guilds, []string{"discord", "guilds"}},
			{"Discord", "channel", b.Discord.Channels, []string{"discord", "channels"}},
		} {
			for _, id := range sc.ids {
				places++
				if strings.TrimSpace(id) == "" {
					p.add(at(sc.key...), "bases[%d] (%s): %s: an empty id", i, b.Name, strings.Join(sc.key, "."))
					continue
				}
				k := sc.platform + " " + sc.kind + " " + id
				if prev, ok := claims[k]; ok && prev.base != b.Name {
					p.add(at(sc.key...), "bases[%d] (%s): %s %s is in the scope of base %s too (line %d): a %s belongs to one base; remove it from one of them", i, b.Name, sc.platform+" "+sc.kind, id, prev.base, prev.line, sc.kind)
					continue
				}
				claims[k] = claim{b.Name, at(sc.key...)}
			}
		}
		if places == 0 {
			p.add(b.line, "bases[%d] (%s): no scope: list the Slack workspaces or channels, or the Discord servers or channels, it answers in (questions elsewhere go to the top-level knowledge file)", i, b.Name)
		}
	}
}

// resolveBases makes the bases' paths relative to dir, the config file's
// folder.
func (c *Config) resolveBases(dir string) {
	for i := range c.Bases {
		if k := c.Bases[i].Knowledge; k != "" && !filepath.IsAbs(k) {
			c.Bases[i].Knowledge = filepath.Join(dir, k)
		}
	}
}

// FindBase returns the base with the given name; DefaultBase names the
// top-level knowledge file, returned as a Base with no scope.
func (c *Config) FindBase(name string) (Base, error) {
	if name == DefaultBase || name == "" {
		return Base{Name: DefaultBase, Knowledge: c.Knowledge, Experts: c.Experts, Stale: c.Stale}, nil
	}
	names := []string{DefaultBase}
	for _, b := range c.Bases {
		if b.Name == name {
			return b, nil
		}
		names = append(names, b.Name)
	}
	return Base{}, fmt.Errorf("there is no knowledge base %q; the config has %s", name, strings.Join(names, ", "))
}

// AllBases returns the default base (the top-level knowledge file) and
// then the scoped ones, in the config's order.
func (c *Config) AllBases() []Base {
	def, _ := c.FindBase(DefaultBase)
	return append([]Base{def}, c.Bases...)
}

// baseLine returns the line of a key of bases[i], or of bases[i] itself.
func (c *Config) baseLine(i int, key ...string) int {
	if c.root == nil || len(c.root.Content) == 0 {
		return 0
	}
	n := c.root.Content[0]
	var seq *yaml.Node
	for j := 0; j+1 < len(n.Content); j += 2 {
		if n.Content[j].Value == "bases" {
			seq = n.Content[j+1]
		}
	}
	if seq == nil || seq.Kind != yaml.SequenceNode || i >= len(seq.Content) {
		return c.line("bases")
	}
	item := seq.Content[i]
	return lineIn(item, item.Line, key...)
}
