"""The overview picture: the widget's static fallback (a PNG that every viewer shows)."""

from __future__ import annotations

import base64
import itertools
import struct
import xml.etree.ElementTree as ET
import zlib

import pytest

import journeywidgets as jw
from journeywidgets import overview, pages, svg
from journeywidgets.errors import ExportError
from sharing_maps import small_map


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def idat(data: bytes) -> bytes:
    out, pos = b"", 8
    while pos < len(data):
        (size,) = struct.unpack(">I", data[pos : pos + 4])
        if data[pos + 4 : pos + 8] == b"IDAT":
            out += data[pos + 8 : pos + 8 + size]
        pos += 12 + size
    return zlib.decompress(out)


def big_map(cards: int = 2000, touchpoints: int = 100) -> jw.JourneyMap:
    m = jw.JourneyMap("Two thousand cards", id="big")
    for s in range(5):
        m.add_stage(f"Stage {s}", id=f"s{s}")
    for lane in ("actions", "thoughts", "emotions", "pain_points", "opportunities"):
        m.add_lane(lane.replace("_", " ").title(), kind=lane, id=lane)
    with m.batch():
        for t in range(touchpoints):
            m.add_touchpoint(f"Step {t}", stage=f"s{t * 5 // touchpoints}", emotion=t % 3 - 1,
                             id=f"t{t}")  # fmt: skip
        lanes = [lane.id for lane in m.lanes]
        for c in range(cards):
            m.add_card(f"Card {c} with a few words of text", touchpoint=f"t{c % touchpoints}",
                       lane=lanes[(c // touchpoints) % len(lanes)])  # fmt: skip
    return m


def test_sections_cover_every_column_once_in_order() -> None:
    m = jw.templates.energy_utility()
    views = overview.sections(m, width=1200)
    spans = [v.columns for v in views]
    assert spans[0] == (0, spans[0][1])
    for (_, stop), (start, _) in itertools.pairwise(spans):
        assert stop == start
    assert spans[-1][1] == len(svg.column_units(m))
    assert [v.header for v in views] == [True] + [False] * (len(views) - 1)
    root = ET.fromstring(overview.overview_svg(m))
    parts = [p for p in root if p.get("class") == "jws-map"]
    assert len(parts) == len(views)
    assert max(float(p.get("width", 0)) for p in parts) <= 1200


def test_the_fallback_bundle_is_one_png_at_its_own_size() -> None:
    m = jw.templates.it_laptop()
    data, metadata = overview.mimebundle(m)
    assert set(data) == {"image/png"}
    png = base64.b64decode(data["image/png"])
    width, height = png_size(png)
    assert metadata["image/png"]["width"] == width <= 1200
    assert height > width


def test_a_widget_shows_the_picture_as_its_fallback() -> None:
    w = jw.JourneyWidget(small_map())
    data, metadata = w._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in data
    assert "text/html" not in data
    assert png_size(base64.b64decode(data["image/png"]))[0] == metadata["image/png"]["width"]
    w.close()


def test_the_widgets_picture_says_how_to_get_the_editor_back() -> None:
    m = small_map()
    w = jw.JourneyWidget(m)
    data, _ = w._repr_mimebundle_()
    assert data["image/png"] == overview.mimebundle(m, note=overview.WIDGET_NOTE)[0]["image/png"]
    assert data["image/png"] != overview.mimebundle(m)[0]["image/png"]
    w.close()
    root = ET.fromstring(overview.overview_svg(m, note="<b>Trust</b> & reload"))
    notes = [el for el in root.iter() if el.get("class") == "jws-note"]
    assert [el.text for el in notes] == ["<b>Trust</b> & reload"]  # text, not markup
    assert float(notes[0].get("y", 0)) < float(root.get("height", 0))


def test_without_a_converter_the_widget_falls_back_to_html(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def missing() -> None:
        raise ExportError('PDF and PNG export needs vl-convert-python: pip install "x"')

    monkeypatch.setattr(pages, "_vl_convert", missing)
    w = jw.JourneyWidget(jw.JourneyMap("No converter"))
    data, _ = w._repr_mimebundle_()
    assert "image/png" not in data
    assert data["text/html"].startswith('<div class="jws-static"')
    w.close()


def test_a_2000_card_map_gives_a_bounded_picture() -> None:
    m = big_map()
    png, size = overview.overview_png(m)
    width, height = png_size(png)
    assert width * height <= overview.MAX_PIXELS * 1.01
    assert len(png) < 3_000_000
    assert size["width"] <= 1200
    # Above MAX_CARDS each cell shows its count instead of its cards.
    text = overview.overview_svg(m)
    assert 'class="jws-card"' not in text
    assert "jws-cell-summary" in text


def test_recompressing_keeps_every_pixel_and_saves_bytes() -> None:
    import vl_convert

    raw = bytes(vl_convert.svg_to_png(overview.overview_svg(jw.templates.it_laptop())))
    packed = overview.recompress_png(raw)
    assert idat(packed) == idat(raw)
    assert png_size(packed) == png_size(raw)
    assert len(packed) < len(raw)


def test_docstring_examples_run() -> None:
    import doctest

    result = doctest.testmod(overview, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


def test_an_unchanged_map_is_not_drawn_again() -> None:
    m = small_map()
    first = overview.mimebundle(m)
    assert overview.mimebundle(m) is first  # a widget displayed twice, a cell re-run
    m.set_emotion(m.touchpoints[0].id, 2)
    changed = overview.mimebundle(m)
    assert changed is not first
    assert changed[0]["image/png"] != first[0]["image/png"]
    assert overview.mimebundle(m, language="hu") is not changed


def test_the_picture_can_be_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(overview, "ENABLED", False)
    w = jw.JourneyWidget(small_map())
    data, _ = w._repr_mimebundle_()
    assert "image/png" not in data
    assert "application/vnd.jupyter.widget-view+json" in data
    w.close()
