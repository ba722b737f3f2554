"""The standalone page and the static page as text: data, scripts and escaping."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

import journeywidgets as jw
from journeywidgets import export, htmlsafe, nbhtml
from sharing_maps import PAYLOADS, payload_map, small_map


class _Scripts(HTMLParser):
    """Collects every element's tag and each script's type, src and text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.scripts: list[dict[str, str]] = []
        self._in: dict[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "script":
            self._in = {k: v or "" for k, v in attrs}
            self._in["text"] = ""

    def handle_data(self, data: str) -> None:
        if self._in is not None:
            self._in["text"] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._in is not None:
            self.scripts.append(self._in)
            self._in = None


def parse(page: str) -> _Scripts:
    parser = _Scripts()
    parser.feed(page)
    parser.close()
    return parser


def test_standalone_page_carries_the_map_as_data(tmp_path: Path) -> None:
    m = small_map()
    page = m.to_html(tmp_path / "map.html", language="pl", readonly=True)
    assert (tmp_path / "map.html").read_text(encoding="utf-8") == page
    scripts = parse(page).scripts
    assert [s.get("type", "") for s in scripts] == ["application/json", ""]
    assert all("src" not in s for s in scripts)  # everything inline
    data = json.loads(scripts[0]["text"])
    assert data["doc"] == m.to_dict()
    assert data["options"] == {"language": "pl", "readonly": True, "height": None}
    assert data["filename"] == "energy_small.json"
    assert data["theme"]["lane_colours"]["actions"] == m["actions"].display_colour  # type: ignore[attr-defined]
    assert "<title>Buying electricity</title>" in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)


def test_payloads_in_a_standalone_page_stay_inside_the_data() -> None:
    m = payload_map()
    page = export.to_html(m)
    parsed = parse(page)
    # Exactly our two scripts: no payload opened or closed an element.
    assert len(parsed.scripts) == 2
    assert "img" not in parsed.tags
    assert json.loads(parsed.scripts[0]["text"])["doc"] == m.to_dict()
    for payload in PAYLOADS:
        assert payload not in page
    assert "<title>&lt;script&gt;window.__pwned=1&lt;/script&gt;</title>" in page


def test_static_page_has_no_script() -> None:
    m = payload_map()
    page = export.static_page(m)
    parsed = parse(page)
    assert parsed.scripts == []
    assert "img" not in parsed.tags
    assert export.to_svg(m) in page


@pytest.mark.parametrize(
    "source",
    ['"</script>"', "'</SCRIPT >'", "/<!--x/", "// </script><script>alert(1)</script>"],
)
def test_inline_script_cannot_end_its_element(source: str) -> None:
    safe = htmlsafe.inline_script(source)
    assert not re.search(r"</script", safe, re.IGNORECASE)
    assert "<!--" not in safe
    parsed = parse(f"<script>{safe}</script>")
    assert len(parsed.scripts) == 1
    assert parsed.scripts[0]["text"] == safe


def test_script_json_round_trips_and_hides_markup() -> None:
    value = {"text": list(PAYLOADS), "n": 1, "ü": "ł & <>"}
    text = htmlsafe.script_json(value)
    assert json.loads(text) == value
    assert not set("<>&") & set(text)
    assert htmlsafe.inline_style("a{}</style><script>") == "a{}<\\/style><script>"


def test_nbconvert_widget_json_is_re_escaped() -> None:
    html = (
        '<script type="application/vnd.jupyter.widget-state+json">\n'
        '{"state": {"a": {"state": {"t": "<!--<script>x<\\/script>-->"}}}}\n</script>'
        '<script type="application/vnd.jupyter.widget-view+json">{"model_id": "a"}</script>'
    )
    out = nbhtml._safe_widget_json(html)
    assert "<!--" not in out
    blocks = re.findall(r'<script type="[^"]+">(.*?)</script>', out, re.DOTALL)
    assert json.loads(blocks[0]) == {"state": {"a": {"state": {"t": "<!--<script>x</script>-->"}}}}
    assert json.loads(blocks[1]) == {"model_id": "a"}


def test_notebook_html_without_state_has_no_widget_scripts() -> None:
    nb = jw.notebook.write_map(jw.notebook.new_notebook(), small_map())
    page = nbhtml.notebook_to_html(nb, execute_first=False)
    assert "embed-amd" not in page
    assert "cdn.jsdelivr.net" not in page
    assert "cdnjs.cloudflare.com" not in page
    assert not re.search(r"""<script[^>]+src=["']https?:""", page)
