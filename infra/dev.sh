#!/usr/bin/env bash
#
# Single entry point for local development, tests and benchmarks. See infra/README.md.
#
#   infra/dev.sh setup          install pnpm (if missing) and the workspace dependencies
#   infra/dev.sh up             Postgres + Redis + migrate + seed, then run api, worker,
#                               scheduler and notifier in the foreground (Ctrl-C stops them)
#   infra/dev.sh down           stop the project-local Postgres and Redis
#   infra/dev.sh test [args]    typecheck, lint, migrate, vitest run [args]
#   infra/dev.sh bench <name>   run test/bench/<name>/run.ts against the local services
#
set -euo pipefail

PNPM_VERSION=10.34.8
HEALTH_TIMEOUT_S=60
STOP_GRACE_S=15

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
DATA_DIR="$REPO_ROOT/.data"
cd "$REPO_ROOT"

log() { printf '%s\n' "$*" >&2; }
step() { printf '\n==> %s\n' "$*" >&2; }
die() { printf 'dev.sh: ERROR: %s\n' "$*" >&2; exit 1; }

usage() {
  cat <<'EOF'
Usage: infra/dev.sh <command> [args]

Commands:
  setup          Install pnpm (if missing) and workspace dependencies (pnpm install --frozen-lockfile).
  up             Start project-local Postgres + Redis, migrate, seed, then run the api, workflow
                 worker, scheduler and notifier until Ctrl-C. Postgres/Redis keep running afterwards.
  down           Stop the project-local Postgres and Redis.
  test [args]    typecheck, lint, migrate, then `vitest run [args]`. Stops Postgres/Redis at the
                 end only if this run started them.
  bench <name>   Run test/bench/<name>/run.ts against the local services.

Environment:
  DATABASE_URL / REDIS_URL           use external servers instead of the project-local ones
  PETITIONS_PG_PORT (55432), PETITIONS_REDIS_PORT (56379)   ports of the project-local servers
  PORT (3000), HOST (127.0.0.1)      where the API listens (`up`)
  API_DEV_IDENTITY (true for `up`)   trust X-Actor-* headers without sign-in: demo only
  PETITIONS_ENCRYPTION_KEY, PETITIONS_HMAC_KEY
                                     generated once into .data/dev-secrets.env when unset
EOF
}

# ---------------------------------------------------------------------------------------------
# setup

deps_fingerprint() {
  # Everything `pnpm install` depends on: the lockfile, the workspace definition, every
  # workspace package.json, and the Node major version (native addons are built against it).
  {
    printf 'node %s\n' "$(node -p 'process.versions.node.split(".")[0]')"
    cat pnpm-lock.yaml pnpm-workspace.yaml
    find . -name node_modules -prune -o -name .git -prune -o -name .data -prune -o \
      -name package.json -type f -print | LC_ALL=C sort | while read -r f; do
      printf '%s\n' "$f"
      cat "$f"
    done
  } | sha256sum | cut -d' ' -f1
}

cmd_setup() {
  command -v node >/dev/null 2>&1 || die "node is not installed (Node.js 20+ is required)"
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  ((major >= 20)) || die "Node.js 20+ is required (found $(node --version))"

  if ! command -v pnpm >/dev/null 2>&1; then
    step "installing pnpm@$PNPM_VERSION"
    command -v npm >/dev/null 2>&1 || die "npm not found; cannot install pnpm"
    npm install -g "pnpm@$PNPM_VERSION" >&2
    hash -r
    command -v pnpm >/dev/null 2>&1 || die "pnpm is still not on PATH after npm install -g"
  fi

  local want stamp=node_modules/.petitions-lock-hash
  want="$(deps_fingerprint)"
  if [[ -f node_modules/.modules.yaml && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    log "setup: dependencies up to date"
    return 0
  fi
  step "pnpm install --frozen-lockfile"
  pnpm install --frozen-lockfile --config.confirmModulesPurge=false >&2
  printf '%s\n' "$want" >"$stamp"
}

# ---------------------------------------------------------------------------------------------
# services and secrets

STARTED_SERVICES_CLEANUP=0

services_up() {
  # shellcheck source=infra/local/services.sh
  source "$SCRIPT_DIR/local/services.sh"
  local_services_up || die "could not start the local services (see above)"
}

# Stop Postgres/Redis only if this invocation started them (a developer's `up` keeps running).
stop_started_services() {
  [[ "$STARTED_SERVICES_CLEANUP" == 1 ]] || return 0
  STARTED_SERVICES_CLEANUP=0
  local which=()
  [[ "${PETITIONS_STARTED_PG:-0}" == 1 ]] && which+=(pg)
  [[ "${PETITIONS_STARTED_REDIS:-0}" == 1 ]] && which+=(redis)
  ((${#which[@]} > 0)) || return 0
  local_services_down "${which[@]}" || true
}

# Generate each missing secret once into .data/dev-secrets.env (32 random bytes, base64) and
# export it. Values already in the environment win and are never written to the file.
ensure_dev_secrets() {
  local file="$DATA_DIR/dev-secrets.env" var val
  mkdir -p "$DATA_DIR"
  (umask 077 && touch "$file")
  for var in PETITIONS_ENCRYPTION_KEY PETITIONS_HMAC_KEY; do
    [[ -n "${!var:-}" ]] && continue
    val="$(sed -n "s/^$var=//p" "$file" | tail -n 1)"
    if [[ -z "$val" ]]; then
      val="$(node -e 'process.stdout.write(require("node:crypto").randomBytes(32).toString("base64"))')"
      printf '%s=%s\n' "$var" "$val" >>"$file"
      log "secrets: generated a dev $var into .data/dev-secrets.env"
    fi
    export "$var=$val"
  done
}

# ---------------------------------------------------------------------------------------------
# up: long-running processes

SERVICE_NAMES=(api worker scheduler notifier)
# Each service's entry point. Run with node + tsx directly (not through `pnpm start`), so that
# Ctrl-C reaches the service itself and a clean stop does not print pnpm's failure banner.
declare -A SERVICE_PKG=(
  [api]=services/api/src/main.ts
  [worker]=services/workflow-worker/src/main.ts
  [scheduler]=services/scheduler/src/main.ts
  [notifier]=services/notifier/src/main.ts
)
declare -A CHILD_PID=()

start_child() {
  local name="$1" entry="$2" logfile="$DATA_DIR/logs/$1.log"
  : >"$logfile"
  # setsid: each service gets its own process group (pid == pgid == $!) so that stopping it
  # reaches every process of it. The log pipe ignores INT/TERM so that Ctrl-C does not
  # cut the output of services that are still shutting down; it ends when they close it.
  setsid node --import tsx "$entry" </dev/null \
    > >(trap '' INT TERM; tee -a "$logfile" | sed -u "s/^/[$name] /") 2>&1 &
  local pid=$! i
  CHILD_PID[$name]=$pid
  # Wait until setsid has run, so that signals sent to the group reach it.
  for ((i = 0; i < 100; i++)); do
    [[ "$(pgid_of "$pid")" == "$pid" ]] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.02
  done
}

# Process group id of pid $1, from /proc (no dependency on ps).
pgid_of() {
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 0
  stat="${stat##*) }" # fields after "pid (comm) ": state ppid pgrp ...
  read -r _ _ stat _ <<<"$stat"
  printf '%s' "$stat"
}

# A service is alive while its leader or anything in its process group is.
group_alive() { kill -0 -- "-$1" 2>/dev/null || kill -0 "$1" 2>/dev/null; }

stop_children() {
  local name pid alive i
  ((${#CHILD_PID[@]} > 0)) || return 0
  for name in "${!CHILD_PID[@]}"; do
    pid="${CHILD_PID[$name]}"
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  done
  for ((i = 0; i < STOP_GRACE_S * 4; i++)); do
    alive=0
    for pid in "${CHILD_PID[@]}"; do group_alive "$pid" && alive=1; done
    ((alive)) || break
    sleep 0.25
  done
  for name in "${!CHILD_PID[@]}"; do
    if group_alive "${CHILD_PID[$name]}"; then
      log "[$name] still running after ${STOP_GRACE_S}s, sending SIGKILL"
      pid="${CHILD_PID[$name]}"
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    fi
  done
  wait "${CHILD_PID[@]}" 2>/dev/null || true
  CHILD_PID=()
}

show_service_logs() {
  local name
  for name in "${SERVICE_NAMES[@]}"; do
    [[ -s "$DATA_DIR/logs/$name.log" ]] || continue
    log "---- last lines of .data/logs/$name.log ----"
    tail -n 30 "$DATA_DIR/logs/$name.log" >&2
  done
  log "----"
}

http_ok() {
  if command -v curl >/dev/null 2>&1; then
    [[ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' "$1" 2>/dev/null)" == 200 ]]
  else
    node -e 'fetch(process.argv[1], { signal: AbortSignal.timeout(2000) })
      .then((r) => process.exit(r.status === 200 ? 0 : 1), () => process.exit(1))' "$1"
  fi
}

print_banner() {
  local base="$1"
  {
    printf '\n'
    printf '==================================================================\n'
    printf '  Petitions is running\n\n'
    printf '  Web UI:    %s/\n' "$base"
    printf '  API docs:  %s/docs\n' "$base"
    printf '\n  演示账号 / demo accounts: admin, clerk, dispatcher, supervisor, follow_up,\n'
    printf '    leader, handler.js-cgj, head.js-cgj (金水区城市管理局)\n'
    printf '    password demo-password-2026 (demo only)\n'
    if [[ "${API_DEV_IDENTITY:-}" == true ]]; then
      printf '  Or act without signing in: the 演示身份 selector (X-Actor-* headers,\n'
      printf '  API_DEV_IDENTITY=true; demo only).\n'
    fi
    printf '\n  Postgres:  %s\n' "$DATABASE_URL"
    printf '  Redis:     %s\n' "$REDIS_URL"
    printf '  Logs:      .data/logs/<service>.log\n\n'
    printf '  Ctrl-C stops the app; Postgres and Redis keep running\n'
    printf '  (stop them with: infra/dev.sh down).\n'
    printf '==================================================================\n\n'
  } >&2
}

on_up_signal() {
  trap '' INT TERM
  log ""
  log "dev.sh: stopping services (up to ${STOP_GRACE_S}s)..."
  stop_children
  log "dev.sh: stopped. Postgres and Redis are still running; stop them with: infra/dev.sh down"
  exit "$1"
}

cmd_up() {
  cmd_setup
  services_up
  ensure_dev_secrets # before seeding: seed data may be encrypted / hashed with these keys
  step "pnpm run migrate"
  pnpm run migrate
  step "pnpm run seed"
  pnpm run seed
  step "demo accounts (created if missing)"
  node --import tsx services/api/src/cli/demo-users.ts
  # Six past months worked through the real machine, so the leaders' reports have trends (once).
  step "demo history for the reports (loaded once)"
  pnpm --silent --filter @petitions/api run demo:history \
    || log "dev.sh: WARNING: demo history could not be loaded (see above); reports show only today's demo"

  export PORT="${PORT:-3000}" HOST="${HOST:-127.0.0.1}"
  # The UI signs in with the demo accounts; with API_DEV_IDENTITY=true (the default here) it also
  # offers its 演示身份 selector (X-Actor-* headers). Set API_DEV_IDENTITY=false to require sign-in.
  export API_DEV_IDENTITY="${API_DEV_IDENTITY:-true}"
  local probe_host="$HOST" base name
  case "$probe_host" in 0.0.0.0 | '::' | '[::]' | '') probe_host=127.0.0.1 ;; esac
  [[ "$probe_host" == *:* && "$probe_host" != \[* ]] && probe_host="[$probe_host]"
  base="http://$probe_host:$PORT"

  # Something already answering there (a previous `up`?) would pass the health check for us.
  if (exec 3<>"/dev/tcp/${probe_host//[\[\]]/}/$PORT") 2>/dev/null; then
    die "$HOST:$PORT is already in use (another 'infra/dev.sh up'?); stop it or set PORT"
  fi

  mkdir -p "$DATA_DIR/logs"
  trap 'on_up_signal 130' INT
  trap 'on_up_signal 143' TERM
  trap 'stop_children' EXIT
  step "starting ${SERVICE_NAMES[*]}"
  for name in "${SERVICE_NAMES[@]}"; do
    start_child "$name" "${SERVICE_PKG[$name]}"
  done

  local i ok=0 dead=""
  for ((i = 0; i < HEALTH_TIMEOUT_S; i++)); do
    for name in "${SERVICE_NAMES[@]}"; do
      group_alive "${CHILD_PID[$name]}" || dead="$name"
    done
    [[ -z "$dead" ]] || break
    if http_ok "$base/health"; then ok=1; break; fi
    sleep 1
  done
  if ((!ok)); then
    if [[ -n "$dead" ]]; then
      log "dev.sh: ERROR: service '$dead' exited during startup"
    else
      log "dev.sh: ERROR: $base/health did not answer 200 within ${HEALTH_TIMEOUT_S}s"
    fi
    show_service_logs
    stop_children
    exit 1
  fi

  step "loading demo petitions through the API"
  if ! DEMO_API_URL="$base" pnpm --silent --filter @petitions/api run demo:petitions; then
    log "dev.sh: WARNING: demo petitions could not be loaded (see above); the system is running without them"
  fi

  print_banner "$base"

  # Run until Ctrl-C / SIGTERM (handled by the traps) or until a service exits on its own.
  local exited="" rc=0
  wait -n -p exited "${CHILD_PID[@]}" || rc=$?
  for name in "${SERVICE_NAMES[@]}"; do
    [[ "${CHILD_PID[$name]}" == "$exited" ]] && exited="$name"
  done
  log "dev.sh: service '${exited:-?}' exited (status $rc); stopping the others"
  stop_children
  exit $((rc == 0 ? 1 : rc))
}

# ---------------------------------------------------------------------------------------------
# down / test / bench

cmd_down() {
  # shellcheck source=infra/local/services.sh
  source "$SCRIPT_DIR/local/services.sh"
  local_services_down
}

# Common prelude for test/bench: deps, services (stopped again on exit if we started them),
# secrets, migrations on the main database.
prepare_run() {
  cmd_setup
  STARTED_SERVICES_CLEANUP=1
  trap 'rc=$?; stop_started_services; exit $rc' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  services_up
  ensure_dev_secrets
}

# The browser tests drive Debian's Chromium (playwright-core, no browser download): install it
# when missing, as Postgres and Redis are. PETITIONS_CHROMIUM points elsewhere.
ensure_chromium() {
  local bin="${PETITIONS_CHROMIUM:-/usr/bin/chromium}"
  [[ -x "$bin" ]] && return 0
  # shellcheck source=infra/local/services.sh
  source "$SCRIPT_DIR/local/services.sh"
  _ps_apt_install chromium || die "the browser tests need Chromium at $bin (apt-get install chromium)"
}

cmd_test() {
  prepare_run
  step "chromium (browser tests)"
  ensure_chromium
  step "pnpm run typecheck"
  pnpm run typecheck
  step "pnpm run lint"
  pnpm run lint
  step "pnpm run migrate"
  pnpm run migrate
  step "vitest run $*"
  local rc=0 report="$DATA_DIR/vitest-report.json"
  mkdir -p "$DATA_DIR"
  rm -f "$report"
  pnpm exec vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@" || rc=$?
  # One plain closing line that any CI reader understands.
  if [[ -f "$report" ]]; then
    node -e 'const r = require(process.argv[1]);
      const skipped = r.numPendingTests + r.numTodoTests;
      console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));' "$report"
  fi
  exit "$rc"
}

cmd_bench() {
  local name="${1:-}"
  [[ -n "$name" ]] || { usage >&2; exit 2; }
  [[ "$name" =~ ^[A-Za-z0-9._-]+$ && -f "test/bench/$name/run.ts" ]] \
    || die "no benchmark '$name' (expected test/bench/$name/run.ts)"
  shift
  prepare_run
  step "pnpm run migrate"
  pnpm run migrate
  step "bench $name"
  local rc=0
  pnpm exec tsx "test/bench/$name/run.ts" "$@" || rc=$?
  exit "$rc"
}

main() {
  local cmd="${1:-}"
  [[ $# -gt 0 ]] && shift
  case "$cmd" in
    setup) cmd_setup ;;
    up) cmd_up ;;
    down) cmd_down ;;
    test) cmd_test "$@" ;;
    bench) cmd_bench "$@" ;;
    help | -h | --help) usage ;;
    *)
      [[ -n "$cmd" ]] && log "dev.sh: unknown command '$cmd'"
      usage >&2
      exit 2
      ;;
  esac
}

main "$@"
