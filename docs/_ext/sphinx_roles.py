"""A griffe extension for the API reference: Sphinx roles in docstrings become inline code.

The source's docstrings use reST roles such as ``:class:`~journeywidgets.errors.EditError```
(read well in ``help()`` and IDEs), which Markdown would print literally. They are turned into
`` `EditError` `` (the ``~`` form keeps only the last name, as Sphinx does), not into
cross-references: a reference to something the site does not document would fail the strict
build.
"""

from __future__ import annotations

import re
from typing import Any

from griffe import Extension, Object

_ROLE = re.compile(r":(?:py:)?(?:class|func|meth|attr|mod|data|exc|obj|const):`(~?)([^`]+)`")


def _code(match: re.Match[str]) -> str:
    short, target = match.group(1), match.group(2).strip()
    if short:
        target = target.rsplit(".", 1)[-1]
    return f"`{target}`"


def replace_roles(text: str) -> str:
    """Rewrite every Sphinx cross-reference role in ``text`` as inline code."""
    return _ROLE.sub(_code, text)


class SphinxRoles(Extension):
    """Rewrite Sphinx roles in every docstring griffe loads."""

    def on_instance(self, *, obj: Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = replace_roles(obj.docstring.value)
