#!/usr/bin/env bash
# Make the image base without an image registry: a minimal Debian bookworm root file system
# from Debian's own packages (debootstrap), imported into podman as localhost/huayin-base.
set -euo pipefail
rootfs=${1:-/var/tmp/huayin-rootfs}
if ! podman image exists localhost/huayin-base:bookworm; then
  command -v debootstrap >/dev/null || apt-get install -y -qq debootstrap
  [ -x "$rootfs/usr/bin/python3" ] || debootstrap --variant=minbase --include=python3,ca-certificates bookworm "$rootfs"
  tar -C "$rootfs" -c . | podman import - localhost/huayin-base:bookworm
fi
