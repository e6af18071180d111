package config

import "time"

// Defaults of the stale digest.
const (
	// DefaultDigestEvery is how often the digest is posted: weekly.
	DefaultDigestEvery = 7 * 24 * time.Hour
	// DefaultDigestDays is the age past which an entry is stale, and the
	// period its questions and votes are read over.
	DefaultDigestDays = 90
	// minDigestEvery is the shortest period between two digests.
	minDigestEvery = time.Hour
)

// Stale configures the digest of a knowledge base's stale entries: the
// list /faq stale shows, posted on a schedule in a channel.
type Stale struct {
	// DigestChannel names, per platform, the channel the digest is
	// posted in; with none, there is no digest.
	DigestChannel Channels `yaml:"digest_channel"`
	// Every is the period between two digests; DefaultDigestEvery when 0.
	Every time.Duration `yaml:"every"`
	// Days is what /faq stale's days are; DefaultDigestDays when 0.
	Days int `yaml:"days"`
	// MentionOwners lets the digest mention the entries' owners, so that
	// they are notified; otherwise owners are shown without a mention.
	MentionOwners bool `yaml:"mention_owners"`
}

// Period returns Every, or DefaultDigestEvery when it is not set.
func (s Stale) Period() time.Duration {
	if s.Every == 0 {
		return DefaultDigestEvery
	}
	return s.Every
}

// StaleDays returns Days, or DefaultDigestDays when it is not set.
func (s Stale) StaleDays() int {
	if s.Days == 0 {
		return DefaultDigestDays
	}
	return s.Days
}

// check reports what is wrong in s, named by prefix, with line giving
// the line of one of its keys.
func (s Stale) check(prefix string, line func(key string) int, p *problems) {
	if s.Every != 0 && s.Every < minDigestEvery {
		p.add(line("every"), "%s.every: %v is too often; write a period of an hour or more, such as 168h for weekly", prefix, s.Every)
	}
	if s.Days < 0 {
		p.add(line("days"), "%s.days: %d is negative; write the age in days past which an entry is stale, such as %d", prefix, s.Days, DefaultDigestDays)
	}
	if len(s.DigestChannel.Channels()) == 0 && s.MentionOwners {
		p.add(line("mention_owners"), "%s.mention_owners: true, but there is no digest_channel to post the digest in: name one, such as digest_channel: {slack: C0123456789}", prefix)
	}
}
