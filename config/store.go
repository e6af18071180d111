package config

import "path/filepath"

// Store configures the state database: the questions asked, feedback votes,
// reloads and edits that /faq unanswered, /faq stats and "faqbot stats"
// read.
type Store struct {
	// Driver is sqlite (a file, for one process), postgres (shared by
	// several replicas) or none (keep no state; the admin commands that
	// need it are off).
	Driver string `yaml:"driver"`
	// Path is the SQLite database file, relative to the config file's
	// folder unless absolute. Its folder is created if missing.
	Path string `yaml:"path"`
	// DSN is the PostgreSQL connection string, from an environment
	// variable written as ${NAME}: it holds a password.
	DSN Secret `yaml:"dsn"`
	// DSNFile is a file holding the connection string, instead of DSN.
	DSNFile string `yaml:"dsn_file"`
	// RetentionDays is how many days records are kept; older ones are
	// deleted every hour. 0 keeps them for ever.
	RetentionDays int `yaml:"retention_days"`

	dsn string
}

// DefaultStore returns the state database used when the config sets none:
// SQLite in data/faqbot.db, keeping 90 days.
func DefaultStore() Store {
	return Store{Driver: "sqlite", Path: "data/faqbot.db", RetentionDays: 90}
}

// DSNValue returns the PostgreSQL connection string, read from the
// environment variable or the file the config names.
func (s Store) DSNValue() string { return s.dsn }

func (s *Store) check(c *Config, p *problems) {
	switch s.Driver {
	case "sqlite":
		if s.Path == "" {
			p.add(c.line("store", "path"), "store.path: name the SQLite database file, such as data/faqbot.db")
		}
	case "postgres":
		s.dsn = c.resolveSecret(p, s.DSN, s.DSNFile, true, "store", "dsn")
	case "none":
	default:
		p.add(c.line("store", "driver"), "store.driver: %q is not one of sqlite, postgres, none", s.Driver)
	}
	if s.RetentionDays < 0 {
		p.add(c.line("store", "retention_days"), "store.retention_days: %d is negative; give a number of days, or 0 to keep everything", s.RetentionDays)
	}
}

// resolve makes the SQLite path relative to dir, the config file's folder.
func (s *Store) resolve(dir string) {
	if s.Path != "" && !filepath.IsAbs(s.Path) {
		s.Path = filepath.Join(dir, s.Path)
	}
}
