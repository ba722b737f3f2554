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

The reader runs Mermaid 11's own journey lexer (ported rule for rule), so text Mermaid
renders is read the same way, and it refuses with line numbers what Mermaid would accept
but draws as nonsense (a score of 9 or ``abc``).  Every text written goes through
:func:`escape` (and is read back through :func:`unescape`), so no name can break the
diagram.  Lanes, cards, channels and the other parts a Mermaid journey cannot hold are left
out on export and listed in a ``%%`` comment at the top of the text (:func:`unsupported`
returns the same list).
"""

from __future__ import annotations

import bisect
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

# Characters Mermaid reserves in a journey.  Mermaid has no escape for them there (its
# ``#35;`` entity codes are not decoded in journeys), so :func:`escape` writes each as a
# look-alike that renders the same; the look-alikes are in common fonts (DejaVu included).
# ": ; # %" end or start tokens of its grammar (and "%%" starts comments and %%{directives}%%
# anywhere in the text); "< > &" go through its HTML clean-up and sanitizer; "," splits actors.
_RESERVED = {
    ":": "\ua789",  # MODIFIER LETTER COLON
    ";": "\u037e",  # GREEK QUESTION MARK, drawn as a semicolon
    "#": "\u266f",  # MUSIC SHARP SIGN
    "%": "\u066a",  # ARABIC PERCENT SIGN
    "&": "\uff06",  # FULLWIDTH AMPERSAND (no font-common narrower look-alike exists)
    "<": "\u02c2",  # MODIFIER LETTER LEFT ARROWHEAD
    ">": "\u02c3",  # MODIFIER LETTER RIGHT ARROWHEAD
}
_ACTOR_RESERVED = {**_RESERVED, ",": "\u201a"}  # SINGLE LOW-9 QUOTATION MARK
_LOOKALIKES = {v: k for k, v in _ACTOR_RESERVED.items()}
#: The escape mark: an invisible WORD JOINER in front of a look-alike says "this look-alike is
#: the user's own", a doubled one is the user's own word joiner, and one in front of anything
#: else keeps a name that starts like a keyword (``title``, ``section``...) a name.  So
#: reading undoes writing exactly: ``from_mermaid(to_mermaid(m))`` keeps every name's
#: characters (whitespace aside).
MARK = "\u2060"
# A task starts a token of Mermaid's grammar, so one starting with a keyword would be read as
# that keyword (accTitle/accDescr need their ":" or "{", which is a look-alike by then).
_KEYWORD_START = re.compile(r"(?i)^(journey\b|title\s|section\s|accdescr\s*\{)")
_ZWSP = "\u200b"  # what journeywidgets 0.x put in front of such names


def escape(text: str, *, actor: bool = False) -> str:
    """``text`` as it is written into Mermaid journey text: every title, section, task, actor,
    ``accTitle`` and ``accDescr`` goes through here, so no user text can end a statement,
    start a comment or a ``%%{init}%%`` directive, or turn into a keyword.

    Whitespace (newlines, tabs, runs of spaces, U+FEFF) becomes one space and is trimmed at
    the ends, as Mermaid has no multi-line names; everything else is read back exactly by
    :func:`unescape`.

    Examples
    --------
    >>> escape("Pay: 100% #1; done")
    'Pay\ua789 100\u066a \u266f1\u037e done'
    >>> escape("title page") == MARK + "title page"
    True
    >>> unescape(escape("%%{init: {'theme': 'dark'}}%%\\n<b>&amp;</b>"))
    "%%{init: {'theme': 'dark'}}%% <b>&amp;</b>"
    """
    reserved = _ACTOR_RESERVED if actor else _RESERVED
    out = []
    # U+FEFF is whitespace to Mermaid (JavaScript's \s), not to Python
    for char in " ".join(text.replace("\ufeff", " ").split()):
        if char == MARK:
            out.append(MARK + MARK)
        elif char in _LOOKALIKES:
            out.append(MARK + char)
        else:
            out.append(reserved.get(char, char))
    safe = "".join(out)
    return MARK + safe if _KEYWORD_START.match(safe) else safe


def unescape(text: str) -> str:
    """The text :func:`escape` was given (after whitespace is made single spaces).

    Look-alikes without the mark become the characters they stand for; text written by
    hand, which has no look-alikes, comes back as it is.

    >>> unescape("a\ua789 b"), unescape("a\u2060\ua789 b")
    ('a: b', 'a\ua789 b')
    """
    if text.startswith(_ZWSP) and _KEYWORD_START.match(text[1:]):
        text = text[1:]
    out = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char == MARK:  # the mark says the next character is the user's own
            following = text[i + 1] if i + 1 < n else ""
            if following == MARK or following in _LOOKALIKES:
                out.append(following)
                i += 2
            else:  # the mark in front of a name that starts like a keyword
                i += 1
        else:
            out.append(_LOOKALIKES.get(char, char))
            i += 1
    return "".join(out)


# =============================================================================== export
def _score(m: JourneyMap, emotion: float) -> float:
    scale = m.scale
    return SCORE_MIN + (emotion - scale.min) / (scale.max - scale.min) * (SCORE_MAX - SCORE_MIN)


def _fmt(value: float) -> str:
    return f"{round(value, SCORE_DECIMALS):g}"


def _name(name: str, ident: str) -> str:
    # Mermaid needs a character where a name goes: a lone mark for an empty name, and the id
    # for a name of whitespace only (nothing Mermaid can show; the map needs a name there)
    return escape(name) or (escape(ident) if name else MARK)


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
        lines.append(f"  title {escape(title)}")
    meta = m.metadata.get(METADATA_KEY, {})
    acc_title = meta.get("acc_title") if isinstance(meta, dict) else None
    if isinstance(acc_title, str) and acc_title.strip():
        lines.append(f"  accTitle: {escape(acc_title)}")
    if m.description.strip():
        lines.append(f"  accDescr: {escape(m.description)}")
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
        # a lone mark for an empty name: Mermaid needs a character there
        lines.append(f"  section {_name(stage.label(language), stage.id)}")
        for tp in m.touchpoints_in(stage.id):
            score = neutral if tp.emotion is None else _score(m, tp.emotion)
            ids = actors_of.get(tp.id, default)
            # a name that is only whitespace has nothing Mermaid can show: its id stands in
            names = [
                escape(personas[pid].label(language), actor=True) or escape(pid, actor=True)
                for pid in (ids if isinstance(ids, list) else [])
                if pid in personas
            ]
            line = f"    {_name(tp.label(language), tp.id)}: {_fmt(score)}"
            lines.append(line + (f": {', '.join(names)}" if names else ""))
    return "\n".join(lines) + "\n"


# =============================================================================== import
# ------------------------------------------------------------------ Mermaid's lexer, ported
# Mermaid 11's journey grammar (src/diagrams/user-journey/parser/journey.jison) reads a stream
# of tokens, not lines: rules are tried in this order and the first that matches wins, exactly
# as jison does.  JavaScript's \s and \b differ from Python's, hence the explicit classes.
_WS = "\t\n\x0b\x0c\r \xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_S = f"[{_WS}]"


def _rule(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(pattern.replace(r"\s", _S), re.IGNORECASE | flags)


_RULES: dict[str, list[tuple[re.Pattern[str], str | None]]] = {
    "INITIAL": [
        (_rule(r"%(?!\{)[^\n]*"), None),  # a comment ("%%{" is a directive)
        (_rule(r"[^\}]%%[^\n]*"), None),  # "x%%..." at a token's start: a comment too
        (_rule(r"[\n]+"), "NEWLINE"),
        (_rule(r"\s+"), None),
        (_rule(r"#[^\n]*"), None),
        (_rule(r"journey\b", re.ASCII), "journey"),
        (_rule(r"title\s[^#\n;]+"), "title"),
        (_rule(r"accTitle\s*:\s*"), "acc_title"),
        (_rule(r"accDescr\s*:\s*"), "acc_descr"),
        (_rule(r"accDescr\s*\{\s*"), "acc_descr_open"),
        (_rule(r"section\s[^#:\n;]+"), "section"),
        (_rule(r"[^#:\n;]+"), "task_name"),
        (_rule(r":[^#\n;]+"), "task_data"),
        (_rule(r":"), ":"),
        (_rule(r"\Z"), "EOF"),
        (_rule(r"."), "INVALID"),
    ],
    "acc_title": [(_rule(r"[^\n]*"), "acc_title_value")],
    "acc_descr": [(_rule(r"[^\n]*"), "acc_descr_value")],
    "acc_descr_multiline": [
        (_rule(r"[\}]"), "acc_descr_close"),
        (_rule(r"[^\}]*"), "acc_descr_multiline_value"),
    ],
}
_NEXT_STATE = {
    "acc_title": "acc_title",
    "acc_descr": "acc_descr",
    "acc_descr_open": "acc_descr_multiline",
    "acc_title_value": "INITIAL",
    "acc_descr_value": "INITIAL",
    "acc_descr_close": "INITIAL",
}
# Mermaid removes %%{directives}%% (which may span lines) before parsing; this is its regex.
_DIRECTIVES = re.compile(
    r"%{2}\{\s*(?:(\w+)\s*:|(\w+))\s*(?:(\w+)|((?:(?!\}%{2}).|\r?\n)*))?\s*(?:\}%{2})?",
    re.IGNORECASE | re.ASCII,
)


_NUMBER = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")


def _tokens(text: str) -> list[tuple[str, str, int]]:
    """``(kind, text, line)`` for each token Mermaid's lexer makes of ``text``."""
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    state, pos, done = "INITIAL", 0, False
    out: list[tuple[str, str, int]] = []
    while True:
        if pos >= len(text):
            if done:
                return out
            done = True
        for pattern, rule in _RULES[state]:
            match = pattern.match(text, pos)
            if match:
                kind = rule
                break
        else:  # pragma: no cover - every state has a rule that matches anything
            return out
        if kind is not None:
            out.append((kind, match.group(), bisect.bisect_right(starts, pos)))
            state = _NEXT_STATE.get(kind, state)
        pos = match.end()


class _Reader:
    """Reads Mermaid journey text token by token, collecting problems with line numbers."""

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
        # Directives go first, as in Mermaid; newlines are kept so line numbers stay right.
        body = "\n" * start + _DIRECTIVES.sub(
            lambda m: "\n" * m.group().count("\n"), "\n".join(self.lines[start:])
        )
        tokens = [t for t in _tokens(body + "\n") if t[0] != "NEWLINE"]
        if not tokens or tokens[0][0] == "EOF":
            self.error(max(1, len(self.lines)), "the text has no 'journey' line: it is empty")
            return
        if tokens[0][0] != "journey":
            line = tokens[0][2]
            shown = self.lines[line - 1].strip() if line <= len(self.lines) else tokens[0][1]
            self.error(line, f"a Mermaid journey starts with 'journey', not {shown!r}")
            return
        bad_line = 0  # after a problem, the rest of its line is not read (no follow-on errors)
        previous: tuple[str, str, int] = tokens[0]
        index = 1
        while index < len(tokens):
            kind, value, number = token = tokens[index]
            index += 1
            if kind == "EOF":
                break
            if number == bad_line:
                previous = token
                continue
            problems = len(self.errors)
            if kind == "journey":
                self.error(number, "'journey' may appear only once, on the first line")
            elif kind == "title":
                self.title = unescape(value[6:].strip())
            elif kind in ("acc_title", "acc_descr"):
                text = tokens[index][1].strip() if index < len(tokens) else ""
                index += 1  # the value always follows (its rule matches anything)
                if kind == "acc_title":
                    self.acc_title = unescape(text)
                else:
                    self.acc_descr = unescape(text)
            elif kind == "acc_descr_open":
                text = ""
                if index < len(tokens) and tokens[index][0] == "acc_descr_multiline_value":
                    text = tokens[index][1]
                    index += 1
                if index < len(tokens) and tokens[index][0] == "acc_descr_close":
                    index += 1
                    self.acc_descr = unescape("\n".join(x.strip() for x in text.split("\n")))
                    self.acc_descr = self.acc_descr.strip()
                else:
                    self.error(number, "'accDescr {' is never closed by '}'")
                    return
            elif kind == "section":
                name = value[8:].strip()
                if not name:
                    self.error(number, "the section has no name", "section")
                self.sections.append((unescape(name), number))
            elif kind == "task_name":
                data = tokens[index] if index < len(tokens) else ("EOF", "", number)
                if data[0] == "task_data":
                    index += 1
                    self.task(number, value, data[1])
                elif value.strip().lower() == "section":
                    self.error(number, "the section has no name", "section")
                else:
                    name = unescape(value.strip())
                    self.error(
                        number,
                        f"task {name!r} has no score; write it as '{name}: 3' (score 1-5) "
                        f"or '{name}: 3: Actor'",
                        "score",
                    )
            elif kind == "task_data":
                if previous[0] == "section" and previous[2] == number:
                    self.error(number, "':' is not allowed in a section name")
                else:
                    self.error(
                        number, "the task has no name (a task is 'name: score: actors')", "task"
                    )
            elif kind == ":":
                self.error(number, "':' is not allowed here (a task is 'name: score: actors')")
            else:  # INVALID
                what = "';'" if value == ";" else repr(value)
                self.error(number, f"{what} is not allowed here (Mermaid's parser rejects it)")
            if len(self.errors) > problems:
                bad_line = number
            previous = token

    def task(self, number: int, raw_name: str, data: str) -> None:
        name = unescape(raw_name.strip())
        if not raw_name.strip():
            self.error(number, "the task has no name (a task is 'name: score: actors')", "task")
            return
        pieces = data[1:].split(":")
        score_text = pieces[0].strip()
        # what JavaScript's Number() reads as a finite number (no "1_0", "inf" or "٣")
        score = float(score_text) if _NUMBER.fullmatch(score_text) else math.nan
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
            actors = [name for name in (unescape(a.strip()) for a in raw) if name]
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
