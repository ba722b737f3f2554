#!/usr/bin/env bash
# Make sure Debian's poppler-utils (pdfinfo, pdftotext, pdftoppm) is there: tests/test_pdf.py
# reads the PDFs journeywidgets writes with them (page sizes, extractable text, fonts).
set -euo pipefail

if command -v pdfinfo >/dev/null && command -v pdftotext >/dev/null && command -v pdftoppm >/dev/null; then
  exit 0
fi

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "ensure_poppler: installing Debian's poppler-utils with apt-get"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null
  pdfinfo -v 2>&1 | head -1
  exit 0
fi

echo "ensure_poppler: poppler-utils is missing, so the PDF tests cannot run." >&2
echo "  Install it with: sudo apt-get install -y poppler-utils" >&2
if [ "${CI:-}" = true ]; then
  echo "ensure_poppler: CI=true, so this is an error (PDF tests must not be skipped in CI)." >&2
  exit 1
fi
echo "ensure_poppler: carrying on; the PDF tests will be skipped." >&2
