package config

// Discord configures the Discord adapter. It is off unless Enabled.
type Discord struct {
	Enabled bool `yaml:"enabled"`
}

func (d *Discord) check(c *Config, p *problems) {}
