package config

import (
	"net"
	"strconv"
)

// DefaultHTTPPort is the port of the HTTP listener in the examples, the
// Docker image and compose.yaml.
const DefaultHTTPPort = 8080

// HTTP configures faqbot's one HTTP listener, shared by Slack's HTTP mode,
// Discord's HTTP interactions endpoint, and the health and metrics endpoints.
// It is off while Listen is empty.
type HTTP struct {
	// Listen is the address to listen on, such as 127.0.0.1:8080. A port
	// alone (":8080" or "8080") listens on loopback only; name an interface,
	// such as 0.0.0.0:8080, to be reachable from elsewhere.
	Listen string `yaml:"listen"`
	// Metrics serves /metrics on the listener; /healthz and /readyz are
	// always served.
	Metrics bool `yaml:"metrics"`
}

// Addr returns the address to listen on, or "" when the listener is off:
// Listen, with 127.0.0.1 as the host when Listen names only a port.
func (h HTTP) Addr() string {
	if h.Listen == "" {
		return ""
	}
	host, port, err := net.SplitHostPort(h.Listen)
	if err != nil {
		host, port = "", h.Listen
	}
	if host == "" {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}

func (h *HTTP) check(c *Config, p *problems) {
	if h.Listen == "" {
		return
	}
	addr := h.Addr()
	_, port, err := net.SplitHostPort(addr)
	if n, perr := strconv.Atoi(port); err != nil || perr != nil || n < 0 || n > 65535 {
		p.add(c.line("http", "listen"), "http.listen: %q is not host:port with a port number; write for example 127.0.0.1:%d (this machine only) or 0.0.0.0:%d (every interface)", h.Listen, DefaultHTTPPort, DefaultHTTPPort)
	}
}
