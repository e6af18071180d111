package config

import (
	"time"

	"github.com/faqbot/faqbot/knowledge"
)

// Limits bounds how often one person can make the bot speak, how often it
// repeats itself in a channel, how much it works on at once, how long it
// takes to stop, and how large a knowledge base it reads.
type Limits struct {
	// Cooldown is the least time between two replies to the same user's
	// questions; a question inside it gets one short "slow down" notice
	// and then silence. 0 turns the cooldown off.
	Cooldown time.Duration `yaml:"cooldown"`
	// DuplicateWindow is how long an answer given in a channel counts as
	// fresh: asking for the same entry in the same channel within it gets
	// a short pointer to the earlier answer instead of a repeat. 0 turns
	// this off.
	DuplicateWindow time.Duration `yaml:"duplicate_window"`
	// MaxConcurrent is how many messages the bot handles and replies to at
	// once; 0 means no bound.
	MaxConcurrent int `yaml:"max_concurrent"`
	// MaxWait is how long a message waits for one of the MaxConcurrent
	// slots before the bot says it is busy.
	MaxWait time.Duration `yaml:"max_wait"`
	// ShutdownGrace is how long replies in flight may take to finish after
	// SIGINT or SIGTERM before they are abandoned.
	ShutdownGrace time.Duration `yaml:"shutdown_grace"`
	// KnowledgeMB is the largest knowledge file, or folder of files
	// together, that is read, in MiB: a larger one is refused before it is
	// parsed, since checking and indexing it takes about ten times its
	// size in memory for a moment.
	KnowledgeMB int `yaml:"knowledge_mb"`
}

// KnowledgeBytes returns KnowledgeMB in bytes.
func (l Limits) KnowledgeBytes() int64 { return int64(l.KnowledgeMB) << 20 }

// DefaultLimits returns the limits used when the config file sets none.
// ShutdownGrace stays under the ten seconds "docker stop" waits before it
// kills the process.
func DefaultLimits() Limits {
	return Limits{
		Cooldown:        2 * time.Second,
		DuplicateWindow: 10 * time.Minute,
		MaxConcurrent:   64,
		MaxWait:         5 * time.Second,
		ShutdownGrace:   8 * time.Second,
		KnowledgeMB:     knowledge.MaxFileSize >> 20,
	}
}

func (l *Limits) check(c *Config, p *problems) {
	for _, d := range []struct {
		key string
		v   time.Duration
	}{
		{"cooldown", l.Cooldown},
		{"duplicate_window", l.DuplicateWindow},
		{"max_wait", l.MaxWait},
	} {
		if d.v < 0 {
			p.add(c.line("limits", d.key), "limits.%s: %v is negative; write a duration such as 2s or 10m, or 0 to turn it off", d.key, d.v)
		}
	}
	if l.MaxConcurrent < 0 {
		p.add(c.line("limits", "max_concurrent"), "limits.max_concurrent: %d is negative; 64 suits most teams, 0 means no bound", l.MaxConcurrent)
	}
	if l.ShutdownGrace <= 0 {
		p.add(c.line("limits", "shutdown_grace"), "limits.shutdown_grace: %v must be positive, such as 8s; keep it below the time your orchestrator waits before it kills the process (docker stop: 10s)", l.ShutdownGrace)
	}
	if l.KnowledgeMB <= 0 {
		p.add(c.line("limits", "knowledge_mb"), "limits.knowledge_mb: %d must be positive; the default, %d, admits 100,000 entries asked five ways each", l.KnowledgeMB, knowledge.MaxFileSize>>20)
	}
}
