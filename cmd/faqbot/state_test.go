package main

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/faqbot/faqbot/config"
	"github.com/faqbot/faqbot/store"
)

// TestSharedClaims: only a PostgreSQL state database, which replicas
// share, is given to the platforms as the record of handled events.
func TestSharedClaims(t *testing.T) {
	st, err := store.Open(context.Background(), store.Options{Path: filepath.Join(t.TempDir(), "faqbot.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	tests := []struct {
		driver string
		st     *store.Store
		shared bool
	}{
		{"none", nil, false},
		{store.SQLite, st, false},
		{store.Postgres, nil, false}, // the database could not be opened
		{store.Postgres, st, true},
	}
	for _, tt := range tests {
		cfg := &config.Config{Store: config.Store{Driver: tt.driver}}
		if got := sharedClaims(cfg, tt.st); (got != nil) != tt.shared {
			t.Errorf("driver %s, store open %v: shared = %v, want %v", tt.driver, tt.st != nil, got != nil, tt.shared)
		}
	}
}
