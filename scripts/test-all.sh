#!/usr/bin/env bash
# Installs what the tests need (Debian packages when missing, npm packages) and runs every test:
# unit, data generator, LSP-level, CLI, grammar, and the packaged .vsix check.
# Usage: bash scripts/test-all.sh   (the README's test command; .ci/run runs it)
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages for the real-stack tests: nginx, uWSGI with Python 3, Django.
APT_PACKAGES=(nginx-core libnginx-mod-http-js libnginx-mod-stream-js uwsgi uwsgi-plugin-python3 python3-django openssl)
missing=()
for p in "${APT_PACKAGES[@]}"; do
	dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
	if [ "$(id -u)" -ne 0 ]; then
		echo "test-all: these Debian packages are missing and installing them needs root: ${missing[*]}" >&2
		exit 1
	fi
	echo "test-all: installing ${missing[*]}"
	# keep package scripts from starting system services (nginx on port 80) during the install
	policy=/usr/sbin/policy-rc.d
	created_policy=0
	if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' >"$policy"; chmod +x "$policy"; created_policy=1; fi
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
	if [ "$created_policy" = 1 ]; then rm -f "$policy"; fi
fi

npm ci --no-audit --no-fund
npm test
npm run test:integration
npm run test:robustness
npm run package
node --test out/test/package
