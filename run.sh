#!/usr/bin/env bash
# Quick start: set everything up, then serve the API and web page (default http://127.0.0.1:7860/).
# Extra arguments go to `huayin serve`, e.g. ./run.sh --host 0.0.0.0 --port 8000
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/bootstrap.sh
exec .venv/bin/huayin serve "$@"
