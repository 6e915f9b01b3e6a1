# shellcheck shell=bash
# Shared settings and helpers for scripts/world/{up,status,down}. Sourced, not run.

WORLD_SCRIPTS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$WORLD_SCRIPTS/../.." && pwd)"
# Per-checkout state: env file, pid files, logs, registry data, the generated index.
WORLD_DIR="${LAYERWISE_WORLD_DIR:-$REPO_ROOT/.world}"
# Survives re-runs and other checkouts: debootstrap rootfs tarball, wheelhouse, hashes.
WORLD_CACHE="${LAYERWISE_WORLD_CACHE:-/var/cache/layerwise-world}"
REGISTRY_PORT="${LAYERWISE_WORLD_REGISTRY_PORT:-5000}"
REGISTRY_ADDR="127.0.0.1:$REGISTRY_PORT"
# Fixed: fixture lock files record this address.
INDEX_PORT=3141
INDEX_ADDR="127.0.0.1:$INDEX_PORT"
INDEX_URL="http://$INDEX_ADDR/simple/"
DOCKER_SOCK="/var/run/docker.sock"
ENV_FILE="$WORLD_DIR/env"
# The generated index tree: machine-wide, as the index server is (any checkout may reuse it).
INDEX_DIR="$WORLD_CACHE/index"

# Exit code meaning "this machine cannot host the world" (test.sh reports a skip).
EXIT_CANNOT=3

log() { printf 'world: %s\n' "$*" >&2; }
die() { printf 'world: error: %s\n' "$*" >&2; exit 1; }
# The machine cannot host the world: say why on the last line, exit 3.
cannot() { printf 'world: cannot come up: %s\n' "$*" >&2; exit "$EXIT_CANNOT"; }

host_python() {
  if [ -x /usr/bin/python3 ]; then echo /usr/bin/python3; else command -v python3; fi
}

# pid_alive PIDFILE [COMM]: the pid in PIDFILE runs (and its command name starts with COMM).
pid_alive() {
  local file="$1" comm="${2:-}" pid
  [ -f "$file" ] || return 1
  pid="$(cat "$file" 2>/dev/null)"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  if [ -n "$comm" ]; then
    local actual
    actual="$(cat "/proc/$pid/comm" 2>/dev/null || true)"
    case "$actual" in "$comm"*) ;; *) return 1 ;; esac
  fi
  return 0
}

# engine_answers: some Docker engine answers on the default socket.
engine_answers() {
  [ -S "$DOCKER_SOCK" ] || return 1
  curl -fsS --max-time 3 --unix-socket "$DOCKER_SOCK" http://localhost/_ping >/dev/null 2>&1
}

engine_version() {
  curl -fsS --max-time 3 --unix-socket "$DOCKER_SOCK" http://localhost/version 2>/dev/null |
    sed -n 's/.*"Version":"\([^"]*\)".*/\1/p' | head -n1
}

# registry_state: "registry" if a distribution registry answers on REGISTRY_ADDR, "other" if
# something else listens there, "free" if nothing does.
registry_state() {
  local headers
  if headers="$(curl -sS --max-time 3 -o /dev/null -D - "http://$REGISTRY_ADDR/v2/" 2>/dev/null)"; then
    if printf '%s' "$headers" | grep -qi '^docker-distribution-api-version: *registry/2'; then
      echo registry
    else
      echo other
    fi
  else
    # curl fails on refused connections, but also on a listener that does not speak HTTP.
    if (exec 3<>"/dev/tcp/127.0.0.1/$REGISTRY_PORT") 2>/dev/null; then echo other; else echo free; fi
  fi
}

# index_state: "index" if our wheel index answers on INDEX_ADDR, "other", or "free".
index_state() {
  local body
  if body="$(curl -fsS --max-time 3 "http://$INDEX_ADDR/layerwise-world.json" 2>/dev/null)"; then
    if printf '%s' "$body" | grep -q 'layerwise-world-index'; then echo index; else echo other; fi
  elif (exec 3<>"/dev/tcp/127.0.0.1/$INDEX_PORT") 2>/dev/null; then
    echo other
  else
    echo free
  fi
}

# wait_for SECONDS DESCRIPTION COMMAND...: poll COMMAND every 0.2 s until it succeeds.
wait_for() {
  local seconds="$1" what="$2"; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@"; do
    if [ "$SECONDS" -ge "$deadline" ]; then return 1; fi
    sleep 0.2
  done
  log "$what answers"
}

# env_get KEY: a value from the world env file.
env_get() {
  [ -f "$ENV_FILE" ] || return 1
  sed -n "s/^$1=//p" "$ENV_FILE" | tail -n1
}

# ensure_tools: the package managers the tests drive (uv, poetry, pdm, pip-tools) in a venv under
# the world cache, installed from the world's own index at the versions wheelhouse.txt pins; quick
# when they are there. Tests put $WORLD_CACHE/tools/bin on PATH.
ensure_tools() {
  local tools="$WORLD_CACHE/tools" want
  pin() { grep -iE "^$1==" "$WORLD_SCRIPTS/wheelhouse.txt" | head -n1; }
  want="$(pin uv) $(pin poetry) $(pin pdm) $(pin pip_tools) $(pin unearth) $(pin hishel)"
  if [ "$(cat "$tools/.pins" 2>/dev/null || true)" != "$want" ]; then
    log "installing $want into $tools"
    rm -rf "$tools"
    "$(host_python)" -m venv "$tools"
    # shellcheck disable=SC2086
    PIP_CONFIG_FILE=/dev/null "$tools/bin/pip" install -q --disable-pip-version-check --index-url "$INDEX_URL" $want ||
      { rm -rf "$tools"; return 1; }
    echo "$want" >"$tools/.pins"
  fi
}
