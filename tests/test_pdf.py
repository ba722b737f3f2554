"""PDF and PNG pages, read back with Debian's poppler tools (pdfinfo, pdftotext, pdffonts).

The PDFs are checked the way a reader would meet them: page size, text that can be selected
and searched (Polish and Hungarian letters intact), embedded fonts, nothing printed below the
legible minimum, and a wall poster whose tiles put every touchpoint and card back in place.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import journeywidgets as jw
from journeywidgets import cli, pages
from journeywidgets.errors import ExportError
from sharing_maps import small_map

TOOLS = ("pdfinfo", "pdftotext", "pdffonts")
DATE = dt.date(2026, 12, 6)


@pytest.fixture(scope="module", autouse=True)
def _poppler() -> None:
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if missing:
        message = (
            f"poppler-utils is missing ({', '.join(missing)}): run scripts/ensure_poppler.sh "
            "or apt-get install -y poppler-utils"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def run(*args: str | Path) -> str:
    return subprocess.run([str(a) for a in args], check=True, capture_output=True, text=True).stdout


def page_sizes(pdf: Path) -> list[tuple[float, float]]:
    out = run("pdfinfo", "-f", "1", "-l", "999", pdf)
    return [
        (float(w), float(h))
        for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", out)
    ]


def words(pdf: Path) -> list[list[tuple[str, float, float, float, float]]]:
    """Each page's words with their boxes (xMin, yMin, xMax, yMax) in points."""
    root = ET.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", run("pdftotext", "-bbox", pdf, "-")))
    ns = "{http://www.w3.org/1999/xhtml}"
    out = []
    for page in root.iter(f"{ns}page"):
        out.append(
            [
                (
                    w.text or "",
                    float(w.get("xMin", 0)),
                    float(w.get("yMin", 0)),
                    float(w.get("xMax", 0)),
                    float(w.get("yMax", 0)),
                )
                for w in page.iter(f"{ns}word")
            ]
        )
    return out


def squeeze(text: str) -> str:
    return "".join(text.split())


def diacritics_map() -> jw.JourneyMap:
    m = jw.JourneyMap("Przyłączenie prądu – áramszolgáltatás", scale=(-2, 2), id="hu_pl")
    m.add_persona(
        "Zsófia Wiśniewska-Kovács",
        role="Ügyfél",
        quote="Chcę wiedzieć, kiedy będzie prąd.",
        goals=("Gyors bekötés",),
        frustrations=("Długie czekanie",),
    )
    m.add_stage("Chcę prądu", id="s1")
    m.add_stage("Szerződéskötés", id="s2")
    m.add_lane("Działania", kind="actions", id="act")
    m.add_lane("Érzések", kind="emotions", id="emo")
    m.add_touchpoint("Wniosek", stage="s1", emotion=1, id="t1")
    m.add_touchpoint("Ügyfélszolgálat", stage="s2", emotion=-2, id="t2", moment_of_truth=True)
    m.add_card("Zażółć gęślą jaźń", touchpoint="t1", lane="act")
    m.add_card("Árvíztűrő tükörfúrógép", touchpoint="t2", lane="act")
    m.add_card("Źle, że trzeba dzwonić — őszintén szólva", touchpoint="t2", lane="emo")
    m.add_card("ŁÓDŹ ŚĆŃ Ű Ő", touchpoint="t1", lane="emo", impact=5, effort=1)
    return m


def test_named_pages_have_their_paper_size(tmp_path: Path) -> None:
    m = small_map()
    a3 = m.to_pdf(tmp_path / "a3.pdf", page="A3", date=DATE)
    sizes = page_sizes(a3)
    assert sizes
    assert all(s == (1190.55, 841.89) for s in sizes)
    slide = pages.to_pdf(m, tmp_path / "slide.pdf", "slide", date=DATE)
    assert all(s == (960.01, 540.0) for s in page_sizes(slide))  # 13.33 x 7.5 in, 16:9
    portrait = pages.to_pdf(m, tmp_path / "a4.pdf", "A4", landscape=False, date=DATE)
    assert all(s == (595.28, 841.89) for s in page_sizes(portrait))
    custom = pages.to_pdf(m, tmp_path / "mm.pdf", (500, 300), date=DATE)
    assert all(s == (1417.32, 850.39) for s in page_sizes(custom))


def test_card_text_is_real_text_with_polish_and_hungarian_letters(tmp_path: Path) -> None:
    m = diacritics_map()
    pdf = pages.to_pdf(m, tmp_path / "map.pdf", "A4", date=DATE)
    # -raw keeps the content stream's order: one card's lines together.
    text = squeeze(run("pdftotext", "-raw", "-enc", "UTF-8", pdf, "-"))
    for card in m.cards:
        assert squeeze(card.text) in text
    for name in ("Zsófia Wiśniewska-Kovács", "Ügyfélszolgálat", "Szerződéskötés", "Érzések"):
        assert squeeze(name) in text
    assert "\ufffd" not in text
    fonts = run("pdffonts", pdf).splitlines()[2:]
    assert fonts, "no fonts: the text was drawn as outlines"
    assert all(" yes " in line for line in fonts), fonts  # every font embedded


@pytest.fixture(scope="module")
def energy_a3(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 24-touchpoint map on A3 (made once: several tests read it)."""
    pdf = tmp_path_factory.mktemp("energy") / "energy.pdf"
    return jw.templates.energy_utility().to_pdf(pdf, page="A3", date=DATE)


def test_every_card_of_the_energy_map_is_searchable(energy_a3: Path) -> None:
    m = jw.templates.energy_utility()
    pdf = energy_a3
    text = squeeze(run("pdftotext", "-raw", "-enc", "UTF-8", pdf, "-"))
    missing = [c.text for c in m.cards if squeeze(c.text) not in text]
    assert missing == []
    for tp in m.touchpoints:
        assert squeeze(tp.name) in text


def test_no_text_is_printed_below_the_minimum(tmp_path: Path, energy_a3: Path) -> None:
    m = jw.templates.energy_utility()
    for page in ("slide", "A3"):
        layout = pages.plan(m, page)
        assert len(layout.sheets) > 1  # too long for one legible page: split
        assert layout.min_text_pt >= 6.0
        pdf = energy_a3 if page == "A3" else pages.to_pdf(m, tmp_path / "s.pdf", page, date=DATE)
        heights = [y1 - y0 for page_words in words(pdf) for _, _, y0, _, y1 in page_words]
        # pdftotext's word boxes are as tall as the font size: nothing below 6 pt.
        assert min(heights) >= 6.0 - 0.01, (page, min(heights))
    # The same map fits an A0 sheet legibly, on one page.
    assert len(pages.plan(m, "A0").sheets) == 1


def test_each_page_repeats_headers_and_lane_labels_and_has_a_footer(energy_a3: Path) -> None:
    m = jw.templates.energy_utility()
    pdf = energy_a3
    layout = pages.plan(m, "A3")
    texts = [squeeze(" ".join(w for w, *_ in page_words)) for page_words in words(pdf)]
    assert len(texts) == len(layout.sheets)
    for n, (sheet, text) in enumerate(zip(layout.sheets, texts, strict=True), start=1):
        assert f"page{n}of{len(texts)}" in text
        assert "2026-12-06" in text
        assert "currentstate" in text
        if not sheet.view.grid:  # the cover: title, persona, legend
            assert "AnnaKowalska" in text
            assert "Goals" in text
            assert "Momentoftruth" in text
            continue
        assert "Emotion(hypothesis)" in text  # every page has the legend
        assert "Momentoftruth" in text
        lanes = m.lanes[slice(*sheet.view.lanes)] if sheet.view.lanes else m.lanes
        for lane in lanes:
            assert squeeze(lane.name) in text
        first = pages.svg.column_units(m)[sheet.view.columns[0] if sheet.view.columns else 0]
        assert squeeze(first[0].name)[:12] in text  # the stage header, repeated


def sixty_touchpoint_map() -> jw.JourneyMap:
    m = jw.JourneyMap("Poster: sixty steps", id="sixty")
    m.add_lane("Actions", kind="actions", id="act")
    m.add_lane("Emotions", kind="emotions", id="emo")
    m.add_lane("Pain points", kind="pain_points", id="pain")
    for s in range(6):
        m.add_stage(f"Stage {s + 1}", id=f"s{s}")
        for t in range(10):
            n = s * 10 + t
            m.add_touchpoint(f"Lépés{n:02d}", stage=f"s{s}", emotion=(n % 5) - 2, id=f"t{n}")
            m.add_card(f"Kártya{n:02d}ą", touchpoint=f"t{n}", lane="act")
            if n % 3 == 0:
                m.add_card(f"Ból{n:02d}ő longer text here", touchpoint=f"t{n}", lane="pain")
    return m


def test_a0_poster_tiles_reassemble(tmp_path: Path) -> None:
    m = sixty_touchpoint_map()
    layout = pages.plan(m, "A0", tiles="A3")
    pdf = pages.to_pdf(m, tmp_path / "poster.pdf", "A0", tiles="A3", date=DATE)
    assert all(s == (1190.55, 841.89) for s in page_sizes(pdf))
    per_page = words(pdf)
    assert len(per_page) == len(layout.sheets)
    grid = [s for s in layout.sheets if s.view.grid]
    rows = sorted({s.row for s in grid})
    cols = sorted({s.column for s in grid})
    assert len(grid) == len(rows) * len(cols)
    assert len(cols) > 1
    core: dict[tuple[int, int], list[str]] = {}
    overlap: dict[tuple[int, int], list[str]] = {}
    for sheet, page_words in zip(layout.sheets, per_page, strict=True):
        if not sheet.view.grid:
            continue
        edge = sheet.core_right_pt(layout)
        key = (sheet.row, sheet.column)
        core[key] = [w for w, x0, _, x1, _ in page_words if x1 <= edge]
        overlap[key] = [w for w, x0, _, x1, _ in page_words if x0 >= edge]
        text = " ".join(w for w, *_ in page_words)
        assert f"row {sheet.row} of {len(rows)}" in text
        assert "Actions" in core[key] or "Pain" in core[key] or "Emotions" in core[key]
    names = [tp.name for tp in m.touchpoints]
    for row in rows:
        # Left to right, the tiles' own columns give back the journey, each step once.
        joined = [w for c in cols for w in core[(row, c)] if w.startswith("Lépés")]
        assert joined == names
        for c in cols[:-1]:
            # The overlap strip repeats the next tile's first step.
            first_next = next(w for w in core[(row, c + 1)] if w.startswith("Lépés"))
            assert [w for w in overlap[(row, c)] if w.startswith("Lépés")] == [first_next]
        assert not [w for w in overlap[(row, cols[-1])] if w.startswith("Lépés")]
    # Every card on exactly one tile's own area.
    cards = [w for key in core for w in core[key] if w.startswith(("Kártya", "Ból"))]
    expected = [c.text.split()[0] for c in m.cards]
    assert sorted(cards) == sorted(expected)
    # Crop marks at the corners of each tile's own area.
    svg_text = pages.page_svg(m, layout, grid[0], date=DATE)
    assert svg_text.count("<line") >= 8
    assert 'class="jws-crop-marks"' in svg_text


def test_png_pages_at_the_asked_resolution(tmp_path: Path) -> None:
    m = jw.templates.it_laptop()
    written = m.to_png(tmp_path / "slide.png", page="slide", dpi=72, date=DATE)
    assert len(written) > 1
    assert [p.name for p in written][:2] == ["slide-1.png", "slide-2.png"]
    for path in written:
        data = path.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = struct.unpack(">II", data[16:24])
        assert (width, height) == (960, 540)
    (one,) = pages.to_png(m, tmp_path / "poster.png", "A0", dpi=20, date=DATE)
    assert one.name == "poster.png"


def test_bad_page_requests_say_what_is_wrong(tmp_path: Path) -> None:
    m = jw.templates.it_laptop()
    with pytest.raises(ExportError, match="unknown paper 'B7'"):
        m.to_pdf(tmp_path / "x.pdf", page="B7")
    with pytest.raises(ExportError, match="20-20000 mm"):
        m.to_pdf(tmp_path / "x.pdf", page=(5, 5))
    with pytest.raises(ExportError, match="dpi"):
        m.to_png(tmp_path / "x.png", dpi=0)
    with pytest.raises(jw.FileWriteError):
        m.to_pdf(tmp_path / "no" / "such" / "x.pdf")
    assert not list(tmp_path.iterdir())


def test_progress_is_reported_per_page(tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    m = jw.templates.energy_utility()
    pages.to_pdf(m, tmp_path / "a4.pdf", "A4", date=DATE, progress=lambda d, t: seen.append((d, t)))
    total = len(pages.plan(m, "A4").sheets)
    assert seen == [(n, total) for n in range(1, total + 1)]


def test_cli_converts_to_pdf_and_png(tmp_path: Path) -> None:
    source = small_map().save(tmp_path / "map.json")
    pdf = tmp_path / "map.pdf"
    assert cli.main(["convert", str(source), str(pdf), "--page", "A1"]) == 0
    assert set(page_sizes(pdf)) == {(2383.94, 1683.78)}
    poster = tmp_path / "wall.pdf"
    assert cli.main(["convert", str(source), str(poster), "--page", "A3", "--tiles", "A5"]) == 0
    assert set(page_sizes(poster)) == {(595.28, 419.53)}
    assert len(page_sizes(poster)) > 2
    png = tmp_path / "map.png"
    args = ["convert", str(source), str(png), "--page", "200x120", "--dpi", "20"]
    assert cli.main(args) == 0
    written = sorted(tmp_path.glob("map*.png"))  # map.png, or map-1.png, map-2.png...
    assert written
    assert all(p.read_bytes()[:4] == b"\x89PNG" for p in written)
    assert cli.main(["convert", str(source), str(tmp_path / "x.pdf"), "--page", "B9"]) == 1


def test_docstring_examples_run() -> None:
    import doctest

    result = doctest.testmod(pages, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


def test_a_lane_too_tall_for_a_page_goes_on_over_several(tmp_path: Path) -> None:
    m = jw.JourneyMap("Sixty notes in one cell", id="tall")
    m.add_stage("Wait", id="s")
    m.add_lane("Thoughts", kind="thoughts", id="l")
    m.add_touchpoint("Hotline", stage="s", id="t", emotion=-2)
    m.add_touchpoint("Letter", stage="s", id="u", emotion=1)
    for n in range(60):
        m.add_card(f"Notatka{n:02d} żółć", touchpoint="t" if n % 3 else "u", lane="l")
    layout = pages.plan(m, "A4")
    assert layout.min_text_pt >= 6.0  # split, not shrunk (a JourneyWarning would fail here)
    split = [s.view.cards for s in layout.sheets if s.view.cards is not None]
    assert len(split) > 1
    pdf = pages.to_pdf(m, tmp_path / "tall.pdf", "A4", date=DATE)
    found = [w for page_words in words(pdf) for w, *_ in page_words if w.startswith("Notatka")]
    assert sorted(found) == [f"Notatka{n:02d}" for n in range(60)]  # each card exactly once
    text = squeeze(run("pdftotext", "-raw", pdf, "-"))
    assert "Thoughts(continued)" in text
