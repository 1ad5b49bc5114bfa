#!/usr/bin/env bash
# Set everything up, then run the test suite (real voice weights, no mocks).
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/bootstrap.sh
# The web page is tested in real headless Chromium (Debian's package, driven by Playwright).
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing chromium for the web page test ..." >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >&2
  else
    echo "warning: chromium is not installed and cannot be installed here; the page test will be skipped" >&2
  fi
fi
# Scale-out tests start a real Redis (Debian's redis-server) in network namespaces of their own.
if ! command -v redis-server >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing redis-server for the scale-out tests ..." >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server) >&2
  else
    echo "warning: redis-server is not installed and cannot be installed here; the scale-out test will be skipped" >&2
  fi
fi
exec .venv/bin/python -m pytest -q "$@"
