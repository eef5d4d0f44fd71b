#!/usr/bin/env bash
# Runs a command with a Node 24 binary first on PATH.
#
# The product targets the Lambda runtime nodejs24.x. When the system node is
# older, a pinned Node 24 is installed once from the npm registry into
# .tools/ (package node-linux-<arch>), so `npm start`, `npm test` and CI
# behave the same on a fresh machine. Dependencies are installed with that
# node when node_modules is missing or older than package-lock.json.
set -euo pipefail

NODE_VERSION=24.22.3
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

system_major() {
  command -v node >/dev/null 2>&1 || { echo 0; return; }
  node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0
}

ensure_node() {
  if [ "$(system_major)" -ge 24 ]; then
    return
  fi
  local arch
  case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) echo "node24.sh: unsupported machine $(uname -m)" >&2; exit 1 ;;
  esac
  local pkg="node-linux-${arch}"
  local bin="$root/.tools/node_modules/${pkg}/bin"
  if [ ! -x "$bin/node" ] || [ "$("$bin/node" --version)" != "v${NODE_VERSION}" ]; then
    mkdir -p "$root/.tools"
    # One installer at a time when several scripts start together.
    exec 9>"$root/.tools/.lock"
    flock 9
    if [ ! -x "$bin/node" ] || [ "$("$bin/node" --version)" != "v${NODE_VERSION}" ]; then
      echo "node24.sh: installing Node ${NODE_VERSION} from the npm registry" >&2
      (cd "$root/.tools" && [ -f package.json ] || echo '{"private":true}' >"$root/.tools/package.json")
      npm install --prefix "$root/.tools" --no-save --no-audit --no-fund \
        --loglevel=error "${pkg}@${NODE_VERSION}" >&2
    fi
    flock -u 9
  fi
  export PATH="$bin:$PATH"
}

ensure_dependencies() {
  local marker="$root/node_modules/.package-lock.json"
  if [ ! -f "$marker" ] || [ "$root/package-lock.json" -nt "$marker" ]; then
    echo "node24.sh: installing dependencies (npm ci)" >&2
    (cd "$root" && npm ci --no-audit --no-fund --loglevel=error >&2)
  fi
}

ensure_node
if [ "${M2M_SKIP_INSTALL:-}" != 1 ]; then
  ensure_dependencies
fi
export PATH="$root/node_modules/.bin:$PATH"
exec "$@"
