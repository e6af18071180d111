package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"modernc.org/sqlite"
)

// dialect is what differs between the databases. The schema and the
// queries are otherwise the same, written with ? placeholders.
type dialect interface {
	// rebind rewrites the ? placeholders of query for the database.
	rebind(query string) string
	// lock takes the lock that serialises schema migrations, for the rest
	// of tx.
	lock(ctx context.Context, tx *sql.Tx) error
}

// sqliteDialect is SQLite: ? placeholders; a migration's transaction starts
// with BEGIN IMMEDIATE (see openSQLite), which is its lock.
type sqliteDialect struct{}

func (sqliteDialect) rebind(query string) string          { return query }
func (sqliteDialect) lock(context.Context, *sql.Tx) error { return nil }

// postgresDialect is PostgreSQL: $1, $2… placeholders and an advisory lock.
type postgresDialect struct{}

func (postgresDialect) lock(ctx context.Context, tx *sql.Tx) error {
	// Replicas starting at once migrate one after the other.
	_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(7246631061)`)
	return err
}

func (postgresDialect) rebind(query string) string {
	var sb strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			sb.WriteByte('$')
			sb.WriteString(strconv.Itoa(n))
			continue
		}
		sb.WriteRune(r)
	}
	return sb.String()
}

// sqlitePragmas are set on every SQLite connection: write-ahead logging, so
// that readers never wait for the writer; a wait of up to five seconds for
// a lock instead of failing at once; and immediate write transactions, so
// that two processes migrating at once take turns.
const sqlitePragmas = "_pragma=journal_mode(WAL)&_pragma=busy_timeout(5000)&_pragma=synchronous(NORMAL)&_txlock=immediate"

// openSQLite opens the SQLite database at path, creating its folder.
func openSQLite(path string) (*sql.DB, error) {
	if path == "" {
		return nil, fmt.Errorf("store: no path for the SQLite database: set store.path in the config")
	}
	if strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("store: the SQLite path %q contains ? or #: choose a path without them", path)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("store: create the folder of the state database: %w", err)
	}
	db := sql.OpenDB(connector{dsn: path + "?" + sqlitePragmas, driver: &sqlite.Driver{}})
	return db, nil
}

// connector opens connections with one driver and DSN, so that no driver
// needs registering by name.
type connector struct {
	dsn    string
	driver driver.Driver
}

func (c connector) Connect(context.Context) (driver.Conn, error) { return c.driver.Open(c.dsn) }
func (c connector) Driver() driver.Driver                        { return c.driver }

// openPostgres opens a pool of connections to the PostgreSQL database dsn
// names.
func openPostgres(dsn string) (*sql.DB, error) {
	if dsn == "" {
		return nil, fmt.Errorf("store: no connection string for PostgreSQL: set store.dsn (as ${ENV_VAR}) or store.dsn_file in the config")
	}
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		// pgx hides the password in its parse errors.
		return nil, fmt.Errorf("store: the PostgreSQL connection string is not valid: %w", err)
	}
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(8)
	db.SetConnMaxIdleTime(5 * time.Minute)
	return db, nil
}
