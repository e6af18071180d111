#!/usr/bin/env bash
# Installs PostgreSQL from the Debian packages and starts a throwaway cluster
# on 127.0.0.1 for the store tests. Idempotent: a second run reuses what the
# first made. Run as root (CI); prints the DSN as its last line, and, when
# sourced, exports it as FAQBOT_TEST_POSTGRES:
#
#	. .ci/postgres.sh     # or: export FAQBOT_TEST_POSTGRES=$(.ci/postgres.sh | tail -n1)
#
# Settings (environment): FAQBOT_PG_PORT (default 55432), FAQBOT_PG_DIR
# (default /tmp/faqbot-pg).
set -euo pipefail

pg_port=${FAQBOT_PG_PORT:-55432}
pg_dir=${FAQBOT_PG_DIR:-/tmp/faqbot-pg}
pg_password=faqbot-test

if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
	echo "== installing postgresql" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >&2
	# Only the server binaries: no cluster is created by the package, and no
	# service is started.
	mkdir -p /etc/postgresql-common/createcluster.d
	echo "create_main_cluster = false" >/etc/postgresql-common/createcluster.d/faqbot-ci.conf
	apt-get install -y -qq --no-install-recommends postgresql >&2
fi
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)

as_postgres() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

if [ ! -f "$pg_dir/PG_VERSION" ]; then
	echo "== creating a cluster in $pg_dir" >&2
	mkdir -p "$pg_dir"
	[ "$(id -u)" = 0 ] && chown postgres:postgres "$pg_dir"
	pwfile=$(mktemp)
	echo "$pg_password" >"$pwfile"
	chmod 644 "$pwfile"
	as_postgres "$pg_bin/initdb" -D "$pg_dir" -U postgres --pwfile="$pwfile" \
		--auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >&2
	rm -f "$pwfile"
fi

if ! as_postgres "$pg_bin/pg_ctl" -D "$pg_dir" status >/dev/null 2>&1; then
	echo "== starting postgresql on 127.0.0.1:$pg_port" >&2
	as_postgres "$pg_bin/pg_ctl" -D "$pg_dir" -l "$pg_dir/server.log" -w -t 60 \
		-o "-c listen_addresses=127.0.0.1 -c port=$pg_port -c unix_socket_directories=$pg_dir -c fsync=off" start >&2
fi

dsn="postgres://postgres:$pg_password@127.0.0.1:$pg_port/postgres?sslmode=disable"
export FAQBOT_TEST_POSTGRES=$dsn
echo "$dsn"
