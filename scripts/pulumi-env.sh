# Sourced by the other scripts: puts the project's Pulumi toolchain first on PATH and turns off
# everything in the Pulumi CLI that would reach the network.
ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PULUMI_TOOLS_DIR="$ROOT_DIR/.tools/bin"
export PATH="$PULUMI_TOOLS_DIR:$PATH"
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
export PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK=true
