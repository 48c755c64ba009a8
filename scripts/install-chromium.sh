#!/bin/sh
# `make test` runs this first: the browser tests drive Debian's chromium. Install it when it is
# missing and we may (root, apt-get available, MONITORA_INSTALL_CHROMIUM not 0), as CI (.ci/run)
# does. Never fails: without Chromium the browser tests are skipped with one line saying why.
[ -n "${CHROMIUM_PATH:-}" ] && exit 0              # an explicit Chromium: used (or skipped) as is
command -v chromium >/dev/null 2>&1 && exit 0
[ "${MONITORA_INSTALL_CHROMIUM:-1}" = "0" ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests (MONITORA_INSTALL_CHROMIUM=0 to skip)..."
  if (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null 2>&1; then
    exit 0
  fi
  echo "Could not install chromium: the browser tests will be skipped."
fi
exit 0
