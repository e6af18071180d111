package config

// Slack configures the Slack adapter. It is off unless Enabled.
type Slack struct {
	Enabled bool `yaml:"enabled"`
}

func (s *Slack) check(c *Config, p *problems) {}
