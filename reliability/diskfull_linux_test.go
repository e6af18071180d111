package reliability

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/faqbot/faqbot/store"
)

// TestDiskFull fills the state database's disk while questions arrive: a
// file-size limit on the process makes every write past the first
// kilobyte of any file fail, as a full disk does (EFBIG in place of
// ENOSPC). Every question is answered, the failed writes are counted, and
// once the disk has room again the database takes records again.
//
// The limit is the whole process's, so this test does not run in parallel
// with others.
func TestDiskFull(t *testing.T) {
	var failures atomic.Int64
	failed := make(chan struct{}, 1)
	path := filepath.Join(t.TempDir(), "faqbot.db")
	st, err := store.Open(context.Background(), store.Options{Driver: store.SQLite, Path: path, OnError: func(string) {
		failures.Add(1)
		select {
		case failed <- struct{}{}:
		default:
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	b := newBot(t, botSetup{store: st, limits: loadLimits()})
	rig := startSlack(t, b, slackSetup{})

	var old syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &old); err != nil {
		t.Skip("no file-size limit here:", err)
	}
	full := syscall.Rlimit{Cur: 1024, Max: old.Max}
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &full); err != nil {
		t.Skip("cannot set a file-size limit:", err)
	}
	restored := false
	restore := func() {
		if !restored {
			restored = true
			if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &old); err != nil {
				t.Fatal(err)
			}
		}
	}
	defer restore()

	const n = 100
	base := rig.tap.replyCount()
	var keys []string
	for i := range n {
		keys = append(keys, rig.ask(t, fmt.Sprintf("C%04d", i%10), fmt.Sprintf("U%04d", i), loadTexts[i%len(loadTexts)]))
	}
	rig.tap.waitReplies(t, base+n)
	select {
	case <-failed:
	case <-time.After(hung):
		t.Fatalf("no failed write was counted in %v with the disk full", hung)
	}
	restore()
	before := failures.Load()

	keys = append(keys, rig.ask(t, "C0AFTER", "U0AFTER", "What is the wifi password?"))
	rig.tap.waitReplies(t, base+n+1)
	if err := rig.run.stop(); err != nil {
		t.Fatal(err)
	}
	exactlyOnce(t, "slack", keys, slackReplies(rig.fake))
	if err := st.Close(); err != nil {
		t.Logf("closing the store after the disk was full: %v", err)
	}
	t.Logf("%d writes failed while the disk was full", before)
	// The question asked after the disk had room again is recorded.
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var count int
	if err := db.QueryRow("SELECT count(*) FROM questions WHERE channel = ?", "C0AFTER").Scan(&count); err != nil {
		t.Fatalf("the database is not readable after the disk was full: %v", err)
	}
	if count != 1 {
		t.Errorf("%d records of the question asked after the disk had room again, want 1", count)
	}
}
