#!/usr/bin/env bash
# Make sure Debian's Chromium (and a font with Polish/Hungarian glyphs) is there for the
# browser tests. Playwright drives this browser; we never download one (`playwright install`
# cannot work on machines whose network reaches only the package registries).
set -euo pipefail

CHROMIUM=/usr/bin/chromium
FONT_PACKAGE=fonts-dejavu-core

have_font() { dpkg-query -W -f='${Status}' "$FONT_PACKAGE" 2>/dev/null | grep -q "ok installed"; }

if [ -x "$CHROMIUM" ] && { ! command -v dpkg-query >/dev/null || have_font; }; then
  exit 0
fi

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "ensure_chromium: installing Debian's chromium and $FONT_PACKAGE with apt-get"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium "$FONT_PACKAGE" >/dev/null
  "$CHROMIUM" --version
  exit 0
fi

if [ -x "$CHROMIUM" ]; then
  echo "ensure_chromium: $FONT_PACKAGE is missing; non-Latin text may render as boxes." >&2
  echo "  Install it with: sudo apt-get install -y $FONT_PACKAGE" >&2
  exit 0
fi

echo "ensure_chromium: $CHROMIUM is missing, so the browser tests cannot run." >&2
echo "  Install it with: sudo apt-get update && sudo apt-get install -y chromium $FONT_PACKAGE" >&2
if [ "${CI:-}" = true ]; then
  echo "ensure_chromium: CI=true, so this is an error (browser tests must not be skipped in CI)." >&2
  exit 1
fi
echo "ensure_chromium: carrying on; the browser tests will be skipped." >&2
