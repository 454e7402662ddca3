#!/usr/bin/env bash
# Runs the npm Open311 client's acceptance test (open311.test.js) against a
# real `huying serve`:
#
#   (cd open311/client && npm ci --no-audit --no-fund)
#   HUYING_BIN=bin/huying open311/client/run.sh
#
# It builds nothing. It starts $HUYING_BIN with the 坪山区 demo data in a
# temporary data directory on a free loopback port, waits for /readyz, runs
# `node --test` here with HUYING_URL and HUYING_TOKEN (the demo channel's API
# token, which the seed writes to <data>/demo-token.txt), and stops the
# server by its PID on exit, whatever happens.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
bin="${HUYING_BIN:?set HUYING_BIN to the huying binary (make build-go writes bin/huying)}"
case "$bin" in /*) ;; *) bin="$PWD/$bin" ;; esac
[ -x "$bin" ] || { echo "run.sh: $bin is not an executable" >&2; exit 2; }
[ -d "$here/node_modules/open311" ] || { echo "run.sh: run 'npm ci' in $here first" >&2; exit 2; }

data="$(mktemp -d "${TMPDIR:-/tmp}/huying-open311.XXXXXX")"
pid=""
cleanup() {
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill -TERM "$pid" 2>/dev/null || true
		for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	fi
	rm -rf "$data"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A free port: the kernel picks one, node reports it and lets it go.
port="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
url="http://127.0.0.1:$port"

"$bin" serve --demo --data "$data" --addr "127.0.0.1:$port" --log-level warn >"$data/serve.log" 2>&1 &
pid=$!

# GET /readyz over bash's /dev/tcp, so that no curl is needed.
ready() {
	exec 3<>"/dev/tcp/127.0.0.1/$port" || return 1
	printf 'GET /readyz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
	local line=""
	IFS= read -r -t 5 line <&3 || true
	exec 3<&- 3>&-
	[[ "$line" == *" 200 "* ]]
}
for i in $(seq 1 600); do
	if ! kill -0 "$pid" 2>/dev/null; then
		echo "run.sh: huying serve exited before it was ready:" >&2
		cat "$data/serve.log" >&2
		exit 1
	fi
	if ready 2>/dev/null; then break; fi
	if [ "$i" = 600 ]; then
		echo "run.sh: huying serve was not ready after 120 s:" >&2
		tail -n 50 "$data/serve.log" >&2
		exit 1
	fi
	sleep 0.2
done

token="$(tr -d '[:space:]' <"$data/demo-token.txt")"
echo "run.sh: huying serve (pid $pid) ready at $url"
status=0
(cd "$here" && HUYING_URL="$url" HUYING_TOKEN="$token" node --test) || status=$?
if [ "$status" != 0 ]; then
	echo "run.sh: the client test failed; the server's log:" >&2
	tail -n 50 "$data/serve.log" >&2
fi
exit "$status"
