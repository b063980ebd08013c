#!/usr/bin/env bash
# A real Neovim (0.7, Debian's `neovim`) against the standalone language server:
# diagnostics, hover, a quick fix applied and completion, headless. See README.md next to this file.
#
#   bash test/editors/neovim/run.sh
#
# Env: UWSGI_NGINX_SERVER (default dist/server.js, built when missing), NVIM_TEST_TIMEOUT
# (seconds for the whole Neovim run, default 120). A test that cannot run is a failure.
set -u

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../../.." && pwd)"
cd "$ROOT" || exit 1

fail() {
	echo "neovim: FAILED: $*" >&2
	echo "neovim: 0 passed, 1 failed"
	exit 1
}

TMP="$(mktemp -d "${TMPDIR:-/tmp}/uwsgi-nginx-neovim.XXXXXX")" || fail "mktemp failed"
trap 'rm -rf "$TMP"' EXIT

# --- Neovim --------------------------------------------------------------------------------
if ! command -v nvim >/dev/null 2>&1; then
	command -v apt-get >/dev/null 2>&1 || fail "nvim is not installed and there is no apt-get: install Neovim 0.7 or newer"
	[ "$(id -u)" = 0 ] || fail "nvim is not installed; run as root so that apt-get can install Debian's neovim"
	echo "neovim: nvim missing, installing Debian's neovim with apt-get"
	apt-get -o DPkg::Lock::Timeout=600 update -qq >"$TMP/apt.log" 2>&1 || { cat "$TMP/apt.log" >&2; fail "apt-get update failed"; }
	DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends neovim >>"$TMP/apt.log" 2>&1 \
		|| { tail -n 30 "$TMP/apt.log" >&2; fail "apt-get install neovim failed"; }
	command -v nvim >/dev/null 2>&1 || fail "apt-get installed neovim but there is still no nvim on PATH"
fi
NVIM_VERSION="$(nvim --version 2>/dev/null | head -n 1)"
[ -n "$NVIM_VERSION" ] || fail "nvim --version printed nothing"

# --- the server ----------------------------------------------------------------------------
command -v node >/dev/null 2>&1 || fail "node is not installed (the server runs on Node.js 20+)"
SERVER="${UWSGI_NGINX_SERVER:-$ROOT/dist/server.js}"
if [ ! -f "$SERVER" ] && [ -z "${UWSGI_NGINX_SERVER:-}" ]; then
	echo "neovim: dist/server.js missing, building it with node esbuild.mjs"
	node esbuild.mjs || fail "node esbuild.mjs failed"
fi
[ -f "$SERVER" ] || fail "no server at $SERVER"
SERVER="$(cd "$(dirname "$SERVER")" && pwd)/$(basename "$SERVER")"

# --- a throwaway workspace and Neovim state ------------------------------------------------
WS="$TMP/workspace"
cp -R "$HERE/fixture" "$WS" || fail "cannot copy the fixture workspace"
mkdir -p "$TMP/xdg/config" "$TMP/xdg/cache" "$TMP/xdg/data" "$TMP/xdg/state"

echo "neovim: $NVIM_VERSION, server $SERVER, workspace $WS"

XDG_CONFIG_HOME="$TMP/xdg/config" XDG_CACHE_HOME="$TMP/xdg/cache" XDG_DATA_HOME="$TMP/xdg/data" XDG_STATE_HOME="$TMP/xdg/state" \
UWSGI_NGINX_SERVER="$SERVER" UWSGI_NGINX_WORKSPACE="$WS" \
	timeout -k 5 "${NVIM_TEST_TIMEOUT:-120}" \
	nvim --headless --clean -n -c "luafile test/editors/neovim/lsp_test.lua" "$WS/uwsgi.ini" \
	</dev/null >"$TMP/stdout" 2>"$TMP/stderr"
rc=$?

cat "$TMP/stdout"
passed="$(grep -c '^ok ' "$TMP/stdout")"
failed="$(grep -c '^FAIL ' "$TMP/stdout")"
problem=""
if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
	problem="nvim did not end within ${NVIM_TEST_TIMEOUT:-120} s and was killed"
elif ! grep -q '^lsp_test: finished' "$TMP/stdout"; then
	problem="the Lua script did not run to its end (nvim exit status $rc)"
elif [ "$rc" != 0 ] && [ "$failed" = 0 ]; then
	problem="nvim exited with status $rc although no check failed"
elif [ "$rc" = 0 ] && [ "$failed" != 0 ]; then
	problem="nvim exited with status 0 although $failed check(s) failed"
elif [ "$passed" = 0 ]; then
	problem="no check ran"
fi
if [ -n "$problem" ]; then
	echo "FAIL harness: $problem"
	failed=$((failed + 1))
fi

if [ "$failed" != 0 ]; then
	if [ -s "$TMP/stderr" ]; then
		echo "--- nvim stderr (last 40 lines)"
		tail -n 40 "$TMP/stderr"
		echo
	fi
	log="$(find "$TMP/xdg" -name lsp.log 2>/dev/null | head -n 1)"
	if [ -n "$log" ] && [ -s "$log" ]; then
		echo "--- $(basename "$log") (last 40 lines)"
		tail -n 40 "$log"
	fi
fi

echo "neovim: $passed passed, $failed failed"
[ "$failed" = 0 ]
