#!/usr/bin/env bash
# The test command: installs what is missing (npm packages, the Pulumi CLI), builds, lints, generates the API
# reference (which fails on an undocumented export), and runs every mocha suite, the end-to-end suites through the
# real Pulumi engine included.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/pulumi-env.sh

bash scripts/install-dependencies.sh
bash scripts/install-pulumi.sh
npm run --silent build
npm run --silent lint
npm run --silent docs
npx mocha "$@"
