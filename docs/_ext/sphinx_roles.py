"""A griffe extension for the API reference: numpy docstrings as written for ``help()``.

Two habits of the source read well in ``help()`` and IDEs but not once griffe renders them:

- reST roles such as ``:class:`~journeywidgets.errors.EditError``` would print literally; they
  become inline code (`` `EditError` ``; the ``~`` form keeps the last name, as Sphinx does),
  not cross-references, since a reference to something the site does not document would fail
  the strict build;
- a prose paragraph after the last parameter of a ``Parameters`` section ("Rows are placed
  by...") would be read as more parameters; it is moved under a ``Notes`` heading.
"""

from __future__ import annotations

import re
from typing import Any

from griffe import Extension, Object

_ROLE = re.compile(r":(?:py:)?(?:class|func|meth|attr|mod|data|exc|obj|const):`(~?)([^`]+)`")
_PARAM_SECTIONS = {"parameters", "other parameters", "attributes", "keyword arguments"}
_NAME = re.compile(r"\*{0,2}[A-Za-z_]\w*")


def _code(match: re.Match[str]) -> str:
    short, target = match.group(1), match.group(2).strip()
    if short:
        target = target.rsplit(".", 1)[-1]
    return f"`{target}`"


def replace_roles(text: str) -> str:
    """Rewrite every Sphinx cross-reference role in ``text`` as inline code."""
    return _ROLE.sub(_code, text)


def _is_parameter_line(line: str) -> bool:
    """``name``, ``name : type``, ``name:``, ``a, b:`` or ``*args`` -- not a sentence."""
    text = line.strip()
    if " : " in text:
        return True
    names = text.removesuffix(":").split(",")
    return all(_NAME.fullmatch(name.strip()) for name in names)


def prose_to_notes(text: str) -> str:
    """Move prose paragraphs found among a section's parameters under a ``Notes`` heading."""
    lines = text.splitlines()
    out: list[str] = []
    section: str | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        underline = lines[i + 1] if i + 1 < len(lines) else ""
        if line.strip() and set(underline.strip()) == {"-"} and not line.startswith(" "):
            section = line.strip().lower()
            out += [line, underline]
            i += 2
            continue
        starts_paragraph = not out or not out[-1].strip()
        if (
            section in _PARAM_SECTIONS
            and starts_paragraph
            and line.strip()
            and not line.startswith((" ", "\t"))
            and not _is_parameter_line(line)
        ):
            out += ["Notes", "-----"]
            section = "notes"
        out.append(line)
        i += 1
    return "\n".join(out)


class SphinxRoles(Extension):
    """Rewrite roles and stray prose in every docstring griffe loads."""

    def on_instance(self, *, obj: Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = prose_to_notes(replace_roles(obj.docstring.value))
