#!/usr/bin/env bash
# Every check of `make test`, in order (run it through make, which builds first). A failing
# check does not stop the others, so one run shows every problem; the exit status is non-zero
# when any failed. On success pytest's summary is the last line printed.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

BIN=.venv/bin
CHROMIUM=/usr/bin/chromium
failed=()

run() {
  echo
  echo "==> $*"
  local start=$SECONDS
  if "$@"; then
    echo "<== ok in $((SECONDS - start))s: $*"
  else
    echo "<== FAILED in $((SECONDS - start))s: $*"
    failed+=("$*")
  fi
}

run scripts/ensure_chromium.sh
run scripts/ensure_poppler.sh
run scripts/ensure_oracle.sh
run "$BIN/ruff" check .
run "$BIN/ruff" format --check .
run "$BIN/mypy"
run npm --prefix js run --silent typecheck
# Biome: lint and format check of the front end (js/biome.jsonc).
run npm --prefix js run --silent lint
if [ -x "$CHROMIUM" ]; then
  run npm --prefix js test
else
  echo "SKIPPED: vitest browser tests ($CHROMIUM is missing; see scripts/ensure_chromium.sh)"
fi
# Last, so its summary closes the output. Two workers (the machines have two cores): the
# browser tests mostly wait on Jupyter and Chromium, so this halves the wall time; loadfile
# keeps each module's Jupyter server in one worker.
run "$BIN/pytest" -n 2 --dist loadfile --durations=15

if [ ${#failed[@]} -gt 0 ]; then
  echo
  echo "make test: ${#failed[@]} check(s) failed:"
  printf '  %s\n' "${failed[@]}"
  exit 1
fi
