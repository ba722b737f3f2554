"""``JourneyMap``: the single source of truth every view and codec reads.

Every change goes through :meth:`JourneyMap.apply` (the ``add_*``, ``update``, ``move``,
``remove`` and ``set_emotion`` methods are thin, readable wrappers that build an edit).  That
gives undo/redo, a history, change events for views, and the guarantee that a rejected change
leaves the map exactly as it was.
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import ValidationError as PydanticError

from .. import atomic
from ..errors import EditError, JourneyWarning
from . import document
from .edits import (
    Add,
    Batch,
    Edit,
    Move,
    Remove,
    SetEmotion,
    Update,
    apply,
    make,
    parse_edit,
)
from .entities import Card, Entity, Lane, MapInfo, Persona, Scale, Stage, Touchpoint, as_scale
from .explain import location, message
from .history import DEFAULT_UNDO_LIMIT, History
from .store import Store

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Change:
    """What a view hears when the map changes.

    Attributes
    ----------
    edit:
        The edit as applied (ids generated, positions resolved).
    inverse:
        The edit that undoes it.
    version:
        The map's version after the change (it grows by one per change).
    action:
        ``"edit"``, ``"undo"`` or ``"redo"``.
    origin:
        Who asked for it: ``"python"`` or a view's own tag, so a view can skip its own echo.
    """

    edit: Edit
    inverse: Edit
    version: int
    action: Literal["edit", "undo", "redo"]
    origin: str


Observer = Callable[[Change], None]


def _map_error(exc: PydanticError, prefix: str = "") -> EditError:
    """An error about the map's own fields, naming each field at fault."""
    parts, fields = [], []
    for err in exc.errors():
        field = ".".join(p for p in [prefix, location(err["loc"])] if p)
        fields.append(field)
        msg = message(err)
        parts.append(f"field {field!r}: {msg}" if field else msg)
    return EditError(f"map: {'; '.join(parts)}", kind="map", field=fields[0] or None)


class JourneyMap:
    """A customer (or employee) journey map: stages, touchpoints, lanes, cards and personas.

    Parameters
    ----------
    title:
        What the map is called.
    description, scenario:
        Free text: what the map covers, and the persona's scenario.
    kind:
        ``"customer"`` or ``"employee"``.
    state:
        ``"current"`` (as is) or ``"future"`` (to be).
    scale:
        The emotion scale: a :class:`Scale`, a ``(min, max)`` pair or a dict.  Default -3..3.
    language:
        The language of the names; other languages go in each entity's ``labels``.
    id:
        A stable id for the map itself (used when several maps are compared).
    undo_limit:
        How many changes :meth:`undo` can take back (default 1,000); older ones are
        forgotten, and :attr:`history` keeps as many entries.  Settable later as
        ``m.undo_limit``.

    Notes
    -----
    A map is safe to edit from several threads (a widget's messages may be handled on
    another thread while a cell runs): each edit, undo, redo and ``with m.batch():`` block
    holds the map's lock, so edits never interleave inside one another.  The lock is
    re-entrant: an observer may edit the map it observes.

    Entities (``m.cards[0]``, ``m.get(id)``) are immutable snapshots: an edit replaces them,
    so re-read an entity with ``m.get(id)`` after changing it.

    Examples
    --------
    >>> import journeywidgets as jw
    >>> m = jw.JourneyMap("Buying electricity", scale=(-2, 2))
    >>> m.add_stage("I want electricity").id
    'i_want_electricity'
    >>> m.add_lane("Actions", kind="actions").colour or "default"
    'default'
    >>> tp = m.add_touchpoint("Website", stage="i_want_electricity", emotion=1)
    >>> m.add_card("Compares tariffs", touchpoint=tp.id, lane="actions").id
    'card_1'
    >>> m.undo()
    True
    >>> len(m.cards)
    0
    """

    def __init__(
        self,
        title: str = "",
        *,
        description: str = "",
        scenario: str = "",
        kind: Literal["customer", "employee"] = "customer",
        state: Literal["current", "future"] = "current",
        scale: Scale | Mapping[str, Any] | tuple[float, float] | None = None,
        language: str = "en",
        id: str = "journey",
        labels: Mapping[str, str] | None = None,
        metadata: Mapping[str, Any] | None = None,
        undo_limit: int = DEFAULT_UNDO_LIMIT,
    ) -> None:
        self._init_state(Store(), undo_limit)
        fields: dict[str, Any] = {
            "id": id,
            "title": title,
            "description": description,
            "scenario": scenario,
            "kind": kind,
            "state": state,
            "language": language,
            "labels": dict(labels or {}),
            "metadata": dict(metadata or {}),
        }
        try:
            fields["scale"] = as_scale(scale)
        except PydanticError as exc:
            raise _map_error(exc, prefix="scale") from None
        except (TypeError, ValueError) as exc:
            raise EditError(f"map: field 'scale': {exc}", kind="map", field="scale") from None
        try:
            self._store.info = MapInfo.model_validate(fields)
        except PydanticError as exc:
            raise _map_error(exc) from None

    def _init_state(self, store: Store, undo_limit: int = DEFAULT_UNDO_LIMIT) -> None:
        self._store = store
        self._history = History(limit=History.check_limit(undo_limit))
        self._observers: list[Observer] = []
        self._version = 0
        self._batch: list[tuple[Edit, Edit]] | None = None
        # one lock per map, re-entrant so that observers may edit the map they observe
        self._lock = threading.RLock()

    def __getstate__(self) -> dict[str, Any]:
        # copy.deepcopy and pickle: everything but the lock, which belongs to this object
        state = dict(self.__dict__)
        del state["_lock"]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._lock = threading.RLock()

    # ================================================================ construction
    @classmethod
    def _from_store(cls, store: Store) -> JourneyMap:
        m = cls.__new__(cls)
        m._init_state(store)
        return m

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> JourneyMap:
        """Build a map from a document dict (as :meth:`to_dict` writes), validating all of it.

        Raises :class:`~journeywidgets.errors.DocumentError` listing every problem.
        """
        if isinstance(data, Mapping) and not isinstance(data, dict):
            data = dict(data)
        return cls._from_store(document.to_store(data))

    @classmethod
    def from_json(cls, text: str | bytes) -> JourneyMap:
        """Build a map from JSON text, as :meth:`to_json` writes it (``jw.loads`` is an
        alias); :func:`journeywidgets.read_json` reads a file."""
        return document.loads(text)

    @classmethod
    def from_mermaid(cls, text: str, **options: Any) -> JourneyMap:
        """Build a map from Mermaid ``journey`` text; see
        :func:`journeywidgets.mermaid.from_mermaid` (``jw.from_mermaid`` is an alias).

        Examples
        --------
        >>> import journeywidgets as jw
        >>> m = jw.JourneyMap.from_mermaid("journey\\n  section Go\\n    Make tea: 5: Me\\n")
        >>> [t.name for t in m.touchpoints]
        ['Make tea']
        """
        from .. import mermaid

        return mermaid.from_mermaid(text, **options)

    @classmethod
    def from_dataframes(cls, tables: Mapping[str, Any], **options: Any) -> JourneyMap:
        """Build a map from tidy tables; see :func:`journeywidgets.frames.from_dataframes`.

        Raises :class:`~journeywidgets.errors.TableError` listing every problem.
        """
        from .. import frames

        return frames.from_dataframes(tables, **options)

    def to_dict(self) -> dict[str, Any]:
        """The map as a JSON-able document dict, with ``schema_version``."""
        return document.to_document(self._store).model_dump(mode="json")

    def to_json(self, path: str | Path | None = None, *, indent: int | None = 2) -> str:
        """The map as JSON text (also written to ``path``, UTF-8, when given); non-ASCII
        text is kept as written.

        A file is written atomically: a write that fails or is killed half way leaves
        whatever was at ``path`` as it was, and a folder that is missing or in the way is a
        :class:`~journeywidgets.errors.FileWriteError` naming the path.

        pydantic's serializer writes it straight from the entities (several times faster
        than ``json.dumps`` of :meth:`to_dict` on big maps).

        Examples
        --------
        >>> import journeywidgets as jw
        >>> jw.JourneyMap("Demo").to_json(indent=None)[:31]
        '{"id":"journey","title":"Demo",'
        """
        with self._lock:
            text = document.to_document(self._store).model_dump_json(indent=indent)
        if path is not None:
            atomic.write_text(Path(path), text)
        return text

    def save(self, path: str | Path) -> Path:
        """Write the map as JSON to ``path``; returns the path.  The same as
        ``m.to_json(path)`` (kept as the familiar spelling)."""
        path = Path(path)
        self.to_json(path)
        return path

    def copy(self) -> JourneyMap:
        """An independent copy of the map (without history or observers)."""
        return JourneyMap.from_dict(self.to_dict())

    def diff(self, other: JourneyMap | Mapping[str, Any] | str | Path) -> pd.DataFrame:
        """What changed from this map to ``other``; see :func:`journeywidgets.diff`.

        Examples
        --------
        >>> import journeywidgets as jw
        >>> m = jw.templates.energy_utility()
        >>> new = m.copy()
        >>> _ = new.set_emotion("invoice_arrives", 2)
        >>> m.diff(new).summary()
        '1 emotion changed'
        """
        from .. import versions

        return versions.diff(self, other)

    def to_dataframes(self) -> dict[str, pd.DataFrame]:
        """The map's tidy tables (``map``, ``personas``, ``stages``, ``touchpoints``,
        ``lanes``, ``cards``); :meth:`from_dataframes` reads them back losslessly.  See
        :func:`journeywidgets.frames.to_dataframes`."""
        from .. import frames

        return frames.to_dataframes(self)

    def to_dataframe(self, table: str = "touchpoints") -> pd.DataFrame:
        """One of the map's tidy tables; see :func:`journeywidgets.frames.to_dataframes`."""
        from .. import frames

        return frames.to_dataframe(self, table)

    def to_svg(self, path: str | Path | None = None, *, language: str | None = None) -> str:
        """The whole map as standalone SVG (also written to ``path`` when given, atomically);
        see :func:`journeywidgets.export.to_svg`."""
        from .. import export

        svg = export.to_svg(self, language=language)
        if path is not None:
            atomic.write_text(Path(path), svg)
        return svg

    def to_html(self, path: str | Path | None = None, **options: Any) -> str:
        """One self-contained, offline, interactive HTML page of the map (written to ``path``
        when given); see :func:`journeywidgets.export.to_html`."""
        from .. import export

        return export.to_html(self, path, **options)

    def to_pdf(
        self, path: str | Path, page: str | tuple[float, float] = "A3", **options: Any
    ) -> Path:
        """Write the map as a PDF at slide, paper or poster size (split across pages when it
        cannot fit legibly); see :func:`journeywidgets.pages.to_pdf`."""
        from .. import pages

        return pages.to_pdf(self, path, page, **options)

    def to_png(
        self, path: str | Path, page: str | tuple[float, float] = "slide", **options: Any
    ) -> list[Path]:
        """Write the map's pages as PNG images; see :func:`journeywidgets.pages.to_png`."""
        from .. import pages

        return pages.to_png(self, path, page, **options)

    def to_mermaid(self, path: str | Path | None = None, *, language: str | None = None) -> str:
        """The map as Mermaid ``journey`` text (also written to ``path`` when given,
        atomically); see :func:`journeywidgets.mermaid.to_mermaid`."""
        from .. import mermaid

        text = mermaid.to_mermaid(self, language=language)
        if path is not None:
            atomic.write_text(Path(path), text)
        return text

    def _repr_html_(self) -> str:
        # Displaying a map (not a widget) shows a static picture of it.
        from .. import export

        return export.static_html(self)

    # ================================================================ reading
    @property
    def info(self) -> MapInfo:
        """The map's own fields (title, kind, state, scale...) as one immutable object."""
        return self._store.info

    title = property(lambda self: self._store.info.title, lambda self, v: self.set(title=v))
    description = property(
        lambda self: self._store.info.description, lambda self, v: self.set(description=v)
    )
    scenario = property(
        lambda self: self._store.info.scenario, lambda self, v: self.set(scenario=v)
    )
    kind = property(lambda self: self._store.info.kind, lambda self, v: self.set(kind=v))
    state = property(lambda self: self._store.info.state, lambda self, v: self.set(state=v))
    language = property(
        lambda self: self._store.info.language, lambda self, v: self.set(language=v)
    )
    metadata = property(
        lambda self: dict(self._store.info.metadata), lambda self, v: self.set(metadata=v)
    )

    @property
    def id(self) -> str:
        return self._store.info.id

    @property
    def scale(self) -> Scale:
        """The emotion scale.  Assign a Scale, ``(min, max)`` or dict to change it."""
        return self._store.info.scale

    @scale.setter
    def scale(self, value: Scale | Mapping[str, Any] | tuple[float, float]) -> None:
        self.set(scale=value)

    @property
    def persona(self) -> Persona | None:
        """The persona whose view the map tells (the first persona when none is set)."""
        pid = self._store.info.persona or next(iter(self._store.personas), None)
        return self._store.entities[pid] if pid else None  # type: ignore[return-value]

    @property
    def personas(self) -> list[Persona]:
        return [self._store.entities[i] for i in self._store.personas]  # type: ignore[misc]

    @property
    def stages(self) -> list[Stage]:
        return [self._store.entities[i] for i in self._store.stages]  # type: ignore[misc]

    @property
    def touchpoints(self) -> list[Touchpoint]:
        """Touchpoints in journey order (stage order, then order within the stage)."""
        return [self._store.entities[i] for i in self._store.journey()]  # type: ignore[misc]

    @property
    def lanes(self) -> list[Lane]:
        return [self._store.entities[i] for i in self._store.lanes]  # type: ignore[misc]

    @property
    def cards(self) -> list[Card]:
        """Cards in map order: by touchpoint, then lane, then position in the cell."""
        return [self._store.entities[i] for i in self._store.card_ids()]  # type: ignore[misc]

    def touchpoints_in(self, stage: str) -> list[Touchpoint]:
        """The touchpoints of one stage, in order."""
        self._require(stage, "stage")
        ents = self._store.entities
        return [ents[i] for i in self._store.touchpoints[stage]]  # type: ignore[misc]

    def cards_in(self, touchpoint: str | None = None, lane: str | None = None) -> list[Card]:
        """Cards of one cell, one touchpoint or one lane, in order."""
        st, ents = self._store, self._store.entities
        if touchpoint is not None:
            self._require(touchpoint, "touchpoint")
        if lane is not None:
            self._require(lane, "lane")
        if touchpoint is not None and lane is not None:
            ids: list[str] = st.cells.get((touchpoint, lane), [])
        elif touchpoint is not None:
            ids = st.cards_of_touchpoint(touchpoint)
        elif lane is not None:
            ids = st.cards_of_lane(lane)
        else:
            ids = list(st.card_ids())
        return [ents[i] for i in ids]  # type: ignore[misc]

    def stage_of(self, touchpoint: str) -> Stage:
        self._require(touchpoint, "touchpoint")
        tp: Touchpoint = self._store.entities[touchpoint]  # type: ignore[assignment]
        return self._store.entities[tp.stage]  # type: ignore[return-value]

    def get(self, id: str, default: Any = None) -> Any:
        """The entity with ``id`` (any kind), or ``default``."""
        return self._store.entities.get(id, default)

    def kind_of(self, id: str) -> str | None:
        """``"stage"``, ``"touchpoint"``, ``"lane"``, ``"card"``, ``"persona"`` or None."""
        return self._store.kinds.get(id)

    def position(self, id: str) -> int:
        """The entity's position within its scope (stage list, stage, cell...)."""
        return self._store.position(self[id])

    def __getitem__(self, id: str) -> Entity:
        try:
            return self._store.entities[id]
        except KeyError:
            raise KeyError(f"there is no entity with id {id!r} in this map") from None

    def __contains__(self, item: object) -> bool:
        """``id in m``: the map has an entity with that id; ``entity in m``: the map holds
        that very snapshot (an entity changed since it was read is no longer in it)."""
        if isinstance(item, Entity):
            return self._store.entities.get(item.id) == item
        try:
            return item in self._store.entities
        except TypeError:  # an unhashable key is no id
            return False

    def __iter__(self) -> Iterator[Entity]:
        """Every entity: personas, stages, touchpoints, lanes, then cards."""
        yield from self.personas
        yield from self.stages
        yield from self.touchpoints
        yield from self.lanes
        yield from self.cards

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, JourneyMap):
            return NotImplemented
        return self.to_dict() == other.to_dict()

    __hash__ = None  # type: ignore[assignment]  # mutable

    def __repr__(self) -> str:
        st = self._store
        n_cards = sum(len(c) for c in st.cells.values())
        return (
            f"<JourneyMap {self.title!r}: {len(st.stages)} stages, "
            f"{sum(len(t) for t in st.touchpoints.values())} touchpoints, {len(st.lanes)} lanes, "
            f"{n_cards} cards>"
        )

    def _require(self, id: str, kind: str) -> None:
        if self._store.kinds.get(id) != kind:
            found = self._store.kinds.get(id)
            raise KeyError(f"{id!r} is {'a ' + found if found else 'not'} a {kind} of this map")

    # ================================================================ editing
    @property
    def version(self) -> int:
        """Grows by one with every change (edit, undo or redo)."""
        return self._version

    def apply(self, edit: Edit | Mapping[str, Any], *, origin: str = "python") -> Edit:
        """Validate and apply one edit (an edit object or its dict form); return it as applied.

        Raises :class:`~journeywidgets.errors.EditError` and leaves the map unchanged when
        the edit is invalid.

        Examples
        --------
        >>> import journeywidgets as jw
        >>> m = jw.JourneyMap("Demo")
        >>> m.apply({"op": "add", "kind": "stage", "item": {"name": "Leave"}}).item["id"]
        'leave'
        """
        edit = parse_edit(edit)
        with self._lock:
            applied, inverse = apply(self._store, edit)
            if self._batch is not None:
                self._batch.append((applied, inverse))
            else:
                self._history.push(applied, inverse)
            self._notify(applied, inverse, "edit", origin)
            return applied

    def _notify(self, edit: Edit, inverse: Edit, action: Any, origin: str) -> None:
        """Record a change that has been applied and tell every observer about it.

        The map is complete and consistent before any observer runs.  An observer that
        raises does not stop the others; the first error is raised once all have run.
        """
        self._version += 1
        self._history.record(action, edit, self._version, origin)
        change = Change(edit, inverse, self._version, action, origin)
        first: BaseException | None = None
        for observer in list(self._observers):
            try:
                observer(change)
            except Exception as exc:
                first = first or exc
        if first is not None:
            raise first

    def _rollback(self, steps: list[tuple[Edit, Edit]], error: BaseException) -> None:
        """Take back ``steps`` (newest last) because a batch block raised ``error``.

        Observer errors must not stop a rollback half way; they are noted on ``error``.
        """
        for applied, inverse in reversed(steps):
            apply(self._store, inverse)
            try:
                self._notify(inverse, applied, "undo", "python")
            except Exception as exc:
                error.add_note(f"an observer also failed during the rollback: {exc!r}")

    @contextmanager
    def batch(self, label: str = "") -> Iterator[JourneyMap]:
        """Group edits into one undo step; if the block raises, every edit in it is undone.

        Examples
        --------
        >>> import journeywidgets as jw
        >>> m = jw.JourneyMap("Demo")
        >>> with m.batch("two stages"):
        ...     _ = m.add_stage("One"); _ = m.add_stage("Two")
        >>> m.undo()
        True
        >>> len(m.stages)
        0
        """
        with self._lock:  # held for the whole block: another thread's edits wait for it
            yield from self._batch_block(label)

    def _batch_block(self, label: str) -> Iterator[JourneyMap]:
        if self._batch is not None:
            # nested: the outer batch owns the undo step, but a failing inner block still
            # takes back its own edits (the outer block may catch the error and go on)
            start = len(self._batch)
            try:
                yield self
            except BaseException as error:
                inner, self._batch[start:] = self._batch[start:], []
                self._rollback(inner, error)
                raise
            return
        self._batch = []
        try:
            yield self
        except BaseException as error:
            steps, self._batch = self._batch, None
            self._rollback(steps, error)
            raise
        steps, self._batch = self._batch, None
        if steps:
            self._history.push(
                Batch(edits=tuple(a for a, _ in steps), label=label),
                Batch(edits=tuple(i for _, i in reversed(steps)), label=label),
            )

    @property
    def in_batch(self) -> bool:
        """Whether a ``with m.batch():`` block is open: its edits become one undo step (and
        clear what could be redone) when it ends."""
        return self._batch is not None

    @property
    def can_undo(self) -> bool:
        return bool(self._history.undo_stack)

    @property
    def can_redo(self) -> bool:
        return bool(self._history.redo_stack)

    def undo(self, *, origin: str = "python") -> bool:
        """Undo the last change; returns False when there is nothing to undo.

        When older changes were forgotten because of :attr:`undo_limit`, asking to undo
        past the oldest one kept also warns with a
        :class:`~journeywidgets.errors.JourneyWarning` that says so.

        Examples
        --------
        >>> import warnings, journeywidgets as jw
        >>> m = jw.JourneyMap("Demo", undo_limit=1)
        >>> _ = m.add_stage("One"); _ = m.add_stage("Two")
        >>> m.undo()
        True
        >>> with warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter("always")
        ...     m.undo()
        False
        >>> print(str(caught[0].message).split(";")[0])
        nothing more to undo: the undo limit (1 step) forgot 1 older change
        """
        with self._lock:
            if self._batch is not None:
                raise EditError("cannot undo inside a batch")
            if not self._history.undo_stack:
                if self._history.forgotten:
                    n, limit = self._history.forgotten, self._history.limit
                    warnings.warn(
                        f"nothing more to undo: the undo limit ({limit} step"
                        f"{'s' if limit != 1 else ''}) forgot {n} older change"
                        f"{'s' if n != 1 else ''}; raise it with m.undo_limit = ...",
                        JourneyWarning,
                        stacklevel=2,
                    )
                return False
            applied, inverse = self._history.undo_stack.pop()
            redone, _ = apply(self._store, inverse)
            self._history.redo_stack.append((applied, inverse))
            self._notify(redone, applied, "undo", origin)
            return True

    def redo(self, *, origin: str = "python") -> bool:
        """Redo the last undone change; returns False when there is nothing to redo."""
        with self._lock:
            if self._batch is not None:
                raise EditError("cannot redo inside a batch")
            if not self._history.redo_stack:
                return False
            applied, inverse = self._history.redo_stack.pop()
            again, _ = apply(self._store, applied)
            self._history.undo_stack.append((applied, inverse))
            self._notify(again, inverse, "redo", origin)
            return True

    @property
    def undo_limit(self) -> int:
        """How many changes :meth:`undo` can take back (default 1,000).

        Older changes are forgotten (``undo`` then warns that the limit cut the history),
        and :attr:`history` keeps as many entries.  Lowering it forgets the oldest steps
        at once.
        """
        return self._history.limit

    @undo_limit.setter
    def undo_limit(self, value: int) -> None:
        with self._lock:
            self._history.set_limit(value)

    @property
    def history(self) -> list[dict[str, Any]]:
        """The latest changes (at most :attr:`undo_limit`) as JSON-able dicts: version,
        action, origin and the edit, oldest first."""
        return list(self._history.log)

    def observe(self, callback: Observer) -> Callable[[], None]:
        """Call ``callback(change)`` after every change; returns a function that stops it."""
        self._observers.append(callback)

        def unobserve() -> None:
            if callback in self._observers:
                self._observers.remove(callback)

        return unobserve

    # ---------------------------------------------------------------- readable wrappers
    def _add(self, kind: str, index: int | None, fields: dict[str, Any]) -> Any:
        item = {k: v for k, v in fields.items() if v is not None}
        applied = self.apply(make(Add, kind=kind, item=item, index=index))
        return self._store.entities[applied.item["id"]]  # type: ignore[union-attr]

    def add_persona(
        self, name: str, *, id: str | None = None, index: int | None = None, **fields: Any
    ) -> Persona:
        """Add a persona (role, goals, expectations, frustrations, quote, segment...)."""
        return self._add("persona", index, {"id": id, "name": name, **fields})

    def add_stage(
        self, name: str, *, id: str | None = None, index: int | None = None, **fields: Any
    ) -> Stage:
        """Add a stage (at the end, or at ``index``)."""
        return self._add("stage", index, {"id": id, "name": name, **fields})

    def add_touchpoint(
        self,
        name: str,
        *,
        stage: str,
        id: str | None = None,
        index: int | None = None,
        emotion: float | None = None,
        **fields: Any,
    ) -> Touchpoint:
        """Add a touchpoint to ``stage`` (channel, owner, emotion, moment_of_truth...)."""
        return self._add(
            "touchpoint",
            index,
            {"id": id, "name": name, "stage": stage, "emotion": emotion, **fields},
        )

    def add_lane(
        self,
        name: str,
        *,
        kind: str = "custom",
        id: str | None = None,
        index: int | None = None,
        **fields: Any,
    ) -> Lane:
        """Add a lane (row).  ``kind`` is one of :data:`~journeywidgets.model.entities.LANE_KINDS`;
        the id defaults to the kind when that is free, so ``lane="actions"`` reads well."""
        if id is None and kind != "custom" and kind not in self._store.entities:
            id = kind
        return self._add("lane", index, {"id": id, "name": name, "kind": kind, **fields})

    def add_card(
        self,
        text: str,
        *,
        touchpoint: str,
        lane: str,
        id: str | None = None,
        index: int | None = None,
        **fields: Any,
    ) -> Card:
        """Add a sticky note to the cell (``touchpoint``, ``lane``)."""
        return self._add(
            "card",
            index,
            {"id": id, "text": text, "touchpoint": touchpoint, "lane": lane, **fields},
        )

    def update(self, id: str, /, **changes: Any) -> Entity:
        """Change fields of the entity ``id``; returns the new version of it.

        Examples
        --------
        >>> import journeywidgets as jw
        >>> m = jw.templates.energy_utility()
        >>> m.update("invoice_arrives", owner="Billing").owner
        'Billing'
        """
        self.apply(make(Update, id=id, changes=changes))
        return self._store.entities[id]

    def set(self, **changes: Any) -> None:
        """Change the map's own fields (title, description, scenario, kind, state, scale...)."""
        self.apply(make(Update, kind="map", changes=changes))

    def move(
        self,
        id: str,
        *,
        index: int | None = None,
        stage: str | None = None,
        touchpoint: str | None = None,
        lane: str | None = None,
    ) -> Entity:
        """Move an entity to ``index`` of its scope, or into another stage / cell.

        Cards move between touchpoints and lanes, touchpoints between stages; stages, lanes
        and personas reorder.  ``index=None`` means the end.
        """
        self.apply(make(Move, id=id, index=index, stage=stage, touchpoint=touchpoint, lane=lane))
        return self._store.entities[id]

    def remove(self, id: str, *, cascade: bool = False, rehome: str | None = None) -> None:
        """Remove an entity.  A stage, touchpoint or lane that still holds content needs
        ``cascade=True`` (remove the content too) or ``rehome=<id>`` (move it there)."""
        self.apply(make(Remove, id=id, cascade=cascade, rehome=rehome))

    def set_emotion(self, touchpoint: str, value: float | None) -> Touchpoint:
        """Set a touchpoint's emotion score (on the map's scale), or clear it with None."""
        self.apply(make(SetEmotion, id=touchpoint, value=value))
        return self._store.entities[touchpoint]  # type: ignore[return-value]
