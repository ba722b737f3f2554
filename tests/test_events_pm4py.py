"""jw.events against pm4py, the process-mining library, as a test oracle: on generated logs
(rework loops, steps back, activities outside the map, one-event cases, many same-instant
events) the variants and directly-follows counts of every engine equal pm4py's.

pm4py is AGPL-licensed, so it runs in its own environment (``.venv-oracle``, made by
``scripts/ensure_oracle.sh``, which ``make test`` runs) in a subprocess: it is never a
dependency of journeywidgets and never imported here."""

from __future__ import annotations

import json
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import journeywidgets as jw

ROOT = Path(__file__).resolve().parents[1]
ORACLE = ROOT / "tests" / "oracles" / "pm4py_counts.py"
ORACLE_PYTHON = ROOT / ".venv-oracle" / "bin" / "python"
C, A, T = "case:concept:name", "concept:name", "time:timestamp"


def logs() -> dict[str, pd.DataFrame]:
    m = jw.templates.it_laptop()
    # the default journey: rework, steps back, two activities outside the map
    usual = jw.events.synthetic(m, n_cases=2000, seed=8)
    # many drop off early: one-event cases, repeats
    short = jw.events.synthetic(m, n_cases=1500, seed=9, drop_off=0.35, repeat=0.2, back=0.1)
    # times to the day: many same-instant events in a case.  pm4py keeps such events in file
    # order, pandas too, DuckDB orders them by name: the file lists them by name
    ties = jw.events.synthetic(m, n_cases=1500, seed=10, repeat=0.15)
    ties[T] = ties[T].dt.floor("D")
    ties = ties.sort_values([C, T, A], kind="stable").reset_index(drop=True)
    # random paths over six activities: any order, any loop
    rng = np.random.default_rng(11)
    lengths = rng.integers(1, 9, size=800)
    case = np.repeat([f"r{i:03d}" for i in range(len(lengths))], lengths)
    minutes = np.concatenate([np.sort(rng.integers(0, 600, size=n)) for n in lengths])
    shuffled = pd.DataFrame(
        {
            C: case,
            A: rng.choice(["Web", "Call", "Visit", "Invoice", "Fax", "Chat"], size=len(case)),
            T: pd.Timestamp("2026-01-01", tz="UTC") + pd.to_timedelta(minutes, unit="min"),
        }
    ).sort_values([C, T, A], kind="stable")
    return {"usual": usual, "short": short, "ties": ties, "random": shuffled}


@pytest.fixture(scope="module")
def oracle(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[pd.DataFrame, Any]]:
    """Each log and pm4py's counts of it (one subprocess for all: pm4py imports slowly)."""
    assert ORACLE_PYTHON.exists(), (
        "pm4py's own environment is missing: run scripts/ensure_oracle.sh (make test does)"
    )
    folder = tmp_path_factory.mktemp("pm4py")
    found = logs()
    paths = []
    for name, log in found.items():
        paths.append(folder / f"{name}.csv")
        log[[C, A, T]].to_csv(paths[-1], index=False)
    done = subprocess.run(
        [str(ORACLE_PYTHON), str(ORACLE), *map(str, paths)],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    counted = json.loads(done.stdout.strip().splitlines()[-1])
    return {name: (log, c) for (name, log), c in zip(found.items(), counted, strict=True)}


def engines(log: pd.DataFrame) -> dict[str, Any]:
    relation = duckdb.from_arrow(pa.Table.from_pandas(log, preserve_index=False))
    return {
        "pandas": log,
        "duckdb": relation,
        # a prepared log reads its ordered events and variants from tables of its own
        "duckdb prepared": jw.events.prepare(relation),
    }


@pytest.mark.parametrize("name", ["usual", "short", "ties", "random"])
def test_variants_and_directly_follows_equal_pm4py(
    name: str, oracle: dict[str, tuple[pd.DataFrame, Any]]
) -> None:
    log, want = oracle[name]
    want_variants = {tuple(path): n for path, n in want["variants"]}
    want_pairs = {(a, b): n for a, b, n in want["dfg"]}
    # the logs have what the test is about
    assert len(want_variants) > 20
    assert any(len(set(path)) < len(path) for path in want_variants)  # loops
    if name == "short":
        assert any(len(path) == 1 for path in want_variants)
    if name == "ties":
        assert log.duplicated([C, T]).sum() > 500
    for engine, table in engines(log).items():
        variants = jw.events.variants(table)
        got = dict(zip(variants["path"], variants["cases"], strict=True))
        assert got == want_variants, engine
        pairs = jw.events.transitions(table)
        got_pairs = Counter(
            dict(
                zip(
                    zip(pairs["source_id"], pairs["target_id"], strict=True),
                    pairs["occurrences"],
                    strict=True,
                )
            )
        )
        assert got_pairs == Counter(want_pairs), engine
