# shellcheck shell=bash
# Small helpers shared by the scripts in scripts/. Source, don't execute.

# Prints a free TCP port on 127.0.0.1 (asks the kernel for one).
free_port() {
  if command -v python3 >/dev/null 2>&1; then
    python3 - <<'PY'
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
PY
    return
  fi
  # Fallback: probe random high ports until nothing answers on one.
  local port tries=0
  while ((tries < 200)); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
    tries=$((tries + 1))
  done
  echo "free_port: no free port found" >&2
  return 1
}

# http_status URL: prints the HTTP status code of a GET (000 if unreachable).
http_status() {
  local url=$1
  if command -v curl >/dev/null 2>&1; then
    local code
    code=$(curl -s -o /dev/null -m 5 -w '%{http_code}' "$url" 2>/dev/null) || true
    echo "${code:-000}"
  else
    python3 - "$url" <<'PY'
import sys, urllib.request, urllib.error
try:
    with urllib.request.urlopen(sys.argv[1], timeout=5) as r:
        print(r.status)
except urllib.error.HTTPError as e:
    print(e.code)
except Exception:
    print("000")
PY
  fi
}

# wait_for_http URL TIMEOUT_SECONDS [PID]: waits until GET URL answers 200.
# Gives up early when PID (the server) has exited.
wait_for_http() {
  local url=$1 timeout=$2 pid=${3:-} start=$SECONDS status
  while ((SECONDS - start < timeout)); do
    status=$(http_status "$url")
    [[ $status == 200 ]] && return 0
    if [[ -n $pid ]] && ! kill -0 "$pid" 2>/dev/null; then
      echo "wait_for_http: process $pid exited before $url answered" >&2
      return 1
    fi
    sleep 0.5
  done
  echo "wait_for_http: $url did not answer 200 within ${timeout}s (last status $status)" >&2
  return 1
}

# find_chromium: prints the path of a Chromium binary, or fails.
find_chromium() {
  local c
  for c in chromium chromium-browser; do
    if command -v "$c" >/dev/null 2>&1; then
      command -v "$c"
      return 0
    fi
  done
  return 1
}

# start_curepath BINARY DATABASE LOG PIDFILE: starts `BINARY serve` on a free 127.0.0.1 port
# with DATABASE (a new file: the demo network loads into it), output to LOG and the PID in
# PIDFILE (so a trap can stop it), and waits up to 60 s for /health. Sets CUREPATH_SERVER_URL
# (http://127.0.0.1:PORT) and CUREPATH_SERVER_PID. On failure prints the log's tail.
start_curepath() {
  local binary=$1 database=$2 log=$3 pidfile=$4 port
  port=$(free_port) || return 1
  echo "starting $binary serve --port $port --database $database"
  "$binary" serve --port "$port" --database "$database" >"$log" 2>&1 &
  CUREPATH_SERVER_PID=$!
  CUREPATH_SERVER_URL="http://127.0.0.1:$port"
  echo "$CUREPATH_SERVER_PID" >"$pidfile"
  if ! wait_for_http "$CUREPATH_SERVER_URL/health" 60 "$CUREPATH_SERVER_PID"; then
    echo "server log (last 40 lines):"
    tail -n 40 "$log" || true
    stop_curepath "$pidfile"
    return 1
  fi
  echo "server up at $CUREPATH_SERVER_URL (pid $CUREPATH_SERVER_PID)"
}

# stop_curepath PIDFILE: stops the server whose PID is in PIDFILE (TERM, then KILL after 2 s)
# and removes the file. Safe to call when it has already stopped.
stop_curepath() {
  local pidfile=$1 pid
  [[ -f $pidfile ]] || return 0
  pid=$(cat "$pidfile")
  kill "$pid" 2>/dev/null || true
  for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -f "$pidfile"
}

# has_schemathesis: python3 can import Schemathesis 4 or later (the fuzz step's CLI and hooks
# are written for 4; 3.x had other flags).
has_schemathesis() {
  python3 -c 'import schemathesis, sys; sys.exit(int(schemathesis.SCHEMATHESIS_VERSION.split(".")[0]) < 4)' >/dev/null 2>&1
}
