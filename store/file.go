package store

import (
	"fmt"
	"os"
	"time"
)

// DefaultFileCheckEvery is how often a Store checks that its SQLite file
// is still the one at its path (see Options.FileCheckEvery).
const DefaultFileCheckEvery = 10 * time.Second

// pinFile notes which file the SQLite database at the Store's path is,
// once the schema is made in it, for watchFile to compare. It does
// nothing for PostgreSQL.
func (s *Store) pinFile() {
	if s.path == "" {
		return
	}
	if st, err := os.Stat(s.path); err == nil {
		s.opened.Store(&st)
	}
}

// watchFile checks every `every` until the Store closes that the file at
// its path is the SQLite file it opened, and tells once when it is not:
// deleted, or another put in its place (a backup restored). SQLite goes
// on writing to the file it has open, whose records are then lost when
// faqbot stops, so the Store says so in its Health and in the log, and
// what to do: stop faqbot before deleting or restoring the file, and
// restart it to open the file at the path.
func (s *Store) watchFile(every time.Duration) {
	defer close(s.watched)
	if s.path == "" {
		return
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
		case <-s.closing:
			return
		}
		opened := s.opened.Load()
		if opened == nil {
			continue
		}
		st, err := os.Stat(s.path)
		if err == nil && os.SameFile(*opened, st) {
			continue
		}
		what := "replaced by another file"
		if os.IsNotExist(err) {
			what = "deleted"
		} else if err != nil {
			continue // unreadable for now: nothing known
		}
		problem := fmt.Sprintf("the SQLite file %s was %s while faqbot had it open: what faqbot records now goes to the file it opened and is lost when it stops; restart faqbot to open the file at the path (and stop it before deleting or restoring the file)", s.path, what)
		s.problem.Store(&problem)
		s.onError("file")
		s.log.Error("the state database file is no longer the one faqbot opened", "path", s.path, "what", what, "problem", problem)
		return
	}
}
