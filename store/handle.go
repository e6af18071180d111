package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sync/atomic"
	"time"
)

// handle is one opening of the database: its pool of connections, and
// what was read from it when it was first reached. A handle does not
// change once reached; the Store swaps in a new one when the SQLite file
// at its path is no longer the one open (see reopen). Whatever uses the
// database takes the current handle once, and uses it throughout.
type handle struct {
	db *sql.DB
	// salt hashes user ids; nil until the database is first reached.
	salt []byte
	// file is the SQLite file as it was when first reached, or nil: for
	// PostgreSQL, and for an SQLite database that is no file.
	file os.FileInfo
	// pin, with a file, is a connection kept open on it: SQLite keeps
	// the -wal and -shm files (wal and shm, as they were when first
	// reached) while one is open, and pin checkpoints the -wal into the
	// file when it is left (see retire).
	pin      *sql.Conn
	wal, shm os.FileInfo
	// noticed is set once the file at the path was found not to be
	// file, so that it is logged and counted once; retired once its
	// connections are closed.
	noticed, retired atomic.Bool
}

// db returns the current pool of connections to the database.
func (s *Store) db() *sql.DB { return s.h.Load().db }

// movedError says that the SQLite file at the path is not the one the
// Store has open: it was deleted, or replaced by another file.
type movedError struct {
	path string
	// gone is set when no file is at the path.
	gone bool
}

func (e *movedError) Error() string {
	if e.gone {
		return fmt.Sprintf("the state database file %s was deleted while open", e.path)
	}
	return fmt.Sprintf("the state database file %s was replaced by another file while open", e.path)
}

// advice says what the Store does about it, what that means for the
// records, and what the operator may do.
func (e *movedError) advice() string {
	if e.gone {
		return e.Error() + "; making it anew, empty: the records made before are lost unless the file is restored from a backup (put the backup at that path; faqbot then opens it)"
	}
	return e.Error() + "; opening the file now at that path: the records made before are in the file that was replaced, not in this one"
}

// pinFile returns h with the SQLite file at the path, as it is now, and
// a connection pinned to it; h as it is when the database is no file:
// PostgreSQL, or an SQLite database in memory.
func (s *Store) pinFile(ctx context.Context, h *handle) (*handle, error) {
	if s.path == "" {
		return h, nil
	}
	file, err := os.Stat(s.path)
	if err != nil || !file.Mode().IsRegular() {
		return h, nil
	}
	pin, err := h.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	// A read opens the -wal, and the -shm, as long as pin is open.
	var v int
	if err := pin.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations`).Scan(&v); err != nil {
		pin.Close()
		return nil, err
	}
	h.file, h.pin = file, pin
	h.wal, _ = os.Stat(s.path + "-wal")
	h.shm, _ = os.Stat(s.path + "-shm")
	return h, nil
}

// fileMoved returns a *movedError when the SQLite file at the path is not
// the one h has open: deleted, or replaced by another file (a restore from
// a backup, say), and marks the database down, which wakes monitor to open
// the file at the path. The first time for h, it logs what happened and
// what to do, and counts it. It costs one stat of the path.
func (s *Store) fileMoved(h *handle) error {
	if h.file == nil {
		return nil
	}
	now, err := os.Stat(s.path)
	gone := errors.Is(err, fs.ErrNotExist)
	if !gone && (err != nil || os.SameFile(h.file, now)) {
		// A path that cannot be looked at tells nothing: the writes
		// say whether the database works.
		return nil
	}
	moved := &movedError{path: s.path, gone: gone}
	if h.noticed.CompareAndSwap(false, true) {
		s.reopens.Add(1)
		s.onError("reopen")
		s.log.Error(moved.advice(), "path", s.path)
	}
	s.markDown(moved)
	return moved
}

// reopen leaves the file open (see retire) and opens the SQLite file at
// the path as a first start does: creating its folder, the file and the
// schema if missing. Until it succeeds the Store is down, with the old
// handle current, and reopen is tried again.
func (s *Store) reopen(ctx context.Context) error {
	old := s.h.Load()
	if !old.retired.Load() {
		if err := s.retire(ctx, old); err != nil {
			return fmt.Errorf("leave the state database file that was at %s: %w", s.path, err)
		}
		old.retired.Store(true)
	}
	db, err := openSQLite(s.path)
	if err != nil {
		return err
	}
	h, err := s.init(ctx, db)
	if err != nil {
		db.Close()
		return fmt.Errorf("open the state database file %s anew: %w", s.path, err)
	}
	s.h.Store(h)
	s.log.Info("opened the state database file at its path", "path", s.path, "records_kept", len(s.queue)+int(s.holding.Load()))
	return nil
}

// retire closes the connections of h, whose file is no longer at the
// path, as SQLite would if the file had not moved: it writes the records
// in the -wal into the file (which keeps them if it was moved away, not
// deleted), and removes the -wal and -shm files it used, which must not
// be taken for those of the file now at the path. It waits for the
// connections in use to be released, until ctx is done.
func (s *Store) retire(ctx context.Context, h *handle) error {
	h.db.Close()
	if err := waitConns(ctx, h.db, 1); err != nil {
		return err
	}
	var busy, frames, copied int
	err := h.pin.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &frames, &copied)
	if err == nil && busy != 0 {
		err = fmt.Errorf("%d of %d pages copied: another process reads it", copied, frames)
	}
	if err != nil {
		s.log.Warn("could not write the records in the -wal file into the state database file that was at the path; they are lost", "path", s.path, "error", err)
	}
	h.pin.Close()
	if err := waitConns(ctx, h.db, 0); err != nil {
		return err
	}
	for _, f := range []struct {
		path string
		was  os.FileInfo
	}{{s.path + "-wal", h.wal}, {s.path + "-shm", h.shm}} {
		if now, err := os.Stat(f.path); err == nil && f.was != nil && os.SameFile(now, f.was) {
			if err := os.Remove(f.path); err != nil {
				return err
			}
		}
	}
	return nil
}

// waitConns waits until db, closed, has at most n connections open: those
// in use when it was closed close when they are released.
func waitConns(ctx context.Context, db *sql.DB, n int) error {
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		open := db.Stats().OpenConnections
		if open <= n {
			return nil
		}
		select {
		case <-tick.C:
		case <-ctx.Done():
			return fmt.Errorf("%d connections to it still in use: %w", open-n, ctx.Err())
		}
	}
}

// close closes the pool of connections and the pinned one.
func (h *handle) close() error {
	if h.pin != nil {
		h.pin.Close()
	}
	return h.db.Close()
}
