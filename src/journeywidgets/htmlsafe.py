"""Putting scripts, styles and data inside an HTML page without letting them end early.

The HTML parser ends a ``<script>`` or ``<style>`` element at the first ``</script`` or
``</style``, and ``<!--`` inside a script changes how it reads on, whatever the content
means.  These helpers make inlined code and JSON data unable to do either, so that no
text in a map (``</script><script>...``) can break out of the element it travels in.
"""

from __future__ import annotations

import json
import re
from typing import Any

_SCRIPT_END = re.compile(r"</(script)", re.IGNORECASE)
_STYLE_END = re.compile(r"</(style)", re.IGNORECASE)


def inline_script(source: str) -> str:
    """JavaScript ``source`` made safe to place between ``<script>`` and ``</script>``.

    ``<\\/`` and ``<\\!`` read the same as ``</`` and ``<!`` in JavaScript strings, regular
    expressions and comments, which is the only place these sequences occur in a script.

    Examples
    --------
    >>> inline_script('s = "</script>"')
    's = "<\\\\/script>"'
    """
    return _SCRIPT_END.sub(r"<\\/\1", source).replace("<!--", "<\\!--")


def inline_style(css: str) -> str:
    """CSS made safe to place between ``<style>`` and ``</style>``."""
    return _STYLE_END.sub(r"<\\/\1", css)


def script_json(value: Any) -> str:
    """JSON for an inline ``<script type="application/json">`` block.

    ``<``, ``>`` and ``&`` are written as ``\\u003c``, ``\\u003e`` and ``\\u0026``: JSON reads
    them back unchanged, and no text can close the element or open an HTML comment.

    Examples
    --------
    >>> script_json({"text": "</script><!--"})
    '{"text": "\\\\u003c/script\\\\u003e\\\\u003c!--"}'
    """
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
