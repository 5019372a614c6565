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
