#!/usr/bin/env bash
# Install the headless browser the browsing tests drive (tests/test_browser.py): Debian's
# chromium, used through Playwright's Python API with executable_path=/usr/bin/chromium
# (never `playwright install`, which downloads a browser build of its own).
# Idempotent: does nothing when /usr/bin/chromium is already there.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
    echo "chromium already installed: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
# Fonts too: without them a fresh machine renders screenshots in boxes.
$SUDO apt-get install -y --no-install-recommends chromium fonts-liberation fonts-dejavu-core
/usr/bin/chromium --version
