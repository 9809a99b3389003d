#!/usr/bin/env bash
# The main job: runs the example program in Pulumi.yaml against a local Atlas emulator with the real
# Pulumi CLI (up, stack outputs, refresh, destroy), then stops the emulator. Exits non-zero on any failure.
# State goes to a local file backend in .pulumi-state/ unless PULUMI_BACKEND_URL is already set.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/pulumi-env.sh

bash scripts/install-dependencies.sh
bash scripts/install-pulumi.sh
npm run --silent build

STATE_DIR="$ROOT_DIR/.pulumi-state"
mkdir -p "$STATE_DIR"
export PULUMI_BACKEND_URL="${PULUMI_BACKEND_URL:-file://$STATE_DIR}"
export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE:-demo-passphrase}"
STACK="${DEMO_STACK:-demo}"
CONFIG_FILE="$STATE_DIR/Pulumi.$STACK.yaml"
READY_FILE="$STATE_DIR/emulator.json"
EMULATOR_LOG="$STATE_DIR/emulator.log"

rm -f "$READY_FILE"
node dist/emulator/main.js --ready-file "$READY_FILE" > "$EMULATOR_LOG" 2>&1 &
EMULATOR_PID=$!
cleanup() {
  kill "$EMULATOR_PID" 2> /dev/null || true
  wait "$EMULATOR_PID" 2> /dev/null || true
}
trap cleanup EXIT

for _ in $(seq 1 100); do
  [ -s "$READY_FILE" ] && break
  if ! kill -0 "$EMULATOR_PID" 2> /dev/null; then
    echo "demo: the Atlas emulator exited; its log follows" >&2
    cat "$EMULATOR_LOG" >&2
    exit 1
  fi
  sleep 0.1
done
if [ ! -s "$READY_FILE" ]; then
  echo "demo: the Atlas emulator did not start within 10 s; see $EMULATOR_LOG" >&2
  exit 1
fi

read_ready() { node -e "process.stdout.write(String(require(process.argv[1])[process.argv[2]]))" "$READY_FILE" "$1"; }
BASE_URL="$(read_ready baseUrl)"
echo "demo: Atlas emulator at $BASE_URL (log: $EMULATOR_LOG)"

pulumi stack select --create "$STACK" --non-interactive
config() { pulumi config set --config-file "$CONFIG_FILE" --stack "$STACK" "$@"; }
config mongodbatlas:baseUrl "$BASE_URL"
config --secret mongodbatlas:publicKey "$(read_ready publicKey)"
config --secret mongodbatlas:privateKey "$(read_ready privateKey)"
config projectId "$(read_ready projectId)"
config region us-east-1
# No AWS provider can run here, so the example links an existing VPC endpoint id instead of creating one.
config vpcEndpointId vpce-0a1b2c3d4e5f60718

pulumi up --yes --skip-preview --config-file "$CONFIG_FILE" --stack "$STACK" --non-interactive
echo "demo: stack outputs"
pulumi stack output --stack "$STACK" --json
pulumi refresh --yes --skip-preview --config-file "$CONFIG_FILE" --stack "$STACK" --non-interactive
pulumi destroy --yes --skip-preview --config-file "$CONFIG_FILE" --stack "$STACK" --non-interactive
pulumi stack rm --yes "$STACK" --non-interactive
echo "demo: done"
