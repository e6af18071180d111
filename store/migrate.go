package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// migrations returns the schema changes in order: element i brings the
// schema from version i to version i+1. Once released a migration never
// changes; a new schema is a new element. The SQL is common to SQLite and
// PostgreSQL. Times are milliseconds since the Unix epoch (UTC); user ids
// are salted hashes, never the ids themselves.
func migrations() [][]string {
	return [][]string{
		{
			`CREATE TABLE meta (
				name  TEXT PRIMARY KEY,
				value TEXT NOT NULL
			)`,
			`CREATE TABLE questions (
				at         BIGINT NOT NULL,
				platform   TEXT NOT NULL,
				channel    TEXT NOT NULL,
				user_hash  TEXT NOT NULL,
				text       TEXT NOT NULL,
				origin     TEXT NOT NULL,
				outcome    TEXT NOT NULL,
				entry_id   TEXT NOT NULL,
				best_id    TEXT NOT NULL,
				confidence DOUBLE PRECISION NOT NULL
			)`,
			`CREATE INDEX questions_at ON questions (at)`,
			`CREATE TABLE votes (
				at        BIGINT NOT NULL,
				platform  TEXT NOT NULL,
				channel   TEXT NOT NULL,
				user_hash TEXT NOT NULL,
				entry_id  TEXT NOT NULL,
				up        INTEGER NOT NULL
			)`,
			`CREATE INDEX votes_at ON votes (at)`,
			`CREATE TABLE reloads (
				at             BIGINT NOT NULL,
				by_whom        TEXT NOT NULL,
				ok             INTEGER NOT NULL,
				error          TEXT NOT NULL,
				entries_before INTEGER NOT NULL,
				entries_after  INTEGER NOT NULL,
				added          TEXT NOT NULL,
				removed        TEXT NOT NULL,
				changed        TEXT NOT NULL
			)`,
			`CREATE INDEX reloads_at ON reloads (at)`,
			`CREATE TABLE edits (
				at       BIGINT NOT NULL,
				by_whom  TEXT NOT NULL,
				entry_id TEXT NOT NULL,
				phrasing TEXT NOT NULL,
				file     TEXT NOT NULL
			)`,
			`CREATE INDEX edits_at ON edits (at)`,
		},
		{
			// Events claimed by one replica, so that a platform's
			// redelivery to another replica is not answered twice.
			`CREATE TABLE claims (
				key TEXT PRIMARY KEY,
				at  BIGINT NOT NULL
			)`,
			`CREATE INDEX claims_at ON claims (at)`,
		},
		{
			// The knowledge base each record belongs to; "" is the
			// default base, which every earlier record belongs to.
			`ALTER TABLE questions ADD COLUMN base TEXT NOT NULL DEFAULT ''`,
			`ALTER TABLE votes ADD COLUMN base TEXT NOT NULL DEFAULT ''`,
			`ALTER TABLE reloads ADD COLUMN base TEXT NOT NULL DEFAULT ''`,
			`ALTER TABLE edits ADD COLUMN base TEXT NOT NULL DEFAULT ''`,
		},
		{
			// What a 👎 was about: the question answered (found among
			// the questions when the vote is written) and the voter's
			// reason, if they gave one.
			`ALTER TABLE votes ADD COLUMN question TEXT NOT NULL DEFAULT ''`,
			`ALTER TABLE votes ADD COLUMN reason TEXT NOT NULL DEFAULT ''`,
		},
	}
}

// migrate brings the schema up to date in one transaction, under the
// dialect's lock so that processes starting at once take turns. It refuses
// a database whose schema is newer than this program knows.
func migrate(ctx context.Context, db *sql.DB, d dialect) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer tx.Rollback()
	if err := d.lock(ctx, tx); err != nil {
		return fmt.Errorf("migrate: take the migration lock: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		applied_at BIGINT NOT NULL
	)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	var version int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&version); err != nil {
		return fmt.Errorf("migrate: read the schema version: %w", err)
	}
	all := migrations()
	if version > len(all) {
		return fmt.Errorf("the database has schema version %d but this faqbot knows only up to %d: it was written by a newer faqbot; upgrade faqbot or point it at another database", version, len(all))
	}
	for v := version; v < len(all); v++ {
		for _, stmt := range all[v] {
			if _, err := tx.ExecContext(ctx, stmt); err != nil {
				return fmt.Errorf("migrate to schema version %d: %w", v+1, err)
			}
		}
		if _, err := tx.ExecContext(ctx, d.rebind(`INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`), v+1, time.Now().UnixMilli()); err != nil {
			return fmt.Errorf("migrate to schema version %d: %w", v+1, err)
		}
	}
	return tx.Commit()
}

// SchemaVersion returns the version of the database's schema.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	return v, err
}
