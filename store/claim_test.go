package store

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestClaim(t *testing.T) {
	forEach(t, func(t *testing.T, opts Options) {
		s := open(t, opts)
		ctx := context.Background()
		now := time.Now()
		steps := []struct {
			key  string
			at   time.Time
			want bool
		}{
			{"slack:event:Ev1", now, true},
			{"slack:event:Ev1", now.Add(time.Second), false},
			{"slack:event:Ev2", now, true},
			{"discord:message:1", now, true},
			{"slack:event:Ev1", now.Add(ClaimTTL - time.Second), false},
			{"slack:event:Ev1", now.Add(ClaimTTL + time.Second), true}, // expired: claimed afresh
			{"slack:event:Ev1", now.Add(ClaimTTL + 2*time.Second), false},
		}
		for i, st := range steps {
			got, err := s.Claim(ctx, st.key, st.at)
			if err != nil || got != st.want {
				t.Fatalf("step %d: Claim(%q) = %v, %v; want %v", i, st.key, got, err, st.want)
			}
		}
		if _, err := s.Claim(ctx, strings.Repeat("k", maxClaimKey+1), now); err == nil {
			t.Error("Claim took an over-long key")
		}
	})
}

// TestClaimAcrossProcesses claims the same keys from two stores on one
// database at once, as two replicas would: each key is won exactly once.
func TestClaimAcrossProcesses(t *testing.T) {
	forEach(t, func(t *testing.T, opts Options) {
		a, b := open(t, opts), open(t, opts)
		const keys = 50
		var won [keys]atomic.Int32
		var wg sync.WaitGroup
		for _, s := range []*Store{a, b, a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for k := range keys {
					first, err := s.Claim(context.Background(), "event:"+string(rune('A'+k)), time.Now())
					if err != nil {
						t.Error(err)
						return
					}
					if first {
						won[k].Add(1)
					}
				}
			}()
		}
		wg.Wait()
		for k := range keys {
			if n := won[k].Load(); n != 1 {
				t.Errorf("key %d won %d times; want once", k, n)
			}
		}
	})
}

func TestClaimSweepsExpired(t *testing.T) {
	forEach(t, func(t *testing.T, opts Options) {
		s := open(t, opts)
		ctx := context.Background()
		now := time.Now()
		for _, k := range []string{"old1", "old2"} {
			if _, err := s.Claim(ctx, k, now.Add(-2*ClaimTTL)); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.Claim(ctx, "new", now); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := s.db.QueryRow(`SELECT COUNT(*) FROM claims`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Errorf("%d claims left; want the one live claim", n)
		}
	})
}
