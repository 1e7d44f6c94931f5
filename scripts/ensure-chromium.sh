#!/usr/bin/env bash
# The browser tests drive Debian's chromium (never a downloaded browser). Installs it when missing:
# as root with apt-get (CI), otherwise with sudo if it needs no password; else says what to run.
set -euo pipefail
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] && exit 0
echo "chromium is missing: installing Debian's chromium for the browser tests" >&2
if [ "$(id -u)" = 0 ]; then SUDO=(); elif sudo -n true 2>/dev/null; then SUDO=(sudo -n); else
  echo "cannot install chromium without root: run  sudo apt-get install -y chromium  and test again" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends chromium >/dev/null
[ -x "$CHROMIUM" ] || { echo "apt-get installed no $CHROMIUM" >&2; exit 1; }
