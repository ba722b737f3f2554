"""Tidy tables: map -> tables -> map is lossless; maps from tables and flat spreadsheets;
CSV and Excel files; bad tables give one error naming every row and column at fault."""

from __future__ import annotations

import json
import math
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings

import journeywidgets as jw
from frames_strategies import EXCEL_SAFE, maps
from journeywidgets import frames
from journeywidgets.errors import TableError

TEMPLATES = sorted(jw.templates.list_templates())
SLOW = [HealthCheck.too_slow]


def demo_map() -> jw.JourneyMap:
    m = jw.JourneyMap("Buying electricity", scale=(-3, 3), labels={"pl": "Kupuję prąd"})
    m.add_persona("Anna", id="anna", goals=("Cheap power", "No surprises"))
    m.set(persona="anna")
    m.add_stage("I want electricity", id="want")
    m.add_stage("I use and pay", id="use")
    m.add_lane("Actions", kind="actions")
    m.add_lane("Emotions", kind="emotions")
    m.add_touchpoint("Advert", id="ad", stage="want", emotion=1, channel="TV")
    m.add_touchpoint("Website", id="web", stage="want", emotion=-1, metrics={"csat": 3.5})
    m.add_touchpoint("Invoice", id="invoice", stage="use", emotion=-2)
    m.update("invoice", measured={"emotion": -1.5, "low": -2, "high": -1, "n": 120})
    m.add_card("Sees the advert", touchpoint="ad", lane="actions")
    m.add_card("Compares tariffs", touchpoint="web", lane="actions", tags=("web", "price"))
    m.add_card("Confused", touchpoint="web", lane="emotions", impact=4, effort=2)
    m.add_card("Reads the invoice", touchpoint="invoice", lane="actions", index=0)
    return m


# ---------------------------------------------------------------------------- round trips
@given(maps())
@settings(max_examples=100, deadline=None, suppress_health_check=SLOW)
def test_map_tables_map_is_lossless(m: jw.JourneyMap) -> None:
    tables = frames.to_dataframes(m)
    back = frames.from_dataframes(tables)
    assert back.to_dict() == m.to_dict()
    # and the tables of the copy are the same tables
    again = frames.to_dataframes(back)
    for name, table in tables.items():
        pd.testing.assert_frame_equal(again[name], table)


@given(maps())
@settings(max_examples=30, deadline=None, suppress_health_check=SLOW)
def test_csv_files_round_trip(m: jw.JourneyMap) -> None:
    with tempfile.TemporaryDirectory() as folder:
        frames.write_csv(m, folder)
        assert frames.read_csv(folder).to_dict() == m.to_dict()


@given(maps(alphabet=EXCEL_SAFE, max_cards=5, largest=1e300))
@settings(max_examples=12, deadline=None, suppress_health_check=SLOW)
def test_excel_round_trip(m: jw.JourneyMap) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "map.xlsx"
        frames.write_excel(m, path)
        # Excel (openpyxl) keeps 16 significant digits of a number, not the 17 a float needs
        assert_same(frames.read_excel(path).to_dict(), m.to_dict())


def assert_same(got: Any, want: Any, rel: float = 1e-15) -> None:
    """Equal, with floats equal to ``rel`` relative precision."""
    if isinstance(want, float) and isinstance(got, float):
        assert math.isclose(got, want, rel_tol=rel), (got, want)
    elif isinstance(want, dict):
        assert isinstance(got, dict), (got, want)
        assert got.keys() == want.keys(), (got, want)
        for key in want:
            assert_same(got[key], want[key], rel)
    elif isinstance(want, list):
        assert isinstance(got, list), (got, want)
        assert len(got) == len(want), (got, want)
        for g, w in zip(got, want, strict=True):
            assert_same(g, w, rel)
    else:
        assert got == want


@pytest.mark.parametrize("name", TEMPLATES)
def test_templates_round_trip_through_every_format(name: str, tmp_path: Path) -> None:
    m = jw.templates.load_template(name)
    assert jw.JourneyMap.from_dataframes(frames.to_dataframes(m)) == m
    frames.write_csv(m, tmp_path / "csv")
    assert frames.read_csv(tmp_path / "csv") == m
    frames.write_excel(m, tmp_path / "map.xlsx")
    assert frames.read_excel(tmp_path / "map.xlsx") == m


def test_polars_and_arrow_tables_are_read_too() -> None:
    import polars as pl
    import pyarrow as pa

    m = demo_map()
    tables = frames.to_dataframes(m)
    flat = {k: v for k, v in tables.items() if k in ("stages", "lanes")}
    as_polars = {k: pl.from_pandas(v) for k, v in flat.items()}
    as_arrow = {k: pa.Table.from_pandas(v) for k, v in flat.items()}
    for other in (as_polars, as_arrow):
        back = frames.from_dataframes(other)
        assert [s.id for s in back.stages] == ["want", "use"]
        assert [(lane.id, lane.kind) for lane in back.lanes] == [
            ("actions", "actions"),
            ("emotions", "emotions"),
        ]


# ---------------------------------------------------------------------------- table shapes
def test_tables_are_tidy_with_ids_and_order() -> None:
    m = demo_map()
    t = frames.to_dataframes(m)
    assert list(t) == ["map", "personas", "stages", "touchpoints", "lanes", "cards"]
    assert len(t["map"]) == 1
    assert t["map"].loc[0, "persona"] == "anna"
    assert (t["map"].loc[0, "scale_min"], t["map"].loc[0, "scale_max"]) == (-3, 3)
    tps = t["touchpoints"]
    assert tps["id"].tolist() == ["ad", "web", "invoice"]
    assert tps["stage"].tolist() == ["want", "want", "use"]
    assert tps["position"].tolist() == [0, 1, 0]
    assert tps["order"].tolist() == [0, 1, 2]
    assert tps["emotion"].tolist() == [1.0, -1.0, -2.0]
    assert tps.loc[2, "measured_emotion"] == -1.5
    assert tps.loc[2, "measured_n"] == 120
    assert tps["measured_emotion"].isna().tolist() == [True, True, False]
    assert tps.loc[1, "metrics"] == {"csat": 3.5}
    cards = t["cards"]
    # the invoice card was inserted first in its cell; card order follows the map
    assert cards["id"].tolist() == ["card_1", "card_2", "card_3", "card_4"]
    assert cards.loc[1, "tags"] == ["web", "price"]
    assert cards["impact"].dtype == "Int64"
    assert pd.isna(cards.loc[0, "impact"])
    assert all(c == c.lower() and " " not in c for name in t for c in t[name].columns)


def test_cells_view_is_long_and_counts_empty_cells() -> None:
    m = demo_map()
    cells = m.to_dataframe("cells")
    # 3 touchpoints x 2 lanes = 6 cells; the web/actions and web/emotions cells hold a card
    # each, 3 cells are empty and still have a row
    assert len(cells) == 6
    counts = cells.groupby(["touchpoint", "lane"], sort=False).card.count()
    assert counts.to_dict() == {
        ("ad", "actions"): 1,
        ("ad", "emotions"): 0,
        ("web", "actions"): 1,
        ("web", "emotions"): 1,
        ("invoice", "actions"): 1,
        ("invoice", "emotions"): 0,
    }
    row = cells[cells.card == "card_3"].iloc[0]
    assert (row.stage_name, row.touchpoint_name, row.lane_kind) == (
        "I want electricity",
        "Website",
        "emotions",
    )
    assert bool(row.quick_win) is True


def test_unknown_table_name_is_named() -> None:
    with pytest.raises(TableError, match=r"no table 'card'.*did you mean 'cards'"):
        frames.to_dataframe(demo_map(), "card")


# ---------------------------------------------------------------------------- tables -> map
def test_hand_typed_tables_get_stable_ids_and_name_references() -> None:
    tables = {
        "map": pd.DataFrame({"title": ["Hand typed"], "scale_min": [1], "scale_max": [5]}),
        "stages": pd.DataFrame({"name": ["I want electricity", "I use and pay"]}),
        "touchpoints": pd.DataFrame(
            {
                "stage": ["I want electricity", "i_use_and_pay", "I want electricity"],
                "name": ["Website", "Invoice", "Call centre"],
                "emotion": [4, 1, np.nan],
                "position": [1, 0, 0],
            }
        ),
        "lanes": pd.DataFrame({"name": ["Does", "Own lane"], "kind": ["actions", None]}),
        "cards": pd.DataFrame(
            {
                "touchpoint": ["Website", "invoice"],
                "lane": ["Does", "own_lane"],
                "text": ["Looks", "Pays"],
                "tags": ["price; web", '["bill"]'],
            }
        ),
    }
    first = frames.from_dataframes(tables)
    assert first == frames.from_dataframes(tables)  # stable: same tables, same ids
    assert first.title == "Hand typed"
    assert (first.scale.min, first.scale.neutral) == (1, 1)
    assert [s.id for s in first.stages] == ["i_want_electricity", "i_use_and_pay"]
    # position orders touchpoints within their stage
    assert [t.id for t in first.touchpoints] == ["call_centre", "website", "invoice"]
    assert first["call_centre"].emotion is None
    assert [(lane.id, lane.kind) for lane in first.lanes] == [
        ("actions", "actions"),
        ("own_lane", "custom"),
    ]
    assert [(c.id, c.touchpoint, c.lane, c.tags) for c in first.cards] == [
        ("card_1", "website", "actions", ("price", "web")),
        ("card_2", "invoice", "own_lane", ("bill",)),
    ]


def test_order_column_orders_rows() -> None:
    stages = pd.DataFrame({"id": ["b", "a", "c"], "name": ["B", "A", "C"], "order": [1, 0, 2]})
    assert [s.id for s in frames.from_dataframes({"stages": stages}).stages] == ["a", "b", "c"]


def test_cards_are_placed_by_position_then_order_then_row() -> None:
    m = demo_map()
    tables = frames.to_dataframes(m)
    cards = pd.DataFrame(
        {
            "id": ["c1", "c2", "c3", "c4", "c5"],
            "touchpoint": ["web", "web", "web", "ad", "web"],
            "lane": ["actions"] * 5,
            "text": ["one", "two", "three", "four", "five"],
            "position": [2, None, 0, 5, 0],
            "order": [None, 0, 9, 0, 1],
        }
    )
    built = frames.from_dataframes({**tables, "cards": cards})
    # position first; equal positions by order; no position goes last
    assert [c.id for c in built.cards_in("web", "actions")] == ["c5", "c3", "c1", "c2"]
    assert [c.id for c in built.cards_in("ad", "actions")] == ["c4"]


def test_blank_ids_are_generated_whatever_the_column_type() -> None:
    for dtype in ("string", "str", object):
        stages = pd.DataFrame(
            {"id": pd.Series(["", "want", None, "  "], dtype=dtype), "name": list("ABCD")}
        )
        built = frames.from_dataframes({"stages": stages})
        ids = [s.id for s in built.stages]
        assert ids == ["a", "want", "c", "d"], dtype


def test_entities_without_labels_share_nothing_a_user_can_change() -> None:
    m = demo_map()
    tables = frames.to_dataframes(m)
    built = frames.from_dataframes(tables)
    first, second = built.cards[0], built.cards[1]
    assert first.labels == {}
    assert second.labels == {}
    with pytest.raises(TypeError, match="read-only"):
        first.labels["pl"] = "x"  # type: ignore[index]
    built.update(first.id, labels={"pl": "Widzi reklamę"})
    assert built[first.id].labels == {"pl": "Widzi reklamę"}
    assert built[second.id].labels == {}
    assert jw.JourneyMap("x").info.metadata == {}


def problems_of(excinfo: pytest.ExceptionInfo[TableError]) -> list[str]:
    return [str(p) for p in excinfo.value.problems]


def test_bad_tables_give_one_error_listing_every_problem() -> None:
    tables = {
        "map": pd.DataFrame({"title": ["Bad"], "scale_min": [-2], "scale_max": [2]}),
        "stages": pd.DataFrame({"id": ["want", "use", "want"], "name": ["Want", "Use", None]}),
        "touchpoints": pd.DataFrame(
            {
                "id": ["ad", "web", "use"],
                "stage": ["want", "wnat", "use"],
                "name": ["Advert", None, "Clash"],
                "emotion": [1, 3, "bad"],
                "chanel": ["TV", "web", "post"],
            }
        ),
        "lanes": pd.DataFrame({"id": ["actions"], "name": ["Actions"], "kind": ["actoins"]}),
        "cards": pd.DataFrame(
            {
                "touchpoint": ["ad", "nowhere"],
                "lane": ["actions", "actions"],
                "text": ["ok", "lost"],
                "impact": [9, "high"],
            }
        ),
    }
    with pytest.raises(TableError) as excinfo:
        frames.from_dataframes(tables)
    found = problems_of(excinfo)
    text = str(excinfo.value)
    assert text.startswith(f"cannot build a map from these tables ({len(found)} problems):")
    expected = [
        "touchpoints table, column 'chanel': unknown column (did you mean 'channel'?)",
        "touchpoints row 2, column 'emotion': 'bad' is not a number",
        "stages row 2, column 'id': 'want' is already the id of stages row 0",
        "touchpoints row 2, column 'id': 'use' is already the id of stages row 1",
        "touchpoints row 1, column 'stage': 'wnat' is not a stage of this map "
        "(did you mean 'want'?)",
        "cards row 1, column 'touchpoint': 'nowhere' is not a touchpoint of this map",
        "touchpoints row 1, column 'name': missing value (required)",
        "cards row 0, column 'impact': Input should be less than or equal to 5",
        "cards row 1, column 'impact': 'high' is not a number",
        "touchpoints row 1, column 'emotion': 3 is outside the map's scale [-2, 2]",
    ]
    for line in expected:
        assert line in found, (line, found)
    assert any(p.startswith("lanes row 0, column 'kind': Input should be") for p in found)
    # each problem is on its own line of the message
    assert all(f"  - {p}" in text.splitlines() for p in found)
    # the error carries the structured problems too
    assert {p.field for p in excinfo.value.problems} >= {"chanel", "emotion", "id", "stage"}


def test_missing_required_column_gets_a_hint_and_no_row_noise() -> None:
    with pytest.raises(TableError) as excinfo:
        frames.from_dataframes({"cards": pd.DataFrame({"txt": ["a"], "touchpoint": ["t"]})})
    assert problems_of(excinfo) == [
        "cards table, column 'text': missing required column (did you mean 'txt'?)",
        "cards table, column 'lane': missing required column",
        "cards table, column 'txt': unknown column (did you mean 'text'?)",
        "cards row 0, column 'touchpoint': 't' is not a touchpoint of this map",
    ]


def test_extra_columns_can_be_ignored() -> None:
    stages = pd.DataFrame({"name": ["A"], "notes": ["ours"]})
    with pytest.raises(TableError, match="column 'notes': unknown column"):
        frames.from_dataframes({"stages": stages})
    assert [s.name for s in frames.from_dataframes({"stages": stages}, extra="ignore").stages] == [
        "A"
    ]


def test_map_table_must_have_one_row_and_a_valid_scale() -> None:
    two = pd.DataFrame({"title": ["a", "b"]})
    with pytest.raises(TableError, match="map table: has 2 rows; it needs exactly one"):
        frames.from_dataframes({"map": two})
    bad_scale = pd.DataFrame({"scale_min": [3], "scale_max": [1], "kind": ["client"]})
    with pytest.raises(TableError) as excinfo:
        frames.from_dataframes({"map": bad_scale})
    found = problems_of(excinfo)
    assert any("column 'scale_min'" in p and "must be below max" in p for p in found), found
    assert any("column 'kind'" in p and "'customer' or 'employee'" in p for p in found), found


def test_unknown_and_derived_tables_are_refused() -> None:
    m = demo_map()
    with pytest.raises(TableError) as excinfo:
        frames.from_dataframes({"cells": m.to_dataframe("cells"), "stage": pd.DataFrame()})
    found = problems_of(excinfo)
    assert any("table 'cells': unknown table; it is a derived view" in p for p in found)
    assert any("table 'stage': unknown table (did you mean 'stages'?)" in p for p in found)


def test_persona_reference_and_measured_columns_are_checked() -> None:
    tables = frames.to_dataframes(demo_map())
    tables["map"].loc[0, "persona"] = "Ana"
    tps = tables["touchpoints"].copy()
    tps.loc[0, "measured_n"] = 5  # a count with no measured value
    tps.loc[2, "measured_emotion"] = 7.0
    tables["touchpoints"] = tps
    with pytest.raises(TableError) as excinfo:
        frames.from_dataframes(tables)
    found = problems_of(excinfo)
    assert (
        "map row 0, column 'persona': 'Ana' is not a persona of this map (did you mean "
        "'anna'?)" in found
    )
    assert (
        "touchpoints row 0, column 'measured_emotion': missing value, while measured_n is given"
        in found
    )
    assert (
        "touchpoints row 2, column 'measured_emotion': 7 is outside the map's scale [-3, 3]"
        in found
    )


def test_bad_list_and_dict_cells_are_named() -> None:
    tables = frames.to_dataframes(demo_map())
    cards = tables["cards"].copy()
    cards["tags"] = cards["tags"].astype(object)
    cards.at[0, "tags"] = "[not json"
    cards.at[1, "labels"] = "{'pl': 1}"
    tables["cards"] = cards
    with pytest.raises(TableError) as excinfo:
        frames.from_dataframes(tables)
    found = problems_of(excinfo)
    assert any(
        p.startswith("cards row 0, column 'tags': '[not json' is not a JSON list") for p in found
    )
    assert any(p.startswith("cards row 1, column 'labels':") and "JSON object" in p for p in found)


# ---------------------------------------------------------------------------- files
def test_csv_is_json_for_lists_and_keeps_spreadsheet_rows(tmp_path: Path) -> None:
    m = demo_map()
    paths = frames.write_csv(m, tmp_path)
    assert sorted(p.name for p in paths.values()) == sorted(f"{t}.csv" for t in frames.TABLES)
    raw = pd.read_csv(paths["cards"], dtype=str, keep_default_na=False)
    assert json.loads(raw.loc[1, "tags"]) == ["web", "price"]
    assert paths["cards"].read_bytes().startswith(b"\xef\xbb\xbf")  # BOM for spreadsheets
    # break one cell: the error names the spreadsheet row (header = row 1)
    raw.loc[1, "lane"] = "feelings"
    raw.to_csv(paths["cards"], index=False)
    with pytest.raises(TableError) as excinfo:
        frames.read_csv(tmp_path)
    assert problems_of(excinfo) == [
        "cards row 3, column 'lane': 'feelings' is not a lane of this map"
    ]


def test_excel_keeps_formula_like_text_as_text(tmp_path: Path) -> None:
    m = demo_map()
    m.add_card('=HYPERLINK("http://x")', touchpoint="ad", lane="emotions")
    path = frames.write_excel(m, tmp_path / "map.xlsx")
    import openpyxl

    sheet = openpyxl.load_workbook(path)["cards"]
    texts = [row[5].value for row in sheet.iter_rows(min_row=2)]
    assert '=HYPERLINK("http://x")' in texts
    assert all(row[5].data_type == "s" for row in sheet.iter_rows(min_row=2))
    assert frames.read_excel(path) == m


def test_excel_refuses_control_characters_by_name(tmp_path: Path) -> None:
    m = demo_map()
    m.update("card_1", text="bell \x07")
    with pytest.raises(TableError, match=r"cards row 0, column 'text': holds control characters"):
        frames.write_excel(m, tmp_path / "x.xlsx")
    assert not (tmp_path / "x.xlsx").exists()


def test_excel_refuses_numbers_beyond_its_range(tmp_path: Path) -> None:
    m = demo_map()
    m.update("ad", measured={"emotion": 0, "high": 1.7976931348623157e308, "n": 1})
    with pytest.raises(TableError, match=r"touchpoints row 0, column 'measured_high': .*beyond"):
        frames.write_excel(m, tmp_path / "x.xlsx")


def test_reading_missing_files_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(TableError, match="is not a folder of CSV tables"):
        frames.read_csv(tmp_path / "nope")
    with pytest.raises(TableError, match=r"holds none of map\.csv"):
        frames.read_csv(tmp_path)
    with pytest.raises(TableError, match="cannot read"):
        frames.read_excel(tmp_path / "nope.xlsx")


# ---------------------------------------------------------------------------- flat tables
SHEET = pd.DataFrame(
    {
        "Etap": ["Chcę mieć prąd", None, "Używam i płacę", None],
        "Punkt styku": ["Strona www", "Strona www", "Faktura", "Infolinia"],
        "Kategoria": ["Działania", "Emocje", "Działania", None],
        "Notatka": ["Porównuje ceny", "Ciekawość", "Czyta fakturę", None],
        "Emocja": [1, 1, -2, -3],
        "Kanał": ["web", None, "list", "telefon"],
    }
)
COLUMNS = {
    "stage": "Etap",
    "touchpoint": "Punkt styku",
    "lane": "Kategoria",
    "text": "Notatka",
    "emotion": "Emocja",
    "channel": "Kanał",
}


def test_flat_table_with_column_mapping_and_fill_down() -> None:
    m = frames.from_flat(
        SHEET,
        COLUMNS,
        fill_down=True,
        lanes={"Działania": "actions", "Emocje": "emotions"},
        title="Energia",
        language="pl",
    )
    assert m.title == "Energia"
    assert m.language == "pl"
    assert [(s.id, s.name) for s in m.stages] == [
        ("chce_miec_prad", "Chcę mieć prąd"),
        ("uzywam_i_place", "Używam i płacę"),
    ]
    assert [(t.id, t.stage, t.emotion, t.channel) for t in m.touchpoints] == [
        ("strona_www", "chce_miec_prad", 1.0, "web"),
        ("faktura", "uzywam_i_place", -2.0, "list"),
        ("infolinia", "uzywam_i_place", -3.0, "telefon"),
    ]
    assert [(lane.id, lane.kind, lane.name) for lane in m.lanes] == [
        ("actions", "actions", "Działania"),
        ("emotions", "emotions", "Emocje"),
    ]
    assert [(c.id, c.touchpoint, c.lane, c.text) for c in m.cards] == [
        ("card_1", "strona_www", "actions", "Porównuje ceny"),
        ("card_2", "strona_www", "emotions", "Ciekawość"),
        ("card_3", "faktura", "actions", "Czyta fakturę"),
    ]
    assert frames.from_flat(SHEET, COLUMNS, fill_down=True) == frames.from_flat(
        SHEET, COLUMNS, fill_down=True
    )


def test_flat_table_problems_name_the_users_rows_and_columns() -> None:
    sheet = SHEET.copy()
    sheet.loc[1, "Emocja"] = 2  # disagrees with row 0 for the same touchpoint
    sheet.loc[3, "Emocja"] = 9  # off the scale
    sheet["Uwagi"] = "x"
    with pytest.raises(TableError) as excinfo:
        frames.from_flat(sheet, {**COLUMNS, "emocja": "Emocja"})
    found = problems_of(excinfo)
    assert str(excinfo.value).startswith("cannot build a map from this table")
    for line in [
        "columns=, column 'emocja': 'emocja' is not a field of a flat table "
        "(the fields are " + ", ".join(frames.FLAT_FIELDS) + ")",
        "flat table, column 'Uwagi': column is not used; map it with columns= or pass "
        "extra='ignore'",
        "flat table row 1, column 'Etap': missing value (pass fill_down=True if blank cells "
        "repeat the row above)",
    ]:
        assert line in found, (line, found)
    fixed = sheet.drop(columns="Uwagi")
    with pytest.raises(TableError) as excinfo:
        frames.from_flat(fixed, COLUMNS, fill_down=True)
    assert problems_of(excinfo) == [
        "flat table row 1, column 'Emocja': 2.0 differs from 1.0 given for touchpoint "
        "'Strona www' in row 0",
        "flat table row 3, column 'Emocja': 9 is outside the map's scale [-3, 3]",
    ]


def test_flat_columns_missing_or_misnamed() -> None:
    sheet = pd.DataFrame({"stge": ["A"], "touchpoint": ["T"], "text": ["x"], "Lane": ["L"]})
    with pytest.raises(TableError) as excinfo:
        frames.from_flat(sheet, {"lane": "Lanes"})
    assert problems_of(excinfo) == [
        "flat table, column 'Lanes': missing column for 'lane' (did you mean 'Lane'?)",
        "flat table, column 'stage': missing required column (did you mean 'stge'?); name it "
        "in columns={'stage': ...}",
        "flat table, column 'stge': column is not used (did you mean 'stage'?); map it with "
        "columns= or pass extra='ignore'",
        "flat table, column 'Lane': column is not used (did you mean 'lane'?); map it with "
        "columns= or pass extra='ignore'",
    ]


def test_flat_card_fields_and_ids_round_trip_through_to_flat() -> None:
    m = demo_map()
    flat = frames.to_flat(m)
    assert len(flat) == 4  # three touchpoints: one per card, no card-less touchpoint left
    back = frames.from_flat(flat, scale=m.scale)
    assert [(s.id, s.name) for s in back.stages] == [(s.id, s.name) for s in m.stages]
    keep = ("id", "stage", "name", "emotion", "channel", "moment_of_truth")
    assert [[getattr(t, k) for k in keep] for t in back.touchpoints] == [
        [getattr(t, k) for k in keep] for t in m.touchpoints
    ]
    assert [c.model_dump(exclude={"labels"}) for c in back.cards] == [
        c.model_dump(exclude={"labels"}) for c in m.cards
    ]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_read_flat_numbers_rows_like_the_spreadsheet(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"sheet{suffix}"
    sheet = SHEET.astype({"Emocja": object})
    sheet.loc[2, "Emocja"] = "very bad"
    if suffix == ".csv":
        sheet.to_csv(path, index=False, sep=";")  # a Polish Excel's CSV uses semicolons
    else:
        sheet.to_excel(path, index=False)
    with pytest.raises(TableError) as excinfo:
        frames.read_flat(path, COLUMNS, fill_down=True)
    assert problems_of(excinfo) == ["flat table row 4, column 'Emocja': 'very bad' is not a number"]
    sheet.loc[2, "Emocja"] = -2
    if suffix == ".csv":
        sheet.to_csv(path, index=False, sep=";")
    else:
        sheet.to_excel(path, index=False)
    m = frames.read_flat(path, COLUMNS, fill_down=True)
    assert [t.emotion for t in m.touchpoints] == [1.0, -2.0, -3.0]


def test_flat_table_card_values_without_text_are_reported() -> None:
    sheet = pd.DataFrame(
        {"stage": ["S"], "touchpoint": ["T"], "lane": ["Actions"], "text": [None], "impact": [4]}
    )
    with pytest.raises(TableError) as excinfo:
        frames.from_flat(sheet)
    assert problems_of(excinfo) == [
        "flat table row 0, column 'text': missing value: the row gives 'impact' for a card but "
        "no card text"
    ]
