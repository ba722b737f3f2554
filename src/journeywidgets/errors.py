"""One exception family for everything journeywidgets rejects.

Every error names what is at fault (the entity kind, its id, the field, a row or a line) so
that a notebook user can fix the input without reading a traceback.  Every operation that
raises leaves the map exactly as it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


def closest(name: str, candidates: Sequence[str], *, ignore_case: bool = False) -> str | None:
    """The candidate most like ``name``, for a "did you mean ...?" hint; None if none is close.

    Examples
    --------
    >>> closest("stge", ["stage", "touchpoint"])
    'stage'
    >>> closest("Stage", ["stage"], ignore_case=True)
    'stage'
    >>> closest("xyz", ["stage"]) is None
    True
    """
    import difflib  # only when an error is being written: keeps `import journeywidgets` lean

    if ignore_case:
        lowered = {c.lower(): c for c in candidates}
        match = difflib.get_close_matches(name.lower(), list(lowered), n=1, cutoff=0.6)
        return lowered[match[0]] if match else None
    match = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    return match[0] if match else None


@dataclass(frozen=True)
class Problem:
    """One thing that is wrong, with where it is.

    ``where`` is free text such as ``"card 'c7'"``, ``"row 12"`` or ``"line 4"``.
    """

    where: str
    field: str | None
    message: str

    def __str__(self) -> str:
        field = f", field {self.field!r}" if self.field else ""
        return f"{self.where}{field}: {self.message}"


class JourneyError(ValueError):
    """Base class of every error journeywidgets raises on bad input.

    Attributes
    ----------
    kind, id, field:
        The entity kind (``"card"``, ``"stage"``...), its id and the field at fault, when
        the error is about one entity.
    problems:
        Every problem found, when several are reported at once.
    """

    def __init__(
        self,
        message: str,
        *,
        kind: str | None = None,
        id: str | None = None,
        field: str | None = None,
        problems: Sequence[Problem] = (),
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.id = id
        self.field = field
        self.problems: tuple[Problem, ...] = tuple(problems)

    @classmethod
    def from_problems(cls, summary: str, problems: Sequence[Problem]) -> JourneyError:
        """Build one error that lists every problem on its own line."""
        lines = [f"{summary} ({len(problems)} problem{'s' if len(problems) != 1 else ''}):"]
        lines += [f"  - {p}" for p in problems]
        return cls("\n".join(lines), problems=problems)


class EditError(JourneyError):
    """An edit was rejected; the map is unchanged."""


class DocumentError(JourneyError):
    """A saved map (JSON text, file, notebook metadata) cannot be read."""


class SchemaVersionError(DocumentError):
    """The document was written by a newer journeywidgets than this one."""


class TableError(JourneyError):
    """A DataFrame or spreadsheet cannot be turned into a map."""


class SurveyError(JourneyError):
    """Survey data cannot be summarized or joined to the map."""


class MermaidError(JourneyError):
    """Mermaid ``journey`` text cannot be imported."""


class FileWriteError(JourneyError):
    """A file cannot be written (missing folder, a folder in the way, disk full); any file
    already at the path is left as it was."""

    def __init__(self, message: str, *, path: object = None) -> None:
        super().__init__(message)
        self.path = path


class JourneyWarning(UserWarning):
    """Something was accepted but is probably not what the user meant."""


class EventLogError(JourneyError):
    """An event log cannot be read or analysed (a missing column, an unparseable timestamp,
    a mapping that names no touchpoint)."""


class ReadOnlyError(JourneyError, AttributeError, TypeError):
    """An entity (or one of its dict fields) was changed in place.

    Entities are snapshots: change the map with an edit (``m.update(id, field=...)``) and
    read the new version with ``m.get(id)``.  It is also an ``AttributeError`` (what
    assigning to a read-only attribute raises) and a ``TypeError`` (what changing an
    immutable mapping raises).
    """


class ExportError(JourneyError):
    """A page, picture or print of the map cannot be made as asked (an unknown page size, a
    converter that is not installed)."""


class MissingFileError(JourneyError, FileNotFoundError):
    """A file to read does not exist (also a ``FileNotFoundError``); the message names it."""
