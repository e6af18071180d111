#!/bin/sh
# rss.sh BINARY KNOWLEDGE: the resident memory of "faqbot chat" serving the
# knowledge file KNOWLEDGE, as the kernel counts it (/proc/PID/status):
# its peak while it loads, idle after the load and three questions, at the
# peak of a /faq reload of the same file and after it, and at the peak of
# a /faq reload of the file with a comment added and after it. Linux only.
# See docs/benchmarks.md.
set -eu
bin=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
kb=$dir/$(basename "$2")
cp "$2" "$kb"
printf 'knowledge: %s\nstore:\n  driver: sqlite\n  path: %s/state.db\n' "$kb" "$dir" >"$dir/config.yaml"
mkfifo "$dir/in"
"$bin" chat --config "$dir/config.yaml" <"$dir/in" >"$dir/out" 2>"$dir/err" &
pid=$!
exec 3>"$dir/in"
# From a pipe, faqbot chat ends each reply with an empty line.
replies() { grep -c '^$' "$dir/out" || true; }
await() { while [ "$(replies)" -lt "$1" ]; do sleep 0.1; done; }
mb() { awk -v k="$1:" '$1 == k { printf "%.0f", $2 / 1024 }' "/proc/$pid/status"; }
echo "how do I activate my card" >&3
await 1
echo "loaded: peak $(mb VmHWM) MB"
echo "where is my refund" >&3
echo "can I open an account for my child" >&3
await 3
sleep 2
echo "idle: $(mb VmRSS) MB"
reload() { # reload NAME REPLIES
	echo 5 >"/proc/$pid/clear_refs" # the peak starts again from now
	echo "/faq reload" >&3
	await "$2"
	echo "reload $1: peak $(mb VmHWM) MB"
	sleep 2
	echo "after the reload: $(mb VmRSS) MB"
}
reload unchanged 4
{ echo "# A comment."; cat "$2"; } >"$kb"
reload "with a comment" 5
exec 3>&-
wait "$pid"
