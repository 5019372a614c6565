# shellcheck shell=bash
# A throwaway PostgreSQL cluster for the storage tests. Source, don't execute.
#
#   find_pg_bindir          prints the directory holding initdb and pg_ctl, or fails
#   start_test_postgres     initdb + start in a temp dir on a free 127.0.0.1 port, create
#                           the database, export CUREPATH_TEST_POSTGRES_URL
#   stop_test_postgres      stop the cluster and remove the temp dir (safe to call twice)
#
# initdb refuses to run as root, so as root the cluster belongs to a system user
# (CUREPATH_PG_OS_USER, default curepath-test, created with useradd when missing).
# Connections over TCP authenticate with SCRAM-SHA-256 as user "curepath", password
# "curepath"; the unix socket (inside the temp dir) trusts local users for set-up.

# shellcheck source=scripts/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

CUREPATH_PG_OS_USER=${CUREPATH_PG_OS_USER:-curepath-test}
CUREPATH_PG_ROLE=curepath
CUREPATH_PG_PASSWORD=curepath
CUREPATH_PG_DATABASE=curepath_test
_pg_dir=""
_pg_bindir=""
_pg_runas=""

find_pg_bindir() {
  local d candidates=()
  if command -v pg_config >/dev/null 2>&1; then
    candidates+=("$(pg_config --bindir 2>/dev/null || true)")
  fi
  # Debian keeps server binaries out of PATH, one folder per major version: newest first.
  while IFS= read -r d; do
    [[ -n $d ]] && candidates+=("$d")
  done < <(compgen -G '/usr/lib/postgresql/*/bin' | sort -V -r)
  if command -v initdb >/dev/null 2>&1; then
    candidates+=("$(dirname "$(readlink -f "$(command -v initdb)")")")
  fi
  for d in "${candidates[@]}"; do
    if [[ -n $d && -x $d/initdb && -x $d/pg_ctl && -x $d/postgres ]]; then
      echo "$d"
      return 0
    fi
  done
  return 1
}

# Runs a command as the cluster's owner.
_pg_as_owner() {
  if [[ -n $_pg_runas ]]; then
    if command -v runuser >/dev/null 2>&1; then
      runuser -u "$_pg_runas" -- "$@"
    else
      su -s /bin/sh "$_pg_runas" -c "$(printf '%q ' "$@")"
    fi
  else
    "$@"
  fi
}

_pg_ensure_os_user() {
  local user=$CUREPATH_PG_OS_USER
  if ! id -u "$user" >/dev/null 2>&1; then
    if ! useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$user" 2>/dev/null; then
      if id -u postgres >/dev/null 2>&1; then
        user=postgres
      else
        echo "postgres: cannot create system user $user (useradd failed) and no postgres user exists" >&2
        return 1
      fi
    fi
  fi
  _pg_runas=$user
}

start_test_postgres() {
  _pg_bindir=$(find_pg_bindir) || {
    echo "postgres: no server binaries (initdb, pg_ctl) found" >&2
    return 1
  }
  if [[ $(id -u) == 0 ]]; then
    _pg_ensure_os_user || return 1
    # Under /tmp, not $TMPDIR: the cluster's owner must be able to reach it.
    _pg_dir=$(mktemp -d /tmp/curepath-pg.XXXXXX) || return 1
    chown "$_pg_runas" "$_pg_dir" || return 1
  else
    _pg_runas=""
    _pg_dir=$(mktemp -d "${TMPDIR:-/tmp}/curepath-pg.XXXXXX") || return 1
  fi

  local port pwfile="$_pg_dir/pwfile"
  port=$(free_port) || return 1
  printf '%s\n' "$CUREPATH_PG_PASSWORD" >"$pwfile"
  [[ -n $_pg_runas ]] && chown "$_pg_runas" "$pwfile"

  if ! _pg_as_owner "$_pg_bindir/initdb" --pgdata="$_pg_dir/data" --username="$CUREPATH_PG_ROLE" \
    --pwfile="$pwfile" --auth-local=trust --auth-host=scram-sha-256 \
    --encoding=UTF8 --locale=C --no-sync >"$_pg_dir/initdb.log" 2>&1; then
    echo "postgres: initdb failed:" >&2
    cat "$_pg_dir/initdb.log" >&2
    return 1
  fi
  _pg_as_owner mkdir -p "$_pg_dir/socket"
  cat >>"$_pg_dir/data/postgresql.conf" <<EOF

# curepath throwaway test cluster
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$_pg_dir/socket'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
shared_buffers = 64MB
log_min_messages = warning
EOF

  if ! _pg_as_owner "$_pg_bindir/pg_ctl" --pgdata="$_pg_dir/data" --log="$_pg_dir/server.log" \
    --wait --timeout=60 start >/dev/null; then
    echo "postgres: server did not start:" >&2
    tail -n 30 "$_pg_dir/server.log" >&2 || true
    return 1
  fi

  if ! _pg_as_owner "$_pg_bindir/createdb" --host="$_pg_dir/socket" --port="$port" \
    --username="$CUREPATH_PG_ROLE" "$CUREPATH_PG_DATABASE"; then
    echo "postgres: createdb failed" >&2
    return 1
  fi

  export CUREPATH_TEST_POSTGRES_URL="postgres://$CUREPATH_PG_ROLE:$CUREPATH_PG_PASSWORD@127.0.0.1:$port/$CUREPATH_PG_DATABASE"
  echo "postgres: $("$_pg_bindir/postgres" --version) on 127.0.0.1:$port (data in $_pg_dir)"
}

stop_test_postgres() {
  if [[ -n $_pg_dir && -d $_pg_dir ]]; then
    if [[ -f $_pg_dir/data/postmaster.pid ]]; then
      if ! _pg_as_owner "$_pg_bindir/pg_ctl" --pgdata="$_pg_dir/data" --mode=immediate \
        --wait --timeout=30 stop >/dev/null 2>&1; then
        local pid
        pid=$(head -n 1 "$_pg_dir/data/postmaster.pid" 2>/dev/null || true)
        if [[ -n $pid ]]; then kill -9 "$pid" 2>/dev/null || true; fi
      fi
    fi
    rm -rf "$_pg_dir"
  fi
  _pg_dir=""
  unset CUREPATH_TEST_POSTGRES_URL
}
