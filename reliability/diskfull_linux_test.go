package reliability

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/faqbot/faqbot/store"
)

// TestDiskFull fills the state database's disk while questions arrive: a
// file-size limit on the process makes every write past the first
// kilobyte of any file fail, as a full disk does (EFBIG in place of
// ENOSPC). Every question is answered, the store reports the database
// unavailable and keeps the records in memory, and once the disk has room
// again it writes every one of them.
//
// The limit is the whole process's, so this test does not run in parallel
// with others.
func TestDiskFull(t *testing.T) {
	path := filepath.Join(t.TempDir(), "faqbot.db")
	st, err := store.Open(context.Background(), store.Options{Driver: store.SQLite, Path: path})
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
	waitHealth(t, st, "the database reported unavailable with the disk full", func(h store.Health) bool { return !h.Up })
	kept := st.Health().Waiting
	restore()

	keys = append(keys, rig.ask(t, "C0AFTER", "U0AFTER", "What is the wifi password?"))
	rig.tap.waitReplies(t, base+n+1)
	waitHealth(t, st, "every record kept written once the disk had room", func(h store.Health) bool { return h.Up && h.Waiting == 0 })
	if err := rig.run.stop(); err != nil {
		t.Fatal(err)
	}
	exactlyOnce(t, "slack", keys, slackReplies(rig.fake))
	if err := st.Close(); err != nil {
		t.Logf("closing the store after the disk was full: %v", err)
	}
	// Every question is recorded: those asked while the disk was full,
	// kept in memory, and the one asked after.
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var count int
	if err := db.QueryRow("SELECT count(*) FROM questions WHERE channel <> 'C0WARMUP'").Scan(&count); err != nil {
		t.Fatalf("the database is not readable after the disk was full: %v", err)
	}
	if count != n+1 {
		t.Errorf("%d questions recorded, want all %d", count, n+1)
	}
	t.Logf("%d records kept in memory while the disk was full; %d of %d questions recorded", kept, count, n+1)
}
