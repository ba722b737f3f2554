#!/usr/bin/env bash
# Make sure pm4py is there as a test oracle, in an environment of its own (.venv-oracle):
# tests/test_events_pm4py.py runs it in a subprocess on generated event logs and compares its
# variants and directly-follows counts with journeywidgets'. pm4py is AGPL-licensed, so it is
# never a dependency of journeywidgets (not even an optional or a development one) and never
# imported by the tests' own process. Re-installs only when tests/oracles/requirements.txt
# changes.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

ORACLE=.venv-oracle
REQUIREMENTS=tests/oracles/requirements.txt
STAMP=$ORACLE/.installed-requirements.txt

if [ -x "$ORACLE/bin/python" ] && cmp -s "$REQUIREMENTS" "$STAMP"; then
  exit 0
fi
echo "ensure_oracle: installing pm4py (test oracle only) into $ORACLE"
"${PYTHON:-python3}" -m venv "$ORACLE"
"$ORACLE/bin/python" -m pip install --quiet --upgrade pip
"$ORACLE/bin/python" -m pip install --quiet -r "$REQUIREMENTS"
cp "$REQUIREMENTS" "$STAMP"
