#!/usr/bin/env bash
# Quick start: set everything up, then speak a demo sentence into out/demo.wav.
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/bootstrap.sh
mkdir -p out
.venv/bin/huayin say "你好，欢迎使用华音！这是一个完全离线运行的中文语音合成系统，今天是2026年11月22日。" -o out/demo.wav
echo "demo audio: $(pwd)/out/demo.wav"
