package config

import (
	"testing"
	"time"
)

func TestHTTPAddr(t *testing.T) {
	tests := []struct {
		listen, want string
	}{
		{"", ""},
		{"127.0.0.1:8080", "127.0.0.1:8080"},
		{":8080", "127.0.0.1:8080"},
		{"8080", "127.0.0.1:8080"},
		{"0.0.0.0:9090", "0.0.0.0:9090"},
		{"[::1]:8080", "[::1]:8080"},
		{"[::]:8080", "[::]:8080"},
	}
	for _, tt := range tests {
		t.Run(tt.listen, func(t *testing.T) {
			if got := (HTTP{Listen: tt.listen}).Addr(); got != tt.want {
				t.Errorf("Addr() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestLimitsAndHTTPFromFile(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want Limits
		http HTTP
	}{
		{
			name: "defaults",
			yaml: "knowledge: kb.yaml\n",
			want: DefaultLimits(),
			http: HTTP{Metrics: true},
		},
		{
			name: "all set",
			yaml: "knowledge: kb.yaml\nhttp:\n  listen: :9000\n  metrics: false\nlimits:\n  cooldown: 0s\n  duplicate_window: 1h\n  max_concurrent: 0\n  max_wait: 250ms\n  shutdown_grace: 25s\n  knowledge_mb: 300\n",
			want: Limits{DuplicateWindow: time.Hour, MaxWait: 250 * time.Millisecond, ShutdownGrace: 25 * time.Second, KnowledgeMB: 300},
			http: HTTP{Listen: ":9000"},
		},
		{
			name: "one key keeps the other defaults",
			yaml: "knowledge: kb.yaml\nlimits:\n  cooldown: 5s\n",
			want: Limits{Cooldown: 5 * time.Second, DuplicateWindow: 10 * time.Minute, MaxConcurrent: 64, MaxWait: 5 * time.Second, ShutdownGrace: 8 * time.Second, KnowledgeMB: 128},
			http: HTTP{Metrics: true},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse("c.yaml", []byte(tt.yaml))
			if err != nil {
				t.Fatal(err)
			}
			if c.Limits != tt.want {
				t.Errorf("limits = %+v, want %+v", c.Limits, tt.want)
			}
			if c.HTTP != tt.http {
				t.Errorf("http = %+v, want %+v", c.HTTP, tt.http)
			}
		})
	}
}
