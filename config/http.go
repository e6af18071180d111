package config

// HTTP configures faqbot's one HTTP listener, shared by Slack's HTTP mode,
// Discord's HTTP interactions endpoint, and the health and metrics endpoints.
// It is off while Listen is empty.
type HTTP struct {
	// Listen is the address to listen on, such as 127.0.0.1:8080.
	Listen string `yaml:"listen"`
}
