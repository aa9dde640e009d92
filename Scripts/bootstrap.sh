#!/usr/bin/env bash
# Installs what Hotline needs on a fresh Debian/Ubuntu machine (root or sudo):
# the C libraries (GSL, ICU, SQLite, zlib), pkg-config, and Chromium with CJK
# fonts (headless: `hotline brief --pdf` and the briefing PNG test). Swift itself must be
# on PATH (https://www.swift.org/install/linux/). Safe to run again.
set -euo pipefail

packages=(libgsl-dev libicu-dev libsqlite3-dev zlib1g-dev pkg-config chromium fonts-noto-cjk)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "bootstrap: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if ! command -v swift >/dev/null 2>&1; then
  echo "bootstrap: swift is not on PATH; install Swift 6.3 for Linux first" >&2
  exit 1
fi
