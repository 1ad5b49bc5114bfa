#!/usr/bin/env bash
# Set everything up, then run the test suite (real voice weights, no mocks).
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/bootstrap.sh
exec .venv/bin/python -m pytest -q "$@"
