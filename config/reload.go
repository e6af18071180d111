package config

import "path/filepath"

// Reload configures how the knowledge file is reloaded. /faq reload and
// SIGHUP always reload; these add a file watch and a quality gate.
type Reload struct {
	// Watch reloads the knowledge file when it changes on disk, including
	// when an editor replaces it by renaming a new file over it.
	Watch bool `yaml:"watch"`
	// RequireCases is an evaluation cases file (JSON lines, as for
	// "faqbot eval"), relative to the config file's folder unless
	// absolute. When set, a reload runs the cases against the new
	// knowledge file first and keeps the old one if it scores below
	// MinAccuracy.
	RequireCases string `yaml:"require_cases"`
	// MinAccuracy is the share of cases, in [0,1], the new knowledge file
	// must handle right.
	MinAccuracy float64 `yaml:"min_accuracy"`
	// MaxChanged, if positive, refuses a reload after which more than this
	// many distinct questions asked in the last 30 days lose their answer
	// or get another one, replayed from the state database.
	MaxChanged int `yaml:"max_changed"`
}

// DefaultReload returns the reload settings used when the config sets
// none: no watch and no gate.
func DefaultReload() Reload {
	return Reload{MinAccuracy: 0.9}
}

func (r *Reload) check(c *Config, p *problems) {
	if r.MinAccuracy < 0 || r.MinAccuracy > 1 {
		p.add(c.line("reload", "min_accuracy"), "reload.min_accuracy: %v is outside [0,1]; 0.9 asks for nine cases in ten handled right", r.MinAccuracy)
	}
	if r.MaxChanged < 0 {
		p.add(c.line("reload", "max_changed"), "reload.max_changed: %d is negative; 0 sets no limit, 20 refuses a reload that changes the answers of more than 20 questions", r.MaxChanged)
	}
	if r.MaxChanged > 0 && c.Store.Driver == "none" {
		p.add(c.line("reload", "max_changed"), "reload.max_changed needs the questions asked, and store.driver is none: set a store, or max_changed: 0")
	}
}

// resolve makes the cases path relative to dir, the config file's folder.
func (r *Reload) resolve(dir string) {
	if r.RequireCases != "" && !filepath.IsAbs(r.RequireCases) {
		r.RequireCases = filepath.Join(dir, r.RequireCases)
	}
}
