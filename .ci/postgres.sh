#!/usr/bin/env bash
# Installs PostgreSQL from the Debian packages and runs a throwaway cluster
# on 127.0.0.1 for the store tests. Run as root (CI).
#
#	.ci/postgres.sh [start]   # start (or reuse) the cluster; the DSN is the last line
#	.ci/postgres.sh status    # exit 0 when the cluster is running
#	.ci/postgres.sh stop      # stop the cluster, if it runs
#
# When sourced, start also exports the DSN as FAQBOT_TEST_POSTGRES:
#
#	. .ci/postgres.sh     # or: export FAQBOT_TEST_POSTGRES=$(.ci/postgres.sh | tail -n1)
#
# A cluster already running in the folder is reused, on its own port.
# Otherwise the cluster listens on FAQBOT_PG_PORT, or, when that is not
# set, on a port from 55432 to 56431 that nothing listens on. Settings
# (environment): FAQBOT_PG_PORT, FAQBOT_PG_DIR (default /tmp/faqbot-pg).
set -euo pipefail

pg_dir=${FAQBOT_PG_DIR:-/tmp/faqbot-pg}
pg_password=faqbot-test
action=${1:-start}

as_postgres() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)

running() {
	[ -n "$pg_bin" ] && [ -f "$pg_dir/PG_VERSION" ] && as_postgres "$pg_bin/pg_ctl" -D "$pg_dir" status >/dev/null 2>&1
}

case $action in
status)
	running
	exit
	;;
stop)
	if running; then
		echo "== stopping postgresql in $pg_dir" >&2
		as_postgres "$pg_bin/pg_ctl" -D "$pg_dir" -m fast -w stop >&2
	fi
	exit 0
	;;
start) ;;
*)
	echo "usage: $0 [start|status|stop]" >&2
	exit 2
	;;
esac

if [ -z "$pg_bin" ]; then
	echo "== installing postgresql" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >&2
	# Only the server binaries: no cluster is created by the package, and no
	# service is started.
	mkdir -p /etc/postgresql-common/createcluster.d
	echo "create_main_cluster = false" >/etc/postgresql-common/createcluster.d/faqbot-ci.conf
	apt-get install -y -qq --no-install-recommends postgresql >&2
	pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
fi

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

# listening reports whether something accepts connections on 127.0.0.1:$1.
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# start_on starts the cluster on port $1.
start_on() {
	echo "== starting postgresql on 127.0.0.1:$1" >&2
	as_postgres "$pg_bin/pg_ctl" -D "$pg_dir" -l "$pg_dir/server.log" -w -t 60 \
		-o "-c listen_addresses=127.0.0.1 -c port=$1 -c unix_socket_directories=$pg_dir -c fsync=off" start >&2
}

if running; then
	# The fourth line of postmaster.pid is the port the cluster listens on.
	pg_port=$(sed -n 4p "$pg_dir/postmaster.pid")
elif [ -n "${FAQBOT_PG_PORT:-}" ]; then
	pg_port=$FAQBOT_PG_PORT
	start_on "$pg_port"
else
	# Start from a random port, so that runs at once rarely pick the same;
	# another process may still take it first: then try further on.
	pg_port=""
	first=$((55432 + RANDOM % 1000))
	for i in $(seq 0 999); do
		p=$((55432 + (first - 55432 + i) % 1000))
		listening "$p" && continue
		if start_on "$p"; then
			pg_port=$p
			break
		fi
		running && { pg_port=$p; break; }
	done
	if [ -z "$pg_port" ]; then
		echo "no free port from 55432 to 56431 for postgresql; set FAQBOT_PG_PORT" >&2
		exit 1
	fi
fi

dsn="postgres://postgres:$pg_password@127.0.0.1:$pg_port/postgres?sslmode=disable"
export FAQBOT_TEST_POSTGRES=$dsn
echo "$dsn"
