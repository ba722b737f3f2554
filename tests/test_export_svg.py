"""Static SVG and the script-free HTML fallback."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

import journeywidgets as jw
from journeywidgets import export, svg, theme
from sharing_maps import PAYLOADS, payload_map, small_map

NS = {"svg": "http://www.w3.org/2000/svg"}


def parse(svg_text: str) -> ET.Element:
    return ET.fromstring(svg_text)


def texts(node: ET.Element) -> list[str]:
    """Every <text> element's visible string (tspans joined by newlines)."""
    out = []
    for t in node.iter(f"{{{NS['svg']}}}text"):
        spans = t.findall("svg:tspan", NS)
        out.append("\n".join(s.text or "" for s in spans) if spans else t.text or "")
    return out


def group(root: ET.Element, cls: str, id: str) -> ET.Element:
    for g in root.iter(f"{{{NS['svg']}}}g"):
        if g.get("class") == cls and g.get("data-id") == id:
            return g
    raise AssertionError(f"no <g class={cls!r} data-id={id!r}>")


def test_every_entity_is_drawn_with_its_text() -> None:
    m = small_map()
    root = parse(export.to_svg(m))
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox", "").startswith("0 0 ")
    for stage in m.stages:
        assert texts(group(root, "jws-stage", stage.id)) == [stage.name]
    for tp in m.touchpoints:
        shown = "".join(texts(group(root, "jws-touchpoint", tp.id))).replace("\n", " ")
        assert tp.name in shown
        if tp.channel:
            assert tp.channel in shown
    for lane in m.lanes:
        assert lane.name in texts(group(root, "jws-lane", lane.id))[0]
    for card in m.cards:
        shown = texts(group(root, "jws-card", card.id))
        assert shown[0].replace("\n", " ") == card.text
    assert "Buying electricity" in texts(root)[0]


def test_cards_sit_in_their_touchpoint_column_and_lane_row() -> None:
    m = small_map()
    root = parse(export.to_svg(m))

    def box(cls: str, id: str) -> tuple[float, float, float, float]:
        rect = list(group(root, cls, id).iter(f"{{{NS['svg']}}}rect"))[-1]
        x, y = float(rect.get("x", 0)), float(rect.get("y", 0))
        return x, y, x + float(rect.get("width", 0)), y + float(rect.get("height", 0))

    for card in m.cards:
        cx0, cy0, cx1, cy1 = box("jws-card", card.id)
        tx0, _, tx1, _ = box("jws-touchpoint", card.touchpoint)
        lane_rect = next(group(root, "jws-lane", card.lane).iter(f"{{{NS['svg']}}}rect"))
        ly0 = float(lane_rect.get("y", 0))
        ly1 = ly0 + float(lane_rect.get("height", 0))
        assert tx0 - 8 <= cx0, card.id
        assert cx1 <= tx1 + 8, card.id
        assert ly0 <= cy0, card.id
        assert cy1 <= ly1, card.id


def test_emotion_curve_and_markers() -> None:
    m = small_map()
    root = parse(export.to_svg(m))
    ys = {}
    for tp in m.touchpoints:
        circle = group(root, "jws-emotion-point", tp.id).find("svg:circle", NS)
        assert circle is not None
        ys[tp.id] = float(circle.get("cy", 0))
        colour = circle.get("fill")
        assert colour == {1: theme.POSITIVE, -2: theme.NEGATIVE, 0: theme.NEUTRAL}[tp.emotion]
    neutral = next(n for n in root.iter() if n.get("class") == "jws-neutral")
    assert ys["website"] < float(neutral.get("y1", 0)) < ys["call"]
    assert ys["invoice"] == pytest.approx(float(neutral.get("y1", 0)))
    curve = next(n for n in root.iter() if n.get("class") == "jws-curve")
    assert len(curve.get("points", "").split()) == 3
    stars = [n for n in root.iter() if n.get("class") == "jws-moment-of-truth"]
    assert len(stars) == 1
    assert stars[0] in list(group(root, "jws-touchpoint", "call").iter())
    badges = [n for n in root.iter() if n.get("class") == "jws-card-badges"]
    assert [texts(b)[0].replace("\n", " ") for b in badges] == [
        "quick win \u00b7 impact 5 \u00b7 effort 1"
    ]


def test_lane_colour_comes_from_the_model() -> None:
    m = small_map()
    m.update("expectations", colour="#123456")
    root = parse(export.to_svg(m))
    card_rects = list(group(root, "jws-card", "c_bill").iter(f"{{{NS['svg']}}}rect"))
    assert card_rects[-1].get("fill") == "#123456"
    card_rects = list(group(root, "jws-card", "c_compare").iter(f"{{{NS['svg']}}}rect"))
    assert card_rects[-1].get("fill") == m["actions"].display_colour  # type: ignore[attr-defined]


def test_measured_values_are_drawn_beside_the_hypothesis() -> None:
    m = small_map()
    m.update("call", measured={"emotion": -0.5, "low": -1.0, "high": 0.2, "n": 40})
    root = parse(export.to_svg(m))
    measured = group(root, "jws-measured", "call")
    tip = measured.find("svg:title", NS)
    assert tip is not None
    assert tip.text == "Measured -0.5 [-1, 0.2], n=40"


def test_language_picks_labels_and_falls_back_to_names() -> None:
    m = small_map()
    root = parse(export.to_svg(m, language="pl"))
    assert texts(group(root, "jws-stage", "i_want_electricity")) == ["Chcę mieć prąd"]
    assert texts(group(root, "jws-lane", "actions"))[0] == "Actions"


def test_output_is_deterministic() -> None:
    m = small_map()
    first = export.to_svg(m)
    assert export.to_svg(m) == first
    assert export.to_svg(jw.loads(m.to_json())) == first
    m.move("c_compare", touchpoint="call", lane="actions", index=0)
    assert export.to_svg(m) != first


def test_empty_map_and_empty_stage_still_draw() -> None:
    root = parse(export.to_svg(jw.JourneyMap()))
    assert texts(root)[0] == "Untitled journey"
    m = jw.JourneyMap("Only a stage")
    m.add_stage("Lonely")
    root = parse(export.to_svg(m))
    assert texts(group(root, "jws-stage", "lonely")) == ["Lonely"]


def test_long_text_wraps_and_is_cut_with_full_text_in_tooltip() -> None:
    m = small_map()
    long_text = " ".join(f"word{i}" for i in range(400))
    m.update("c_compare", text=long_text)
    card = group(parse(export.to_svg(m)), "jws-card", "c_compare")
    lines = texts(card)[0].split("\n")
    assert 1 < len(lines) <= 14
    assert lines[-1].endswith("\u2026")
    assert all(len(line) <= 30 for line in lines)
    title = card.find("svg:title", NS)
    assert title is not None
    assert title.text is not None
    assert title.text.startswith(long_text)


def test_text_xml_cannot_hold_is_replaced_not_emitted() -> None:
    m = small_map()
    # (The model refuses lone surrogates; control characters it keeps.)
    m.update("c_compare", text="bell\x07 and nul\x00 and more")
    svg_text = export.to_svg(m)
    card = group(parse(svg_text), "jws-card", "c_compare")
    assert texts(card)[0].replace("\n", " ") == "bell\ufffd and nul\ufffd and more"
    assert svg.clean("half \ud800 emoji") == "half \ufffd emoji"


def test_every_payload_stays_text_in_svg() -> None:
    m = payload_map()
    svg_text = export.to_svg(m)
    root = parse(svg_text)  # well-formed XML despite "]]>" and "</text>" in the data
    # No element other than the drawing vocabulary: nothing became a tag.
    tags = {el.tag.split("}")[1] for el in root.iter()}
    assert tags <= {"svg", "g", "rect", "text", "tspan", "title", "line", "polyline", "circle"}
    shown = "\n".join(texts(root)).replace("\n", " ")
    for card in m.cards:
        # Wrapping turns some spaces into line breaks; compare without whitespace.
        shown_card = "".join(texts(group(root, "jws-card", card.id))[0].split())
        assert shown_card == "".join(card.text.split())
    assert PAYLOADS[0] in shown
    for node in root.iter():
        assert not any(k.lower().startswith("on") for k in node.attrib), node.attrib


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += [name for name, _ in attrs]


def test_static_html_is_the_svg_in_a_scrolling_div_without_script() -> None:
    m = payload_map()
    html = export.static_html(m)
    assert html.startswith('<div class="jws-static"')
    assert export.to_svg(m) in html
    parser = _Tags()
    parser.feed(html)
    assert "script" not in parser.tags
    assert "img" not in parser.tags
    assert not [a for a in parser.attrs if a.startswith("on")]


def test_write_svg(tmp_path: object) -> None:
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    m = small_map()
    path = export.write_svg(m, tmp_path / "map.svg", language="pl")
    assert path.read_text(encoding="utf-8") == export.to_svg(m, language="pl")


def test_large_maps_show_card_counts_in_the_fallback() -> None:
    m = small_map()
    with m.batch():
        for i in range(30):
            m.add_card(f"extra {i}", touchpoint="call", lane="emotions")
    full = parse(export.to_svg(m))
    assert len([g for g in full.iter() if g.get("class") == "jws-card"]) == 34
    summary = parse(export.to_svg(m, max_cards=10))
    assert [g for g in summary.iter() if g.get("class") == "jws-card"] == []
    counts = sorted(texts(g)[0] for g in summary.iter() if g.get("class") == "jws-cell-summary")
    assert counts == ["1 card", "1 card", "1 card", "31 cards"]
    assert "34 cards: each cell shows how many it holds." in texts(summary)
    # The HTML fallback summarizes past STATIC_MAX_CARDS only.
    assert 'class="jws-cell-summary"' not in export.static_html(m)
    assert 'class="jws-cell-summary"' in export.static_html(m, max_cards=33)


def test_map_convenience_methods_delegate_to_the_exporters() -> None:
    m = small_map()
    assert m.to_svg(language="pl") == export.to_svg(m, language="pl")
    assert m.to_mermaid() == jw.to_mermaid(m)
    assert m._repr_html_() == export.static_html(m)


def _by_class(root: ET.Element, cls: str) -> list[ET.Element]:
    return [n for n in root.iter() if n.get("class") == cls]


def test_persona_panel_shows_who_the_journey_belongs_to() -> None:
    m = jw.templates.energy_utility()
    persona = m.persona
    assert persona is not None
    root = parse(export.to_svg(m))
    (panel,) = _by_class(root, "jws-persona")
    shown = " ".join(" ".join(texts(panel)).split())
    assert persona.name in shown
    assert "AK" in texts(panel)  # initials avatar
    assert persona.quote in shown
    for item in (*persona.goals, *persona.expectations, *persona.frustrations):
        assert item.split()[0] in shown
    headings = [g.get("data-list") for g in _by_class(panel, "jws-persona-list")]
    assert headings == ["goals", "needs", "pains"]
    # A map without a persona has no panel.
    assert _by_class(parse(export.to_svg(jw.JourneyMap("No one"))), "jws-persona") == []


def test_one_legend_names_each_kind_of_mark_drawn() -> None:
    m = small_map()
    root = parse(export.to_svg(m))
    (legend,) = _by_class(root, "jws-legend")
    marks = [g.get("data-mark") for g in _by_class(legend, "jws-legend-item")]
    assert marks[0] == "point"
    assert "measured" not in marks  # nothing measured yet: no legend entry for it
    m.update("call", measured={"emotion": -0.5, "low": -1.0, "high": 0.2, "n": 40})
    m.update("website", emotion=None)
    legend = _by_class(parse(export.to_svg(m)), "jws-legend")[0]
    marks = [g.get("data-mark") for g in _by_class(legend, "jws-legend-item")]
    assert {"measured", "none"} <= set(marks)


def test_measured_value_is_labelled_and_its_label_clears_the_hypothesis_label() -> None:
    m = small_map()
    m.update("call", measured={"emotion": -0.5, "low": -1.0, "high": 0.2, "n": 40})
    root = parse(export.to_svg(m))
    (label,) = _by_class(group(root, "jws-measured", "call"), "jws-measured-value")
    assert label.text == "-0.5"
    hyp = next(iter(group(root, "jws-emotion-point", "call").iter(f"{{{NS['svg']}}}text")))
    assert hyp.get("text-anchor") == "end"  # the hypothesis's label ends left of its point
    assert float(hyp.get("x", 0)) < float(label.get("x", 0))


def test_a_touchpoint_without_emotion_is_not_drawn_as_neutral() -> None:
    m = small_map()
    m.update("website", emotion=None)
    root = parse(export.to_svg(m))
    with pytest.raises(AssertionError):
        group(root, "jws-emotion-point", "website")
    (mark,) = [n for n in _by_class(root, "jws-no-emotion") if n.get("data-id") == "website"]
    assert mark.text == "n/a"


def test_two_exports_in_one_page_share_no_ids() -> None:
    """``url(#id)`` resolves to the first match in the whole page: an export must use no id
    that a second export (or anything else) in the page could also use."""
    a, b = export.static_html(small_map()), export.static_html(jw.templates.energy_utility())
    page = ET.fromstring(f"<div>{a}{b}</div>")
    ids = [n.get("id") for n in page.iter() if n.get("id") is not None]
    assert len(ids) == len(set(ids))
    refs = [
        v for n in page.iter() for k, v in n.attrib.items() if "url(#" in v or k.endswith("href")
    ]
    assert refs == []  # nothing points at an id, so nothing can point at another export's
