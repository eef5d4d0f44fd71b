#!/usr/bin/env bash
# The end-to-end tier: deploys the stack to MiniStack on 127.0.0.1 and runs
# the end-to-end suite against its HTTP API.
#
# 1. installs MiniStack (PyPI, pinned) into the git-ignored .venv,
# 2. starts it bound to 127.0.0.1 only, logging to .ministack/ministack.log,
# 3. bootstraps and deploys the stack twice, open and signed, with dummy
#    credentials, every AWS call aimed at the emulator (AWS_ENDPOINT_URL),
# 4. runs test/e2e against the two emulated APIs,
# 5. stops MiniStack by its process id when the script exits.
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

log() { echo "e2e: $*" >&2; }

ensure_ministack() {
  local installed=''
  if [ -x "$venv/bin/pip" ]; then
    installed="$("$venv/bin/pip" show ministack 2>/dev/null || true)"
  fi
  if grep -qx "Version: ${MINISTACK_VERSION}" <<<"$installed"; then
    return
  fi
  log "installing ministack==${MINISTACK_VERSION} into .venv"
  [ -x "$venv/bin/pip" ] || python3 -m venv --clear "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check \
    "ministack==${MINISTACK_VERSION}"
}

# 4566 when free, else a free port the kernel picks, on loopback.
pick_port() {
  "$venv/bin/python" - "${M2M_E2E_PORT:-4566}" <<'PY'
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
stop_ministack() {
  if [ -n "$ministack_pid" ] && kill -0 "$ministack_pid" 2>/dev/null; then
    log "stopping MiniStack (pid $ministack_pid)"
    kill "$ministack_pid"
    wait "$ministack_pid" 2>/dev/null || true
  fi
}

start_ministack() {
  local port="$1"
  log "starting MiniStack on 127.0.0.1:${port} (log: .ministack/ministack.log)"
  # BIND_HOST keeps every listener on loopback; the default is 0.0.0.0.
  BIND_HOST=127.0.0.1 GATEWAY_PORT="$port" MINISTACK_HOST=localhost \
    LAMBDA_EXECUTOR=local AUTH="${M2M_E2E_AUTH:-false}" \
    "$venv/bin/ministack" >"$state/ministack.log" 2>&1 &
  ministack_pid=$!
  trap stop_ministack EXIT
  for _ in $(seq 1 60); do
    if curl -fsS "http://127.0.0.1:${port}/_ministack/health" >/dev/null 2>&1; then
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

# deploy STACK [-c name=value ...]: one stack of the app, outputs in
# .ministack/<stack>.json.
deploy() {
  local stack="$1"
  shift
  log "deploying ${stack}"
  (cd "$root" && cdk deploy "$stack" --output "$state/cdk.out.$stack" \
    -c stackName="$stack" -c deletionProtection=false \
    -c cliCredentials=true "$@" \
    --require-approval never --outputs-file "$state/$stack.json" \
    >"$state/deploy-$stack.log" 2>&1) ||
    { tail -40 "$state/deploy-$stack.log" >&2; exit 1; }
}

bootstrap() {
  log "bootstrapping the emulated account"
  (cd "$root" && cdk bootstrap aws://000000000000/us-east-1 \
    --output "$state/cdk.out" >"$state/bootstrap.log" 2>&1) ||
    { tail -20 "$state/bootstrap.log" >&2; exit 1; }
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
start_ministack "$port"
bootstrap
deploy "$STACK" -c security=open -c forceOpen=true
deploy "$SIGNED_STACK"
# Path-style address for the open stack; host-style for the signed one,
# whose signatures cover the path the function sees.
M2M_E2E_BASE_URL="http://127.0.0.1:${port}/_aws/execute-api/$(api_id "$STACK")/\$default"
M2M_E2E_TABLE_NAME="$(output "$STACK" TableName)"
M2M_E2E_SIGNED_API_HOST="$(api_id "$SIGNED_STACK").execute-api.localhost:${port}"
M2M_E2E_SIGNED_TABLE_NAME="$(output "$SIGNED_STACK" TableName)"
M2M_E2E_SIGNED_ENROLLMENT_KEY="$(output "$SIGNED_STACK" EnrollmentKeyAlias)"
M2M_E2E_SIGNED_REGISTRATION_KEY="$(output "$SIGNED_STACK" RegistrationKeyAlias)"
export M2M_E2E_BASE_URL M2M_E2E_TABLE_NAME M2M_E2E_SIGNED_API_HOST \
  M2M_E2E_SIGNED_TABLE_NAME M2M_E2E_SIGNED_ENROLLMENT_KEY \
  M2M_E2E_SIGNED_REGISTRATION_KEY
log "running the end-to-end suite against ${M2M_E2E_BASE_URL}"
cd "$root" && vitest run --config test/e2e/vitest.config.ts
