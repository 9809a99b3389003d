#!/usr/bin/env bash
# Makes the Pulumi CLI, the Node.js language host and the dynamic provider plugin available in .tools/bin.
# A pulumi of at least MIN_PULUMI_VERSION already on PATH (with its language host) is used as it is;
# otherwise both programs are built from Go modules, so nothing is downloaded but modules from the
# Go module proxy.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/pulumi-env.sh"

CLI_VERSION=3.248.0
# The Go module proxy does not serve the standalone language host module
# (github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3), so the host is built from
# github.com/pulumi/pulumi/sdk/v3 at 3.68.0, the last release that still contains it.
LANGUAGE_HOST_VERSION=3.68.0
MIN_PULUMI_VERSION=3.146.0
TOOLCHAIN_DIR="$ROOT_DIR/scripts/pulumi-toolchain"

version_at_least() {
  [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]
}

install_dynamic_provider_plugin() {
  local plugin="$ROOT_DIR/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs"
  if [ ! -f "$plugin" ]; then
    echo "install-pulumi: $plugin is missing; run npm ci first" >&2
    exit 1
  fi
  mkdir -p "$PULUMI_TOOLS_DIR"
  install -m 0755 "$plugin" "$PULUMI_TOOLS_DIR/pulumi-resource-pulumi-nodejs"
}

build_go_tool() {
  local module_dir="$1" package="$2" version="$3" output="$4"
  echo "install-pulumi: building $package at v$version"
  (
    cd "$module_dir"
    CGO_ENABLED=0 go build -trimpath -tags osusergo,grpcnotrace \
      -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$version" \
      -o "$output" "$package"
  )
}

install_dynamic_provider_plugin

# A pulumi installed by the user counts only with its Node.js language host beside it or on PATH.
outside_path="${PATH#"$PULUMI_TOOLS_DIR:"}"
existing="$(PATH="$outside_path" command -v pulumi || true)"
if [ -n "$existing" ]; then
  if [ -x "$(dirname "$existing")/pulumi-language-nodejs" ] || PATH="$outside_path" command -v pulumi-language-nodejs > /dev/null; then
    existing_version="$("$existing" version 2>/dev/null | sed 's/^v//')"
    if [ -n "$existing_version" ] && version_at_least "$existing_version" "$MIN_PULUMI_VERSION"; then
      echo "install-pulumi: using $existing (v$existing_version)"
      exit 0
    fi
  fi
fi

if [ -x "$PULUMI_TOOLS_DIR/pulumi" ] && [ "$("$PULUMI_TOOLS_DIR/pulumi" version 2>/dev/null)" = "v$CLI_VERSION" ] &&
  [ -x "$PULUMI_TOOLS_DIR/pulumi-language-nodejs" ]; then
  echo "install-pulumi: using $PULUMI_TOOLS_DIR/pulumi (v$CLI_VERSION)"
  exit 0
fi

if ! command -v go > /dev/null 2>&1; then
  echo "install-pulumi: no suitable pulumi on PATH and no Go toolchain to build one; install Go 1.25 or later" >&2
  exit 1
fi

mkdir -p "$PULUMI_TOOLS_DIR"
build_go_tool "$TOOLCHAIN_DIR/language-host" github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs \
  "$LANGUAGE_HOST_VERSION" "$PULUMI_TOOLS_DIR/pulumi-language-nodejs"
build_go_tool "$TOOLCHAIN_DIR/cli" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi "$CLI_VERSION" "$PULUMI_TOOLS_DIR/pulumi"
echo "install-pulumi: installed $("$PULUMI_TOOLS_DIR/pulumi" version) in $PULUMI_TOOLS_DIR"
