"""Pages the sharing tests open in Chromium: Mermaid rendering from js/node_modules."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

REPO = Path(__file__).resolve().parents[2]
MERMAID_JS = REPO / "js" / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"

_MERMAID_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>mermaid</title></head>
<body><div id="out"></div>
<script src="{src}"></script>
<script>
window.renderMermaid = async (text) => {{
  mermaid.initialize({{ startOnLoad: false }});
  try {{
    const {{ svg }} = await mermaid.render("jw" + Math.random().toString(36).slice(2), text);
    document.getElementById("out").innerHTML = svg;
    return {{ ok: true }};
  }} catch (error) {{
    return {{ ok: false, error: String((error && error.message) || error) }};
  }}
}};
</script></body></html>
"""


def mermaid_js() -> Path:
    """The real mermaid bundle from ``npm ci`` in js/ (a devDependency)."""
    if not MERMAID_JS.is_file():
        pytest.fail(f"{MERMAID_JS} is missing: run `make build` (npm ci in js/)", pytrace=False)
    return MERMAID_JS


def render_mermaid(page: Page, tmp_path: Path, text: str) -> dict[str, Any]:
    """Render Mermaid ``text`` with the real mermaid package in a local file:// page.

    Returns ``{"ok": bool, "error": str | None, "texts": [...], "svg": bool}`` where ``texts``
    is the text content of every SVG ``<text>`` element drawn.
    """
    html = tmp_path / "mermaid.html"
    html.write_text(_MERMAID_PAGE.format(src=mermaid_js().as_uri()), encoding="utf-8")
    page.goto(html.as_uri())
    result: dict[str, Any] = page.evaluate("text => window.renderMermaid(text)", text)
    result["svg"] = page.locator("#out svg").count() == 1
    result["texts"] = page.evaluate(
        "() => Array.from(document.querySelectorAll('#out svg text')).map(t => t.textContent)"
    )
    return result


def squash(text: str) -> str:
    """``text`` without whitespace (nor zero-width spaces), to compare text a renderer may
    wrap over lines."""
    return "".join(text.replace("\u200b", "").split())


def dump(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=1)[:4000]


__all__ = ["REPO", "dump", "mermaid_js", "render_mermaid", "squash"]
