#!/usr/bin/env bash
# Set everything up, idempotently: .venv (Python >= 3.11), huayin + test tools, voice packs.
# Sourced by ../run.sh and ../test.sh; safe to run again (does only what is missing).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "huayin needs Python >= 3.11 (found: $("$PYTHON" --version 2>&1)); set PYTHON=/path/to/python3.11" >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  echo "creating .venv ..." >&2
  "$PYTHON" -m venv .venv
fi
# Reinstall only when the project definition changed since the last install.
stamp=.venv/.huayin-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || ! .venv/bin/python -c 'import huayin' 2>/dev/null; then
  echo "installing huayin into .venv ..." >&2
  .venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test]"
  touch "$stamp"
fi
.venv/bin/huayin voices install all >&2
