# shellcheck shell=bash
#
# Project-local PostgreSQL and Redis for development and tests.
#
# SOURCE this file (bash), then call:
#
#   local_services_up            start (or reuse) Postgres + Redis, export DATABASE_URL / REDIS_URL
#   local_services_down [pg|redis]...   stop the project-local servers (both when no argument)
#
# After local_services_up, PETITIONS_STARTED_PG / PETITIONS_STARTED_REDIS are 1 when THAT call
# started the server (0 when it reused one or used an external URL), so a caller can stop only
# what it started.
#
# - An external DATABASE_URL / REDIS_URL in the environment is respected: nothing is started.
# - Nothing here touches a system-wide Postgres (5432) or Redis (6379) that may also be running.
# - Data lives in $REPO_ROOT/.data (gitignored). Postgres refuses to run as root, so as root the
#   cluster runs as the `postgres` system user; if that user cannot traverse into .data (a parent
#   directory is not world-executable), the cluster lives in /var/tmp/petitions-<hash>/ instead.
#
# Environment knobs: PETITIONS_PG_PORT (default 55432), PETITIONS_REDIS_PORT (default 56379),
# PETITIONS_SERVICES_TIMEOUT (seconds to wait for readiness, default 60).
#
# The functions never call `exit` and do not change the caller's shell options; they return
# non-zero with a message on stderr. Call them as `local_services_up || exit 1` from scripts.

_ps_script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if _ps_top="$(git -C "$_ps_script_dir" rev-parse --show-toplevel 2>/dev/null)" \
  && [[ -f "$_ps_top/infra/local/services.sh" ]]; then
  PETITIONS_REPO_ROOT="$_ps_top"
else
  PETITIONS_REPO_ROOT="$(cd "$_ps_script_dir/../.." && pwd)"
fi
unset _ps_top
PETITIONS_DATA_DIR="$PETITIONS_REPO_ROOT/.data"

PETITIONS_STARTED_PG=0
PETITIONS_STARTED_REDIS=0

_PS_PG_DEFAULT_PORT=55432
_PS_REDIS_DEFAULT_PORT=56379
_PS_PG_MIN_MAJOR=15
_PS_REDIS_MIN_MAJOR=7

# ---------------------------------------------------------------------------------------------
# small helpers

_ps_log() { printf '%s\n' "$*" >&2; }
_ps_err() { printf 'services: ERROR: %s\n' "$*" >&2; }

_ps_is_root() { [[ "$(id -u)" == 0 ]]; }

# Path shown in status lines: relative to the repo root when inside it.
_ps_show_path() {
  local p="$1"
  if [[ "$p" == "$PETITIONS_REPO_ROOT/"* ]]; then
    printf '%s' "${p#"$PETITIONS_REPO_ROOT"/}"
  else
    printf '%s' "$p"
  fi
}

_ps_timeout() { printf '%s' "${PETITIONS_SERVICES_TIMEOUT:-60}"; }

# True when something accepts TCP connections on 127.0.0.1:$1.
_ps_port_busy() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

_ps_pid_alive() {
  [[ -n "${1:-}" && "$1" =~ ^[0-9]+$ ]] && kill -0 "$1" 2>/dev/null
}

_ps_apt_updated=0
_ps_apt_install() {
  if ! _ps_is_root; then
    _ps_err "need to install '$*' but not running as root; install it (apt-get install $*) and retry"
    return 1
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    _ps_err "need '$*' but apt-get is not available; install it manually"
    return 1
  fi
  _ps_log "services: installing $* with apt-get (one-time setup)..."
  if [[ "$_ps_apt_updated" != 1 ]]; then
    apt-get update -qq >&2 || { _ps_err "apt-get update failed"; return 1; }
    _ps_apt_updated=1
  fi
  # The Debian packages may start system-wide servers on 5432/6379 (or fail to, without
  # systemd); either way we do not use them.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2 \
    || { _ps_err "apt-get install $* failed"; return 1; }
}

# Run a command from `/` (initdb/pg_ctl call getcwd() and the caller's directory may not be
# readable by the postgres user) without the lock fd, so a server it starts does not inherit
# (and keep holding) the lock.
_ps_detached() {
  (
    cd / || exit 1
    if [[ -n "${_ps_lock_fd:-}" ]]; then exec {_ps_lock_fd}>&-; fi
    exec "$@"
  )
}

# Run a Postgres server-side tool (initdb, pg_ctl). Postgres refuses to run as root, so as root
# it runs as the `postgres` system user.
_ps_pg_run() {
  if _ps_is_root; then
    _ps_detached runuser -u postgres -- "$@"
  else
    _ps_detached "$@"
  fi
}

# ---------------------------------------------------------------------------------------------
# PostgreSQL

# Echo the highest /usr/lib/postgresql/<v>/bin that has the server binaries (optionally: exactly
# major version $1).
_ps_pg_find_bin() {
  local want="${1:-}" d v best="" bestv=0
  for d in /usr/lib/postgresql/*/bin; do
    [[ -x "$d/postgres" && -x "$d/initdb" && -x "$d/pg_ctl" ]] || continue
    v="$(basename "$(dirname "$d")")"
    [[ "$v" =~ ^[0-9]+$ ]] || continue
    if [[ -n "$want" ]]; then
      [[ "$v" == "$want" ]] && { printf '%s' "$d"; return 0; }
      continue
    fi
    if ((v > bestv)); then best="$d"; bestv="$v"; fi
  done
  [[ -n "$best" ]] && printf '%s' "$best"
}

_ps_pg_ensure_bin() {
  local bin v
  bin="$(_ps_pg_find_bin)"
  if [[ -n "$bin" ]]; then
    v="$(basename "$(dirname "$bin")")"
    if ((v >= _PS_PG_MIN_MAJOR)); then printf '%s' "$bin"; return 0; fi
  fi
  _ps_apt_install postgresql || return 1
  bin="$(_ps_pg_find_bin)"
  if [[ -z "$bin" ]]; then
    _ps_err "postgresql installed but no server binaries found under /usr/lib/postgresql/*/bin"
    return 1
  fi
  v="$(basename "$(dirname "$bin")")"
  if ((v < _PS_PG_MIN_MAJOR)); then
    _ps_err "PostgreSQL $v found, $_PS_PG_MIN_MAJOR+ required"
    return 1
  fi
  printf '%s' "$bin"
}

_ps_pg_ensure_user() {
  _ps_is_root || return 0
  id -u postgres >/dev/null 2>&1 && return 0
  useradd --system --user-group --no-create-home --home-dir /var/lib/postgresql \
    --shell /usr/sbin/nologin postgres \
    || { _ps_err "could not create the 'postgres' system user"; return 1; }
}

# Sets _ps_pg_data and _ps_pg_logfile. As root the cluster belongs to `postgres`, which must be
# able to traverse into .data; otherwise (repo under a non-traversable path such as /root) use
# /var/tmp/petitions-<hash of repo path>/ instead.
_ps_pg_locate() {
  _ps_pg_data="$PETITIONS_DATA_DIR/postgres"
  _ps_pg_logfile="$PETITIONS_DATA_DIR/postgres.log"
  _ps_is_root || return 0
  id -u postgres >/dev/null 2>&1 || return 0
  if [[ -d "$PETITIONS_DATA_DIR" ]] && _ps_detached runuser -u postgres -- test -x "$PETITIONS_DATA_DIR" 2>/dev/null; then
    return 0
  fi
  local h
  h="$(printf '%s' "$PETITIONS_REPO_ROOT" | sha256sum | cut -c1-12)"
  _ps_pg_data="/var/tmp/petitions-$h/postgres"
  _ps_pg_logfile="/var/tmp/petitions-$h/postgres.log"
}

# True when the cluster in $1 is running (its postmaster.pid names a live postmaster).
_ps_pg_running() {
  local data="$1" pid
  [[ -f "$data/postmaster.pid" ]] || return 1
  pid="$(head -n1 "$data/postmaster.pid" 2>/dev/null)"
  _ps_pid_alive "$pid" || return 1
  grep -qs postgres "/proc/$pid/cmdline" 2>/dev/null || [[ ! -d /proc ]]
}

# After a crash, postmaster.pid may name a pid that still exists for a moment (a zombie not yet
# reaped by init); postgres refuses to start while it does. Wait for it (bounded). The file is
# never deleted by us: postgres uses it to detect old backends still attached to shared memory.
_ps_pg_wait_stale_pid() {
  local data="$1" pid i
  [[ -f "$data/postmaster.pid" ]] || return 0
  pid="$(head -n1 "$data/postmaster.pid" 2>/dev/null)"
  for ((i = 0; i < 60; i++)); do
    _ps_pid_alive "$pid" || return 0
    sleep 0.5
  done
  _ps_err "postgres: $data/postmaster.pid names pid $pid, which is still alive but is not a running"
  _ps_err "postmaster of this cluster. Check that process; if no postgres runs from this directory,"
  _ps_err "remove the stale postmaster.pid and retry"
  return 1
}

# Port of the running cluster in $1 (line 4 of postmaster.pid).
_ps_pg_running_port() {
  sed -n 4p "$1/postmaster.pid" 2>/dev/null
}

_ps_pg_log_tail() {
  if [[ -f "$_ps_pg_logfile" ]]; then
    _ps_log "---- last lines of $(_ps_show_path "$_ps_pg_logfile") ----"
    tail -n 40 "$_ps_pg_logfile" >&2
    _ps_log "----"
  fi
}

_ps_pg_write_conf() {
  local data="$1" port="$2" mem_kb buffers_mb
  # A quarter of the memory, between 128 MB and 4 GB (the usual starting point for a database host).
  mem_kb="$(awk '/^MemTotal:/ {print $2}' /proc/meminfo 2>/dev/null || echo 0)"
  buffers_mb=$(( mem_kb / 4096 ))
  (( buffers_mb < 128 )) && buffers_mb=128
  (( buffers_mb > 4096 )) && buffers_mb=4096
  cat >"$data/petitions.conf" <<EOF
# Managed by infra/local/services.sh; rewritten on every start. Do not edit.
# Dev/test-only cluster: TCP on loopback only, no unix sockets, trust auth (see pg_hba.conf).
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = ''
# Sized for a 2-core dev box; tests open many pools at once.
max_connections = 200
# The hot rows (open petitions, their tasks and timers) should stay in Postgres's own cache: a
# burst of deadlines touches thousands of random petitions at once (test/bench/timers).
shared_buffers = ${buffers_mb}MB
# Fewer forced checkpoints (and full-page images after each) under bursts of writes.
max_wal_size = 4GB
# Durability is a product promise: keep the real settings even in dev.
fsync = on
synchronous_commit = on
full_page_writes = on
EOF
  if _ps_is_root; then chown postgres:postgres "$data/petitions.conf" || return 1; fi
}

_ps_pg_init() {
  local bin="$1" data="$2" locale_opt=(--no-locale)
  _ps_log "postgres: initialising a new cluster in $(_ps_show_path "$data")..."
  # A directory without PG_VERSION is a failed earlier initdb of ours: start over.
  rm -rf "$data"
  mkdir -p "$data" || return 1
  chmod 700 "$data" || return 1
  if _ps_is_root; then chown postgres:postgres "$data" || return 1; fi
  if locale -a 2>/dev/null | grep -qix 'c\.utf-\?8'; then locale_opt=(--locale=C.UTF-8); fi
  if ! _ps_pg_run "$bin/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 \
    "${locale_opt[@]}" >"$data.initdb.log" 2>&1; then
    _ps_err "initdb failed:"
    cat "$data.initdb.log" >&2
    return 1
  fi
  rm -f "$data.initdb.log"
  # DEV/TEST-ONLY cluster: trust authentication for loopback TCP. It listens on 127.0.0.1 only
  # and has no unix socket. Never copy this setup to anything reachable from a network.
  cat >"$data/pg_hba.conf" <<'EOF'
# Written by infra/local/services.sh. DEV/TEST ONLY: trust auth on loopback.
# TYPE  DATABASE  USER  ADDRESS        METHOD
host    all       all   127.0.0.1/32   trust
EOF
  printf "\n# Project-local settings (infra/local/services.sh)\ninclude_if_exists = 'petitions.conf'\n" \
    >>"$data/postgresql.conf"
  if _ps_is_root; then chown postgres:postgres "$data/pg_hba.conf" "$data/postgresql.conf" || return 1; fi
}

# Pick the port for a new server: the requested one; with the default (env var unset) and the
# port taken by something that is not ours, the next free one.
_ps_pick_port() {
  local name="$1" envname="$2" default="$3" port i
  port="${!envname:-$default}"
  if ! _ps_port_busy "$port"; then printf '%s' "$port"; return 0; fi
  if [[ -n "${!envname:-}" ]]; then
    _ps_err "$name: port $port ($envname) is already in use by another process"
    return 1
  fi
  for ((i = 1; i <= 20; i++)); do
    if ! _ps_port_busy "$((port + i))"; then
      _ps_log "$name: WARNING: port $port is in use by something else (another checkout?); using $((port + i)). Set $envname to choose."
      printf '%s' "$((port + i))"
      return 0
    fi
  done
  _ps_err "$name: ports $port-$((port + 20)) are all in use; set $envname"
  return 1
}

_ps_psql() {
  local port="$1"; shift
  "$_ps_pg_bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d postgres "$@"
}

_ps_pg_up() {
  PETITIONS_STARTED_PG=0
  if [[ -n "${DATABASE_URL:-}" && "${DATABASE_URL}" != "${PETITIONS_LOCAL_DATABASE_URL:-}" ]]; then
    _ps_log "postgres: using DATABASE_URL from the environment (no local cluster started)"
    return 0
  fi

  local bin port timeout i ver
  bin="$(_ps_pg_ensure_bin)" || return 1
  _ps_pg_ensure_user || return 1
  _ps_pg_locate

  if [[ "$_ps_pg_data" != "$PETITIONS_DATA_DIR/"* ]]; then
    mkdir -p "$(dirname "$_ps_pg_data")" && chmod 755 "$(dirname "$_ps_pg_data")" || return 1
  fi

  # An existing cluster must be run by the binaries of its own major version.
  if [[ -f "$_ps_pg_data/PG_VERSION" ]]; then
    ver="$(cat "$_ps_pg_data/PG_VERSION")"
    bin="$(_ps_pg_find_bin "$ver")"
    if [[ -z "$bin" ]]; then
      _ps_err "the cluster in $_ps_pg_data is PostgreSQL $ver but no $ver server binaries are installed;"
      _ps_err "remove it (infra/dev.sh down && rm -rf '$_ps_pg_data') to re-create it"
      return 1
    fi
  fi
  _ps_pg_bin="$bin"

  if _ps_is_root && [[ -d "$_ps_pg_data" && "$(stat -c %U "$_ps_pg_data")" != postgres ]]; then
    chown -R postgres:postgres "$_ps_pg_data" || return 1
  fi

  if _ps_pg_running "$_ps_pg_data"; then
    port="$(_ps_pg_running_port "$_ps_pg_data")"
    _ps_log "postgres: already running on 127.0.0.1:$port (data: $(_ps_show_path "$_ps_pg_data")), reusing"
  else
    if [[ ! -f "$_ps_pg_data/PG_VERSION" ]]; then
      _ps_pg_init "$bin" "$_ps_pg_data" || return 1
    fi
    port="$(_ps_pick_port postgres PETITIONS_PG_PORT "$_PS_PG_DEFAULT_PORT")" || return 1
    _ps_pg_write_conf "$_ps_pg_data" "$port" || return 1
    touch "$_ps_pg_logfile" || return 1
    if _ps_is_root; then chown postgres:postgres "$_ps_pg_logfile" || return 1; fi
    timeout="$(_ps_timeout)"
    _ps_pg_wait_stale_pid "$_ps_pg_data" || return 1
    if ! _ps_pg_run "$bin/pg_ctl" start -D "$_ps_pg_data" -l "$_ps_pg_logfile" -w -t "$timeout" >/dev/null 2>&1; then
      _ps_err "postgres did not start on 127.0.0.1:$port within ${timeout}s"
      _ps_pg_log_tail
      return 1
    fi
    PETITIONS_STARTED_PG=1
  fi

  timeout="$(_ps_timeout)"
  for ((i = 0; i < timeout * 2; i++)); do
    "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres && break
    sleep 0.5
  done
  if ! "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres; then
    _ps_err "postgres on 127.0.0.1:$port is not accepting connections after ${timeout}s"
    _ps_pg_log_tail
    return 1
  fi

  # Role `petitions` is SUPERUSER so tests can CREATE DATABASE ... TEMPLATE ... freely.
  if ! _ps_psql "$port" -c "DO \$\$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'petitions') THEN
        CREATE ROLE petitions LOGIN SUPERUSER;
      END IF;
    END \$\$;"; then
    _ps_err "could not create role 'petitions' on 127.0.0.1:$port"
    return 1
  fi
  if [[ "$(_ps_psql "$port" -tAc "SELECT 1 FROM pg_database WHERE datname = 'petitions'")" != 1 ]] \
    && ! _ps_psql "$port" -c "CREATE DATABASE petitions OWNER petitions"; then
    _ps_err "could not create database 'petitions' on 127.0.0.1:$port"
    return 1
  fi

  export DATABASE_URL="postgres://petitions@127.0.0.1:$port/petitions"
  export PETITIONS_LOCAL_DATABASE_URL="$DATABASE_URL"
  if [[ "$PETITIONS_STARTED_PG" == 1 ]]; then
    _ps_log "postgres: started on 127.0.0.1:$port (data: $(_ps_show_path "$_ps_pg_data"))"
  fi
}

_ps_pg_down() {
  local bin data found=0 candidates=()
  _ps_pg_locate
  candidates=("$_ps_pg_data")
  [[ "$_ps_pg_data" != "$PETITIONS_DATA_DIR/postgres" ]] && candidates+=("$PETITIONS_DATA_DIR/postgres")
  for data in "${candidates[@]}"; do
    _ps_pg_running "$data" || continue
    found=1
    bin="$(_ps_pg_find_bin "$(cat "$data/PG_VERSION" 2>/dev/null)")"
    [[ -n "$bin" ]] || bin="$(_ps_pg_find_bin)"
    if _ps_pg_run "$bin/pg_ctl" stop -D "$data" -m fast -w -t 60 >/dev/null 2>&1; then
      _ps_log "postgres: stopped (data: $(_ps_show_path "$data"))"
    else
      _ps_err "pg_ctl stop failed for $data"
      return 1
    fi
  done
  [[ "$found" == 1 ]] || _ps_log "postgres: not running"
  if [[ -n "${PETITIONS_LOCAL_DATABASE_URL:-}" && "${DATABASE_URL:-}" == "$PETITIONS_LOCAL_DATABASE_URL" ]]; then
    unset DATABASE_URL
  fi
  unset PETITIONS_LOCAL_DATABASE_URL
  return 0
}

# ---------------------------------------------------------------------------------------------
# Redis

_ps_redis_version_ok() {
  local v
  command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1 || return 1
  v="$(redis-server --version 2>/dev/null | sed -n 's/.* v=\([0-9]*\)\..*/\1/p')"
  [[ -n "$v" ]] && ((v >= _PS_REDIS_MIN_MAJOR))
}

_ps_redis_ensure_bin() {
  _ps_redis_version_ok && return 0
  _ps_apt_install redis-server redis-tools || return 1
  _ps_redis_version_ok || { _ps_err "redis-server $_PS_REDIS_MIN_MAJOR+ is required"; return 1; }
}

_ps_redis_pidfile() { printf '%s' "$PETITIONS_DATA_DIR/redis.pid"; }
_ps_redis_portfile() { printf '%s' "$PETITIONS_DATA_DIR/redis.port"; }
_ps_redis_logfile() { printf '%s' "$PETITIONS_DATA_DIR/redis.log"; }

# Echo the port of our running Redis (pidfile names a live redis-server), else return 1.
_ps_redis_running_port() {
  local pid port
  pid="$(cat "$(_ps_redis_pidfile)" 2>/dev/null)"
  _ps_pid_alive "$pid" || return 1
  grep -qs redis-server "/proc/$pid/cmdline" 2>/dev/null || [[ ! -d /proc ]] || return 1
  port="$(cat "$(_ps_redis_portfile)" 2>/dev/null)"
  [[ "$port" =~ ^[0-9]+$ ]] || return 1
  printf '%s' "$port"
}

_ps_redis_log_tail() {
  local f
  f="$(_ps_redis_logfile)"
  if [[ -f "$f" ]]; then
    _ps_log "---- last lines of $(_ps_show_path "$f") ----"
    tail -n 40 "$f" >&2
    _ps_log "----"
  fi
}

_ps_redis_up() {
  PETITIONS_STARTED_REDIS=0
  if [[ -n "${REDIS_URL:-}" && "${REDIS_URL}" != "${PETITIONS_LOCAL_REDIS_URL:-}" ]]; then
    _ps_log "redis: using REDIS_URL from the environment (no local server started)"
    return 0
  fi
  _ps_redis_ensure_bin || return 1

  local port timeout i dir="$PETITIONS_DATA_DIR/redis"
  if port="$(_ps_redis_running_port)"; then
    _ps_log "redis: already running on 127.0.0.1:$port (data: $(_ps_show_path "$dir")), reusing"
  else
    mkdir -p "$dir" || return 1
    rm -f "$(_ps_redis_pidfile)"
    port="$(_ps_pick_port redis PETITIONS_REDIS_PORT "$_PS_REDIS_DEFAULT_PORT")" || return 1
    printf '%s\n' "$port" >"$(_ps_redis_portfile)"
    # AOF with fsync every second: queued jobs survive a crash (at most ~1s lost) and a restart.
    # noeviction: BullMQ keeps jobs and locks in Redis; evicting keys would silently lose work,
    # so a full Redis must fail writes loudly instead. No RDB snapshots (AOF is the durability).
    if ! _ps_detached redis-server \
      --port "$port" --bind 127.0.0.1 --protected-mode yes \
      --dir "$dir" \
      --appendonly yes --appendfsync everysec \
      --maxmemory-policy noeviction \
      --save "" \
      --daemonize yes --pidfile "$(_ps_redis_pidfile)" --logfile "$(_ps_redis_logfile)"; then
      _ps_err "redis-server failed to start on 127.0.0.1:$port"
      _ps_redis_log_tail
      return 1
    fi
    PETITIONS_STARTED_REDIS=1
  fi

  timeout="$(_ps_timeout)"
  for ((i = 0; i < timeout * 4; i++)); do
    [[ "$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null)" == PONG ]] && break
    sleep 0.25
  done
  if [[ "$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null)" != PONG ]]; then
    _ps_err "redis on 127.0.0.1:$port did not answer PING within ${timeout}s"
    _ps_redis_log_tail
    return 1
  fi

  export REDIS_URL="redis://127.0.0.1:$port"
  export PETITIONS_LOCAL_REDIS_URL="$REDIS_URL"
  if [[ "$PETITIONS_STARTED_REDIS" == 1 ]]; then
    _ps_log "redis: started on 127.0.0.1:$port (data: $(_ps_show_path "$dir"))"
  fi
}

_ps_redis_down() {
  local port pid i
  if port="$(_ps_redis_running_port)"; then
    pid="$(cat "$(_ps_redis_pidfile)")"
    # SHUTDOWN flushes the AOF before exiting; fall back to SIGTERM (also a clean shutdown).
    redis-cli -h 127.0.0.1 -p "$port" shutdown >/dev/null 2>&1 || kill -TERM "$pid" 2>/dev/null
    for ((i = 0; i < 120; i++)); do
      _ps_pid_alive "$pid" || break
      sleep 0.25
    done
    if _ps_pid_alive "$pid"; then
      _ps_err "redis (pid $pid) did not stop within 30s"
      return 1
    fi
    rm -f "$(_ps_redis_pidfile)"
    _ps_log "redis: stopped (port $port)"
  else
    _ps_log "redis: not running"
  fi
  if [[ -n "${PETITIONS_LOCAL_REDIS_URL:-}" && "${REDIS_URL:-}" == "$PETITIONS_LOCAL_REDIS_URL" ]]; then
    unset REDIS_URL
  fi
  unset PETITIONS_LOCAL_REDIS_URL
  return 0
}

# ---------------------------------------------------------------------------------------------
# Locking: concurrent callers (two terminals, `up` + `test`) must not race initdb or ports.

_ps_lock() {
  mkdir -p "$PETITIONS_DATA_DIR" || { _ps_err "cannot create $PETITIONS_DATA_DIR"; return 1; }
  # The postgres system user must be able to traverse .data (it holds the cluster and its log).
  if _ps_is_root; then chmod go+x "$PETITIONS_DATA_DIR" 2>/dev/null || true; fi
  exec {_ps_lock_fd}>"$PETITIONS_DATA_DIR/.services.lock" || return 1
  if ! flock -w 300 "$_ps_lock_fd"; then
    _ps_err "timed out waiting for $(_ps_show_path "$PETITIONS_DATA_DIR")/.services.lock (another local_services_* call?)"
    exec {_ps_lock_fd}>&-
    return 1
  fi
}

_ps_unlock() {
  [[ -n "${_ps_lock_fd:-}" ]] && exec {_ps_lock_fd}>&-
  unset _ps_lock_fd
  return 0
}

# ---------------------------------------------------------------------------------------------
# Public API

local_services_up() {
  local rc=0
  _ps_lock || return 1
  _ps_pg_up || rc=1
  if [[ "$rc" == 0 ]]; then _ps_redis_up || rc=1; fi
  _ps_unlock
  return "$rc"
}

# local_services_down [pg|postgres|redis]...  (no argument: both)
local_services_down() {
  local rc=0 what
  [[ $# -gt 0 ]] || set -- pg redis
  _ps_lock || return 1
  for what in "$@"; do
    case "$what" in
      pg | postgres) _ps_pg_down || rc=1 ;;
      redis) _ps_redis_down || rc=1 ;;
      *) _ps_err "local_services_down: unknown service '$what'"; rc=1 ;;
    esac
  done
  _ps_unlock
  return "$rc"
}
