#!/usr/bin/env bash
# The end-to-end tier: deploys the stack to MiniStack on 127.0.0.1 and runs
# the end-to-end suite against its HTTP API.
#
# 1. installs MiniStack (PyPI, pinned) into the git-ignored .venv (or, where
#    Python has no venv module, into .venv/site with pip --target),
# 2. starts it bound to 127.0.0.1 only, in a process group of its own,
#    logging to .ministack/ministack.log,
# 3. bootstraps and deploys the stack twice, open and signed, with dummy
#    credentials, every AWS call aimed at the emulator (AWS_ENDPOINT_URL),
# 4. runs test/e2e against the two emulated APIs,
# 5. stops MiniStack and everything it started (its Lambda workers) when
#    the script exits, fails or is interrupted.
#
# Every step has a time limit, so a hang fails the run in at most about
# ten minutes; the exit status is non-zero when any step or test fails.
#
# Run through `npm run test:e2e` (scripts/node24.sh puts Node 24 first on
# PATH: MiniStack runs the Lambda handlers with the `node` it finds there).
# M2M_E2E_AUTH=true starts MiniStack with AUTH=true, which checks every
# call against the IAM policies of the deployed roles. Known gap: with
# MiniStack 1.5.33 registrations then fail, because it names every
# schedule `schedule/default/<name>` whatever its group, so the api
# function's grant on `schedule/<group>/*` (right for AWS) does not match;
# it passes once MiniStack puts the group into the schedule's ARN.
set -euo pipefail

MINISTACK_VERSION=1.5.33
# The same app twice: open (the shared end-to-end suite) and signed.
STACK=M2mRegistrarE2e
SIGNED_STACK=M2mRegistrarE2eSigned
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv"
state="$root/.ministack"
mkdir -p "$state"

# The script's own stderr, kept on fd 3 so that messages of a trap reach
# it even while a step's output is redirected to its log.
exec 3>&2
log() { echo "e2e: $*" >&3; }

# The Python that runs MiniStack, with PYTHONPATH when installed by --target.
python="$venv/bin/python"

ensure_ministack() {
  if [ ! -x "$venv/bin/python" ] && [ -d "$venv/site/ministack" ]; then
    python=python3
    export PYTHONPATH="$venv/site"
  fi
  if "$python" - "$MINISTACK_VERSION" 2>/dev/null <<'PY'; then
import sys
from importlib.metadata import version
sys.exit(version("ministack") != sys.argv[1])
PY
    return
  fi
  log "installing ministack==${MINISTACK_VERSION} into .venv"
  if [ -x "$venv/bin/pip" ] || python3 -m venv --clear "$venv" >/dev/null 2>&1; then
    python="$venv/bin/python"
    "$python" -m pip install --quiet --disable-pip-version-check \
      "ministack==${MINISTACK_VERSION}"
    return
  fi
  # No venv module (Debian without python3-venv): a plain folder instead.
  log "python3 -m venv is unavailable; installing with pip --target"
  rm -rf "$venv"
  python=python3
  export PYTHONPATH="$venv/site"
  python3 -m pip install --quiet --disable-pip-version-check \
    --target "$venv/site" "ministack==${MINISTACK_VERSION}"
}

# 4566 when free, else a free port the kernel picks, on loopback.
pick_port() {
  "$python" - "${M2M_E2E_PORT:-4566}" <<'PY'
import socket, sys
def free(port):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return None
        return s.getsockname()[1]
print(free(int(sys.argv[1])) or free(0))
PY
}

ministack_pid=''
ministack_tmp=''
# MiniStack runs in a process group of its own (setsid), so that stopping
# it also stops the Lambda worker processes it started.
stop_ministack() {
  [ -n "$ministack_pid" ] || return 0
  if kill -0 "$ministack_pid" 2>/dev/null; then
    log "stopping MiniStack (process group $ministack_pid)"
    kill -TERM -- "-$ministack_pid" 2>/dev/null || true
    for _ in $(seq 1 20); do
      kill -0 "$ministack_pid" 2>/dev/null || break
      sleep 0.25
    done
  fi
  kill -KILL -- "-$ministack_pid" 2>/dev/null || true
  wait "$ministack_pid" 2>/dev/null || true
  ministack_pid=''
  [ -z "$ministack_tmp" ] || rm -rf "$ministack_tmp"
}
trap stop_ministack EXIT

# The long steps run in the background while the script waits for them:
# bash runs a trap only between commands, and `wait` is one it can leave
# at once. An interrupted run stops the step, then exits (running the
# EXIT trap) with the usual status.
step_pid=''
interrupted() {
  [ -z "$step_pid" ] || kill -TERM "$step_pid" 2>/dev/null || true
  exit "$1"
}
trap 'interrupted 130' INT
trap 'interrupted 143' TERM
trap 'interrupted 129' HUP

# step SECONDS COMMAND...: runs COMMAND in the project folder, at most
# SECONDS (124 when it outlived them), and returns its status.
step() {
  local seconds="$1"
  shift
  (cd "$root" && exec timeout --kill-after=10 "$seconds" "$@") &
  step_pid=$!
  local status=0
  wait "$step_pid" || status=$?
  step_pid=''
  return "$status"
}

healthy() {
  "$python" - "$1" <<'PY'
import sys, urllib.request
try:
    urllib.request.urlopen(
        f"http://127.0.0.1:{sys.argv[1]}/_ministack/health", timeout=2)
except Exception:
    sys.exit(1)
PY
}

start_ministack() {
  local port="$1"
  log "starting MiniStack on 127.0.0.1:${port} (log: .ministack/ministack.log)"
  # BIND_HOST keeps every listener on loopback; the default is 0.0.0.0.
  # Its temporary files (unpacked Lambda code) go to a folder of this run,
  # removed with it, instead of piling up in /tmp. Not under the project:
  # its package.json ("type": "module") would change how the emulator's
  # own .js runners load.
  ministack_tmp="$(mktemp -d "${TMPDIR:-/tmp}/m2m-e2e-XXXXXX")"
  TMPDIR="$ministack_tmp" BIND_HOST=127.0.0.1 GATEWAY_PORT="$port" \
    MINISTACK_HOST=localhost LAMBDA_EXECUTOR=local \
    AUTH="${M2M_E2E_AUTH:-false}" \
    setsid "$python" -m ministack >"$state/ministack.log" 2>&1 &
  ministack_pid=$!
  for _ in $(seq 1 60); do
    if healthy "$port"; then
      return
    fi
    kill -0 "$ministack_pid" 2>/dev/null || {
      log "MiniStack exited; see .ministack/ministack.log"
      exit 1
    }
    sleep 0.5
  done
  log "MiniStack did not answer within 30 s"
  exit 1
}

# limit SECONDS LOG COMMAND...: runs COMMAND with its output in LOG, and
# fails (showing the log's end) when it fails or outlives SECONDS.
limit() {
  local seconds="$1" logfile="$2"
  shift 2
  local status=0
  step "$seconds" "$@" >"$logfile" 2>&1 || status=$?
  if [ "$status" -ne 0 ]; then
    [ "$status" -eq 124 ] && log "timed out after ${seconds} s: $*"
    tail -40 "$logfile" >&2
    exit "$status"
  fi
}

# deploy STACK [-c name=value ...]: one stack of the app, outputs in
# .ministack/<stack>.json.
deploy() {
  local stack="$1"
  shift
  log "deploying ${stack}"
  limit 240 "$state/deploy-$stack.log" \
    cdk deploy "$stack" --no-notices --output "$state/cdk.out.$stack" \
    -c stackName="$stack" -c deletionProtection=false \
    -c cliCredentials=true "$@" \
    --require-approval never --outputs-file "$state/$stack.json"
}

bootstrap() {
  log "bootstrapping the emulated account"
  limit 120 "$state/bootstrap.log" \
    cdk bootstrap aws://000000000000/us-east-1 --no-notices \
    --output "$state/cdk.out"
}

# output STACK NAME: one output of a deployed stack.
output() {
  node -e "console.log(require('$state/$1.json')['$1']['$2'])"
}

# The API id from the ApiUrl output (http://<id>.execute-api.localhost:<port>).
api_id() {
  sed -E 's#^https?://([a-z0-9]+)\.execute-api\..*#\1#' <<<"$(output "$1" ApiUrl)"
}

ensure_ministack
port="$(pick_port)"
export AWS_ENDPOINT_URL="http://127.0.0.1:${port}"
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test
export AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
export CDK_DEFAULT_ACCOUNT=000000000000 CDK_DEFAULT_REGION=us-east-1
unset AWS_PROFILE AWS_SESSION_TOKEN
# Nothing but the emulator: no CDK telemetry or notices from the internet.
export CDK_DISABLE_CLI_TELEMETRY=true
start_ministack "$port"
bootstrap
deploy "$STACK" -c security=open -c forceOpen=true
deploy "$SIGNED_STACK"
# Path-style address for the open stack; host-style for the signed one,
# whose signatures cover the path the function sees.
M2M_E2E_BASE_URL="http://127.0.0.1:${port}/_aws/execute-api/$(api_id "$STACK")/\$default"
M2M_E2E_TABLE_NAME="$(output "$STACK" TableName)"
M2M_E2E_SIGNED_API_HOST="$(api_id "$SIGNED_STACK").execute-api.localhost:${port}"
# The operator commands find the signed stack's table and keys themselves.
M2M_E2E_SIGNED_STACK="$SIGNED_STACK"
export M2M_E2E_BASE_URL M2M_E2E_TABLE_NAME M2M_E2E_SIGNED_API_HOST \
  M2M_E2E_SIGNED_STACK
log "running the end-to-end suite against ${M2M_E2E_BASE_URL}"
status=0
step 300 vitest run --config test/e2e/vitest.config.ts || status=$?
[ "$status" -ne 124 ] || log "the suite timed out after 300 s"
exit "$status"
