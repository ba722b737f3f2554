"""Mermaid ``journey`` diagrams: write a map as one, and read one into a map.

Mermaid's user journey (https://mermaid.js.org/syntax/userJourney.html) holds a title,
sections of tasks, a 1-5 score per task and the actors taking part::

    journey
        title My working day
        section Go to work
          Make tea: 5: Me
          Go upstairs: 3: Me, Cat

It maps onto a journey map as title -> title, ``accDescr`` -> description, section -> stage,
task -> touchpoint, score -> emotion (rescaled linearly between 1-5 and the map's scale) and
actor -> persona.  Which actors take part in which task is kept in the map's
``metadata["mermaid"]["actors"]`` so that a diagram read and written again keeps it.

The reader follows Mermaid's own grammar (its jison lexer) line by line, so text Mermaid
renders is read the same way, and it refuses with line numbers what Mermaid would accept
but draws as nonsense (a score of 9 or ``abc``).  Lanes, cards, channels and the other parts
a Mermaid journey cannot hold are left out on export and listed in a ``%%`` comment at the
top of the text (:func:`unsupported` returns the same list).
"""

from __future__ import annotations

import math
import re
import warnings
from typing import TYPE_CHECKING, Any

from .errors import JourneyWarning, MermaidError, Problem
from .model.entities import Scale
from .model.ids import new_id

if TYPE_CHECKING:
    from .model.journey import JourneyMap

#: Mermaid's score range.
SCORE_MIN, SCORE_MAX = 1.0, 5.0
#: Scores are written with at most this many decimals (an emotion of -1 on a -3..3 scale is
#: 2.33); reading snaps a score back onto the scale's step when it is that rounding.
SCORE_DECIMALS = 2
#: Where journeywidgets keeps what only a Mermaid diagram needs (actors per task...).
METADATA_KEY = "mermaid"

# Characters Mermaid's journey grammar reserves.  Mermaid has no escape for them in journey
# diagrams (its ``#35;`` entity codes are not decoded there), so on export each becomes a
# look-alike that renders the same: the text stays readable and the diagram parses.  The
# look-alikes are in common fonts (DejaVu included), unlike the fullwidth forms.
_LOOKALIKE = str.maketrans(
    {
        ":": "\ua789",  # MODIFIER LETTER COLON
        ";": "\u037e",  # GREEK QUESTION MARK, drawn as a semicolon
        "#": "\u266f",  # MUSIC SHARP SIGN
        "%": "\u066a",  # ARABIC PERCENT SIGN
        "\n": " ",
        "\r": " ",
        "\t": " ",
    }
)
# Actor lists are split on commas.
_ACTOR_LOOKALIKE = str.maketrans({",": "\u201a"})  # SINGLE LOW-9 QUOTATION MARK
# Mermaid shows the title through an HTML sanitizer: "&" and "<" come out as "&amp;" and
# "&lt;" (and tags are dropped), so the title uses look-alikes for those as well (a fullwidth
# ampersand: no font-common look-alike exists).
_TITLE_LOOKALIKE = str.maketrans({"&": "\uff06", "<": "\u02c2", ">": "\u02c3"})
# A task or section that starts with a keyword would be read as that keyword; a zero-width
# space in front keeps it a name and does not show.
_KEYWORD_START = re.compile(r"(?i)^(journey\b|title\s|section\s|acctitle\s*:|accdescr\s*[:{])")
_ZWSP = "\u200b"

_HEADER = re.compile(r"(?i)^journey\b\s*(#.*)?$")
_TITLE = re.compile(r"(?i)^title\s([^#\n;]*)(.*)$")
_SECTION = re.compile(r"(?i)^section\s([^#:\n;]*)(.*)$")
_ACC_TITLE = re.compile(r"(?i)^accTitle\s*:\s*(.*)$")
_ACC_DESCR = re.compile(r"(?i)^accDescr\s*:\s*(.*)$")
_ACC_DESCR_BLOCK = re.compile(r"(?i)^accDescr\s*\{\s*(.*)$")
_TASK = re.compile(r"^([^#:\n;]*)(:[^#\n;]*)?(.*)$")
# Mermaid's lexer skips "%..." (not "%%{") and "x%%..." at the start of a token.
_COMMENT = re.compile(r"^(%(?!\{)|[^}]%%)")
_DIRECTIVE = re.compile(r"^%%\{")


# =============================================================================== export
def _score(m: JourneyMap, emotion: float) -> float:
    scale = m.scale
    return SCORE_MIN + (emotion - scale.min) / (scale.max - scale.min) * (SCORE_MAX - SCORE_MIN)


def _fmt(value: float) -> str:
    return f"{round(value, SCORE_DECIMALS):g}"


def _text(text: str, *, starts_line: bool = True) -> str:
    safe = " ".join(text.translate(_LOOKALIKE).split())
    return _ZWSP + safe if starts_line and _KEYWORD_START.match(safe) else safe


def _actors_of(m: JourneyMap) -> dict[str, list[str]]:
    stored = m.metadata.get(METADATA_KEY, {})
    actors = stored.get("actors", {}) if isinstance(stored, dict) else {}
    return actors if isinstance(actors, dict) else {}


def unsupported(m: JourneyMap) -> list[str]:
    """What a Mermaid journey cannot hold and :func:`to_mermaid` leaves out, one item each.

    Examples
    --------
    >>> import journeywidgets as jw
    >>> m = jw.JourneyMap("Demo")
    >>> _ = m.add_lane("Actions", kind="actions")
    >>> unsupported(m)
    ['1 lane']
    """
    tps = m.touchpoints

    def count(n: int, what: str, plural: str | None = None) -> list[str]:
        return [f"{n} {what if n == 1 else plural or what + 's'}"] if n else []

    items: list[str] = []
    items += count(len(m.lanes), "lane")
    items += count(len(m.cards), "card")
    items += count(sum(1 for t in tps if t.channel), "channel")
    items += count(sum(1 for t in tps if t.moment_of_truth), "moment of truth", "moments of truth")
    items += count(sum(1 for t in tps if t.owner), "touchpoint owner")
    items += count(sum(1 for t in tps if t.description), "touchpoint description")
    items += count(
        sum(1 for t in tps if t.metrics), "touchpoint with metrics", "touchpoints with metrics"
    )
    items += count(sum(1 for t in tps if t.measured), "survey measurement")
    items += count(sum(1 for s in m.stages if s.description), "stage description")
    items += count(sum(1 for s in m.stages if not m.touchpoints_in(s.id)), "empty stage")
    items += count(
        sum(
            1
            for p in m.personas
            if p.role
            or p.goals
            or p.expectations
            or p.frustrations
            or p.quote
            or p.description
            or p.segment
        ),
        "persona profile",
    )
    items += count(sum(1 for t in tps if t.emotion is None), "touchpoint without emotion")
    items += count(
        sum(len(s.labels) for s in m.stages)
        + sum(len(t.labels) for t in tps)
        + sum(len(p.labels) for p in m.personas)
        + len(m.info.labels),
        "translated label",
    )
    items += ["the scenario"] if m.scenario else []
    items += (
        [f"map kind and state ({m.kind}, {m.state})"]
        if (m.kind, m.state)
        != (
            "customer",
            "current",
        )
        else []
    )
    return items


def to_mermaid(m: JourneyMap, *, language: str | None = None) -> str:
    """The map as Mermaid ``journey`` text.

    Stages become sections, touchpoints tasks, emotions 1-5 scores (linearly from the map's
    scale; a touchpoint without an emotion gets the neutral score), personas actors.  What
    Mermaid cannot hold is listed in a ``%%`` comment (see :func:`unsupported`).  Characters
    Mermaid's grammar reserves (``: ; # %``, newlines) are written as look-alikes.

    Parameters
    ----------
    m:
        The map.
    language:
        Write names in this language where an entity has a label for it.

    Examples
    --------
    >>> import journeywidgets as jw
    >>> m = jw.JourneyMap("Buying electricity", scale=(-2, 2))
    >>> _ = m.add_persona("Anna")
    >>> _ = m.add_stage("I want electricity")
    >>> _ = m.add_touchpoint("Website", stage="i_want_electricity", emotion=1)
    >>> print(to_mermaid(m), end="")
    journey
      title Buying electricity
      section I want electricity
        Website: 4: Anna
    """
    lines = ["journey"]
    title = m.info.labels.get(language or "", "") or m.title
    if title.strip():
        lines.append(f"  title {_text(title.translate(_TITLE_LOOKALIKE), starts_line=False)}")
    meta = m.metadata.get(METADATA_KEY, {})
    acc_title = meta.get("acc_title") if isinstance(meta, dict) else None
    if isinstance(acc_title, str) and acc_title.strip():
        lines.append(f"  accTitle: {' '.join(acc_title.split())}")
    if m.description.strip():
        lines.append(f"  accDescr: {' '.join(m.description.split())}")
    left_out = unsupported(m)
    if left_out:
        # Only counts go in the comment: user text there could forge a %%{directive}%%.
        lines.append("  %% journeywidgets: a Mermaid journey cannot hold, so this leaves out:")
        lines.append(f"  %% {', '.join(left_out)}")

    personas = {p.id: p for p in m.personas}
    default = [m.persona.id] if m.persona is not None else []
    actors_of = _actors_of(m)
    neutral = _score(m, m.scale.neutral)
    for stage in m.stages:
        lines.append(f"  section {_text(stage.label(language), starts_line=False) or _ZWSP}")
        for tp in m.touchpoints_in(stage.id):
            score = neutral if tp.emotion is None else _score(m, tp.emotion)
            ids = actors_of.get(tp.id, default)
            names = [
                _text(personas[pid].label(language), starts_line=False).translate(_ACTOR_LOOKALIKE)
                for pid in (ids if isinstance(ids, list) else [])
                if pid in personas
            ]
            line = f"    {_text(tp.label(language)) or _ZWSP}: {_fmt(score)}"
            lines.append(line + (f": {', '.join(names)}" if names else ""))
    return "\n".join(lines) + "\n"


# =============================================================================== import
class _Reader:
    """Reads Mermaid journey text line by line, collecting problems with line numbers."""

    def __init__(self, text: str) -> None:
        self.lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        self.errors: list[Problem] = []
        self.warnings: list[str] = []
        self.title = ""
        self.acc_title = ""
        self.acc_descr = ""
        self.config: Any = None
        # (section name, line) and (section index, task name, score, actors, line)
        self.sections: list[tuple[str, int]] = []
        self.tasks: list[tuple[int, str, float, list[str], int]] = []

    def error(self, line: int, message: str, field: str | None = None) -> None:
        self.errors.append(Problem(f"line {line}", field, message))

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(f"line {line}: {message}")

    def front_matter(self) -> int:
        """Read YAML front matter (``---`` ... ``---``); return the index of the next line."""
        if not self.lines or self.lines[0].strip() != "---":
            return 0
        for end in range(1, len(self.lines)):
            if self.lines[end].strip() == "---":
                break
        else:
            self.error(1, "the front matter that starts with '---' is never closed by '---'")
            return -1
        import yaml  # only needed for diagrams that have front matter

        try:
            data = yaml.safe_load("\n".join(self.lines[1:end]))
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = 2 + (mark.line if mark is not None else 0)
            problem = getattr(exc, "problem", None) or str(exc)
            self.error(where, f"the front matter is not valid YAML: {problem}")
            return end + 1
        if data is None:
            data = {}
        if not isinstance(data, dict):
            self.error(2, "the front matter must be YAML key: value pairs")
            return end + 1
        title = data.get("title")
        if title is not None:
            if isinstance(title, str | int | float):
                self.title = str(title).strip()
            else:
                self.error(2, "the front matter's title must be text", "title")
        if "config" in data:
            self.config = data["config"]
        return end + 1

    def read(self) -> None:
        start = self.front_matter()
        if start < 0:
            return
        seen_header = False
        block: list[str] | None = None  # lines of an open accDescr { ... }
        block_line = 0
        for index in range(start, len(self.lines)):
            number = index + 1
            raw = self.lines[index]
            if block is not None:
                head, brace, rest = raw.partition("}")
                block.append(head)
                if brace:
                    self.acc_descr = "\n".join(x.strip() for x in block).strip()
                    block = None
                    if rest.strip():
                        self.error(number, f"unexpected text after '}}': {rest.strip()!r}")
                continue
            line = raw.strip()
            # Blank lines, comments, and %%{init: ...}%% directives (rendering options only).
            if not line or line.startswith("#") or _COMMENT.match(line) or _DIRECTIVE.match(line):
                continue
            if not seen_header:
                if _HEADER.match(line):
                    seen_header = True
                    continue
                self.error(number, f"a Mermaid journey starts with 'journey', not {line!r}")
                return
            if match := _ACC_TITLE.match(line):
                self.acc_title = match.group(1).strip()
            elif match := _ACC_DESCR.match(line):
                self.acc_descr = match.group(1).strip()
            elif match := _ACC_DESCR_BLOCK.match(line):
                head, brace, rest = match.group(1).partition("}")
                if brace:
                    self.acc_descr = head.strip()
                    if rest.strip():
                        self.error(number, f"unexpected text after '}}': {rest.strip()!r}")
                else:
                    block, block_line = [head], number
            elif match := _TITLE.match(line):
                self.title = match.group(1).strip().lstrip(_ZWSP)
                self.check_rest(number, match.group(2))
            elif re.fullmatch(r"(?i)section", line):
                self.error(number, "the section has no name", "section")
            elif match := _SECTION.match(line):
                name = match.group(1).strip().lstrip(_ZWSP)
                if not name:
                    self.error(number, "the section has no name", "section")
                self.sections.append((name, number))
                self.check_rest(number, match.group(2), what="a section name")
            elif _HEADER.match(line):
                self.error(number, "'journey' may appear only once, on the first line")
            else:
                self.task(number, line)
        if block is not None:
            self.error(block_line, "'accDescr {' is never closed by '}'")
        if not seen_header:
            self.error(max(1, len(self.lines)), "the text has no 'journey' line: it is empty")

    def check_rest(self, number: int, rest: str, what: str = "") -> None:
        rest = rest.strip()
        if not rest or rest.startswith("#"):
            return
        if rest.startswith(";"):
            self.error(number, "';' is not allowed here (Mermaid's parser rejects it)")
        elif rest.startswith(":"):
            self.error(number, f"':' is not allowed in {what or 'this line'}")

    def task(self, number: int, line: str) -> None:
        match = _TASK.match(line)
        assert match is not None  # the pattern matches any line
        name, data, rest = match.group(1).strip().lstrip(_ZWSP), match.group(2), match.group(3)
        self.check_rest(number, rest)
        if not name:
            self.error(number, "the task has no name (a task is 'name: score: actors')", "task")
            return
        if data is None:
            self.error(
                number,
                f"task {name!r} has no score; write it as '{name}: 3' (score 1-5) "
                "or '{name}: 3: Actor'".replace("{name}", name),
                "score",
            )
            return
        pieces = data[1:].split(":")
        score_text = pieces[0].strip()
        try:
            score = float(score_text)
        except ValueError:
            score = math.nan
        if not math.isfinite(score):
            self.error(
                number,
                f"task {name!r}: the score {score_text!r} is not a number from 1 to 5",
                "score",
            )
            return
        if not SCORE_MIN <= score <= SCORE_MAX:
            self.error(
                number,
                f"task {name!r}: the score {score_text} is outside Mermaid's 1 to 5",
                "score",
            )
            return
        actors: list[str] = []
        if len(pieces) > 1:
            raw = pieces[1].split(",")
            actors = [a.strip() for a in raw if a.strip()]
            if len(actors) < len(raw):
                self.warn(number, f"task {name!r} has an empty actor name; it is left out")
        if len(pieces) > 2:
            extra = ":".join(pieces[2:]).strip()
            self.warn(
                number,
                f"task {name!r}: Mermaid ignores the text after the second ':' "
                f"({extra!r}); so does this import",
            )
        if not self.sections:
            self.warn(
                number,
                f"task {name!r} comes before any section; it goes into a stage named "
                f"{UNSECTIONED!r}",
            )
            self.sections.append((UNSECTIONED, number))
        self.tasks.append((len(self.sections) - 1, name, score, actors, number))


#: The stage that tasks written before any ``section`` go into.
UNSECTIONED = "Journey"


def from_mermaid(
    text: str,
    *,
    scale: Scale | tuple[float, float] | dict[str, Any] | None = None,
    id: str = "journey",
) -> JourneyMap:
    """Read Mermaid ``journey`` text into a new map.

    Parameters
    ----------
    text:
        The diagram, optionally with YAML front matter (``---`` / ``title: ...`` / ``---``),
        ``accTitle``, ``accDescr`` and ``%%`` or ``#`` comments.
    scale:
        The new map's emotion scale (default -3..3); scores 1-5 are rescaled onto it
        linearly, so 3 lands on the middle of the scale.
    id:
        The new map's id.

    Raises
    ------
    MermaidError
        Listing every problem with its line number: no ``journey`` line, a task without a
        score, a score that is not a number or is outside 1-5, a ``;``...

    Warns
    -----
    JourneyWarning
        For text Mermaid accepts but that is probably a slip: empty actor names, text after
        a second ``:``, tasks before any section.

    Examples
    --------
    >>> import journeywidgets as jw
    >>> m = jw.from_mermaid('''
    ... journey
    ...   title My working day
    ...   section Go to work
    ...     Make tea: 5: Me
    ...     Go upstairs: 3: Me, Cat
    ... ''')
    >>> [(t.name, t.emotion) for t in m.touchpoints]
    [('Make tea', 3.0), ('Go upstairs', 0.0)]
    >>> [p.name for p in m.personas]
    ['Me', 'Cat']
    """
    from .model.entities import as_scale
    from .model.journey import JourneyMap

    if not isinstance(text, str):
        raise MermaidError(f"Mermaid text must be a string, not {type(text).__name__}")
    reader = _Reader(text.lstrip("\ufeff"))
    reader.read()
    try:
        target = as_scale(scale)
    except ValueError as exc:
        raise MermaidError(f"scale: {exc}", field="scale") from None
    if reader.errors:
        raise MermaidError.from_problems("cannot read the Mermaid journey", reader.errors)
    for message in reader.warnings:
        warnings.warn(message, JourneyWarning, stacklevel=2)

    taken: set[str] = set()

    def fresh(kind: str, name: str) -> str:
        ident = new_id(kind, name, taken)
        taken.add(ident)
        return ident

    personas: dict[str, str] = {}  # actor name -> persona id
    for *_, actors, _line in reader.tasks:
        for actor in actors:
            if actor not in personas:
                personas[actor] = fresh("persona", actor)
    stage_ids = [fresh("stage", name) for name, _ in reader.sections]
    touchpoints, actors_of = [], {}
    span = target.max - target.min
    # How far a score rounded to SCORE_DECIMALS can be from the exact one, on the map's scale.
    tolerance = 0.5 * 10**-SCORE_DECIMALS / (SCORE_MAX - SCORE_MIN) * span + 1e-9
    for section, name, score, actors, _line in reader.tasks:
        tid = fresh("touchpoint", name)
        emotion = target.min + (score - SCORE_MIN) / (SCORE_MAX - SCORE_MIN) * span
        if abs(target.snap(emotion) - emotion) <= tolerance:
            emotion = target.snap(emotion)
        touchpoints.append(
            {"id": tid, "stage": stage_ids[section], "name": name, "emotion": round(emotion, 9)}
        )
        actors_of[tid] = [personas[a] for a in actors]
    metadata: dict[str, Any] = {}
    if actors_of and any(actors_of.values()):
        metadata["actors"] = actors_of
    if reader.acc_title:
        metadata["acc_title"] = reader.acc_title
    if reader.config is not None:
        metadata["config"] = reader.config
    doc = {
        "id": id,
        "title": reader.title,
        "description": reader.acc_descr,
        "scale": target.model_dump(),
        "metadata": {METADATA_KEY: metadata} if metadata else {},
        "personas": [{"id": pid, "name": name} for name, pid in personas.items()],
        "stages": [
            {"id": sid, "name": name}
            for sid, (name, _) in zip(stage_ids, reader.sections, strict=True)
        ],
        "touchpoints": touchpoints,
    }
    return JourneyMap.from_dict(doc)
