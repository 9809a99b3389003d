#!/usr/bin/env bash
# The benchmark command: installs what is missing (npm packages, the Pulumi CLI), builds, and measures the package
# through the real Pulumi engine against a local Atlas emulator. `--quick` measures 1 and 10 links, the default 1, 10
# and 50. Writes bench/results.json and docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/pulumi-env.sh

bash scripts/install-dependencies.sh
bash scripts/install-pulumi.sh
npm run --silent build
node dist/bench/main.js "$@"
