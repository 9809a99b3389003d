#!/usr/bin/env bash
# Starts the local Atlas emulator in the foreground after installing and building what is missing.
# Arguments are passed to the emulator; `npm run emulator -- --help` lists them.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/install-dependencies.sh
npm run --silent build
exec node dist/emulator/main.js "$@"
