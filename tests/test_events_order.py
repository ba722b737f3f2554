"""The pandas fast paths order events exactly as the three-key sort they replace."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from journeywidgets.events.log import event_order


def frame(seconds: np.ndarray, ties: np.ndarray, cases: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame({"_case": cases, "_sec": seconds, "_tie": ties})


@pytest.mark.parametrize(
    "kind", ["milliseconds", "sub-millisecond", "ties out of row order", "wide span"]
)
def test_event_order_equals_lexsort(kind: str) -> None:
    rng = np.random.default_rng(5)
    n = 5_000
    cases = rng.integers(0, 300, n)
    # few distinct times, so that many events of one case share an instant
    seconds = rng.integers(1_700_000_000_000, 1_700_000_000_050, n) / 1e3
    ties = np.arange(n)
    if kind == "sub-millisecond":
        seconds = seconds + rng.integers(0, 2, n) * 1e-4
    elif kind == "ties out of row order":
        ties = rng.permutation(n)
    elif kind == "wide span":
        seconds[0] = -9e15  # a key that does not fit 62 bits: the lexsort fallback
    codes, _ = pd.factorize(pd.Series(cases))
    got = event_order(frame(seconds, ties, cases), codes)
    want = np.lexsort((ties, seconds, codes))
    np.testing.assert_array_equal(got, want)


def test_variants_listed_by_cases_then_text_as_python_sorts() -> None:
    from journeywidgets.events.paths import _by_cases_and_text

    rng = np.random.default_rng(3)
    words = ["web", "Web", "call", "Café", "café", "ça", "z", "Z b", "Z", "é"]
    texts = [" → ".join(rng.choice(words, rng.integers(1, 4))) for _ in range(400)]
    cases = rng.integers(1, 4, len(texts))
    want = sorted(range(len(texts)), key=lambda i: (-cases[i], texts[i]))
    got = _by_cases_and_text(cases, texts)
    assert [(cases[i], texts[i]) for i in got] == [(cases[i], texts[i]) for i in want]


@pytest.mark.parametrize("kind", ["milliseconds", "any seconds"])
def test_group_quantiles_equal_pandas(kind: str) -> None:
    from journeywidgets.events.log import group_quantiles

    rng = np.random.default_rng(8)
    keys = rng.integers(0, 40, 3_000)
    values = rng.integers(0, 5_000_000, 3_000) / 1e3  # whole milliseconds, in seconds
    if kind == "any seconds":
        values = values + rng.random(3_000) * 1e-4
    quantiles = {"p25": 0.25, "p50": 0.5, "p90": 0.9}
    got = group_quantiles(keys, values, quantiles, 50)
    grouped = pd.Series(values).groupby(keys)
    want = pd.DataFrame({name: grouped.quantile(q) for name, q in quantiles.items()})
    pd.testing.assert_frame_equal(got, want, check_names=False, check_index_type=False)


def test_firsts_mark_each_case_first_event_with_a_key() -> None:
    from journeywidgets.events.log import firsts

    rng = np.random.default_rng(9)
    cases = np.sort(rng.integers(0, 200, 4_000))
    keys = rng.integers(0, 30, 4_000)
    want = ~pd.Series(cases * 30 + keys).duplicated().to_numpy()
    np.testing.assert_array_equal(firsts(cases, keys, 30), want)
    assert firsts(cases[:0], keys[:0], 30).shape == (0,)
