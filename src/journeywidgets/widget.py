"""The drag-and-drop journey map widget for Jupyter (anywidget).

The front end is the esbuild bundle of ``js/src/widget.ts``, shipped in the wheel as
``journeywidgets/static/widget.js`` (and ``widget.css``). It is built, never committed: from a
source checkout run ``make build``.

How kernel and browser stay in step
-----------------------------------
The whole map document lives in the synced trait ``_doc`` so that a saved notebook (JupyterLab
"save widget state", nbclient ``store_widget_state``) rebuilds the widget without a kernel.
Resending a 20,000-card document for every drag would make an edit cost as much as the map,
so edits travel as small custom messages instead:

- browser -> kernel ``{"type": "edit", "seq": n, "edit": {...}}``. The browser has already
  applied the edit to its own copy (and keeps its inverse to roll back). The kernel applies it
  to the :class:`~journeywidgets.model.journey.JourneyMap` and answers
  ``{"type": "ack", "seq": n, "edit": <as applied>, "version": v}`` or
  ``{"type": "reject", "seq": n, "reason": "..."}``.
- kernel -> browser ``{"type": "edit", "edit": {...}, "version": v}`` for every change made
  elsewhere (a Python cell, another widget on the same map, undo/redo). The full ``_doc`` is
  re-sent once after the cell that made such changes (IPython's ``post_execute`` event), so
  that state saved by nbclient holds the current map.
- Several browsers can show one widget at once (JupyterLab real-time collaboration: every
  message from the kernel reaches every browser). Each browser's session names itself with a
  ``"view"`` id in what it sends; acks and rejects carry it back, so a browser takes only its
  own answers (``seq`` counts per view) and applies an ack for another view as a remote edit.
  A reject, and the ``error`` text, reach only the view whose edit failed. Selection and zoom
  are per view: a view's ``select``/``zoom`` updates the kernel's ``selected``/``zoom``
  without sending them back to any browser (Python code setting them reaches all views).
- ``{"type": "undo", "mine": true}`` undoes the sending view's own last edit that is still in
  the map (as a new edit every view hears), whatever others did since.
- ``{"type": "undo"}`` / ``{"type": "redo"}``, ``{"type": "select", "ids": [...]}``,
  ``{"type": "zoom", "value": z}`` and ``{"type": "sync", "version": v}`` (send me the whole
  document unless it is at version ``v``: each new front-end session says which version it
  starts from, and asks again until the kernel answers ``{"type": "synced", "version": v}``).

The browser never calls ``save_changes()``: ipywidgets would flush every buffered change with
it, including its local ``_doc``, and a 20,000-card map would travel with a selection click.
"""

from __future__ import annotations

import uuid
import warnings
import weakref
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import anywidget
import traitlets

from . import theme, versions
from ._host import after_each_cell, cell_loop, ipython_shell
from .diff_overlay import overlay
from .errors import EditError, JourneyWarning
from .model.edits import Edit
from .model.journey import Change, JourneyMap

_STATIC = Path(__file__).parent / "static"
_ESM = _STATIC / "widget.js"
_CSS = _STATIC / "widget.css"

if not _ESM.is_file():
    # Fail at import, with the fix, rather than showing an empty output cell later.
    raise ImportError(
        f"journeywidgets' front end is not built: {_ESM} is missing. "
        "From a source checkout run `make build` (it runs `npm ci && npm run build` in js/)."
    )

_OPTIONS = ("height", "zoom", "language", "readonly", "selected")
#: How many of its own edits each view can take back with "undo my last edit".
_UNDO_MINE_LIMIT = 200
_SELECTABLE = ("card", "touchpoint")
#: Traits only the kernel writes; a browser update of them is ignored.
_KERNEL_OWNED = frozenset(
    {"_doc", "_version", "_uid", "_theme", "_diff", "error", "can_undo", "can_redo"}
)

# Widgets whose map changed outside their browser since the last full send; flushed after each
# cell. A WeakSet so that a widget that is gone is not kept alive by the hook.
_STALE: weakref.WeakSet[JourneyWidget] = weakref.WeakSet()


def flush_stale_documents() -> None:
    """Send the full document of every widget whose map changed outside its browser.

    Registered on IPython's ``post_execute`` event, so it runs once after each cell.
    """
    for widget in list(_STALE):
        widget._send_document()


def _as_map(value: object) -> JourneyMap:
    if isinstance(value, JourneyMap):
        return value
    if isinstance(value, Mapping):
        return JourneyMap.from_dict(value)
    raise TypeError(
        f"JourneyWidget expects a JourneyMap (or its document dict), got {type(value).__name__}"
    )


class JourneyWidget(anywidget.AnyWidget):
    """Show a journey map in a notebook and edit it by drag and drop.

    Every gesture in the widget (moving a card, reordering touchpoints, stages or lanes,
    dragging an emotion point, adding, renaming or deleting) becomes one edit of ``m``:
    validated by the model, undoable, and visible in Python in the next cell. Changes made
    to ``m`` in Python show in every view of the widget at once.

    Parameters
    ----------
    m : JourneyMap or dict
        The map to show and edit (a document dict is loaded into a new map).
    height : int or str, optional
        Maximum height of the map area: pixels, or a CSS length such as ``"60vh"``; a
        taller map scrolls inside it. By default 75% of the window.
    zoom : float, default 1.0
        Scale of the map, from 0.25 to 4.
    language : str, optional
        Show names in this language where an entity has a label for it (``"pl"``).
    readonly : bool, default False
        Show the map without editing gestures (selection still works).
    selected : list of str, optional
        Ids of cards and touchpoints to select initially.

    Examples
    --------
    >>> import journeywidgets as jw
    >>> m = jw.JourneyMap("Moving house")
    >>> _ = m.add_stage("Search")
    >>> w = jw.JourneyWidget(m, zoom=1.5)
    >>> w.map is m, w.zoom
    (True, 1.5)
    >>> w.selected = ["search"]  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    traitlets.traitlets.TraitError: selected: 'search' is a stage; only cards and ...
    """

    # Paths, not strings, so ANYWIDGET_HMR=1 reloads the bundle while `npm run dev` rebuilds it.
    _esm = _ESM
    if _CSS.is_file():  # emitted only while the bundle imports a stylesheet
        _css = _CSS

    _doc = traitlets.Dict().tag(sync=True)
    """The whole map document (:meth:`JourneyMap.to_dict`) as of ``_version``."""
    _version = traitlets.Int(0).tag(sync=True)
    """The map version ``_doc`` reflects."""
    _uid = traitlets.Unicode("").tag(sync=True)
    """Identifies this widget's model in the browser, where views of one model share a store."""
    _theme = traitlets.Dict().tag(sync=True)
    """Colours from :func:`journeywidgets.theme.widget_theme`."""

    _diff = traitlets.Dict().tag(sync=True)
    """The diff overlay (:func:`journeywidgets.diff_overlay.overlay`); ``{}`` when off."""

    selected = traitlets.List(traitlets.Unicode()).tag(sync=True)
    """Ids of the selected cards and touchpoints, in the order they were selected.

    Type: ``list[str]``. Default: ``[]``. Settable from Python (the widget highlights them);
    ids that are not cards or touchpoints of the map raise ``TraitError``. Clicking and
    shift-clicking in the widget updates it. Each browser showing the widget has its own
    selection (two people co-editing do not select for each other); ``selected`` is the
    selection of the view that changed it last, and setting it from Python selects in every
    view.

    Example: ``w.selected = ["card_3", "invoice_arrives"]``
    """
    zoom = traitlets.Float(1.0).tag(sync=True)
    """Scale of the drawing, between 0.25 and 4.

    Type: ``float``. Default: ``1.0``. The zoom buttons and Ctrl+wheel in the widget update it
    (per browser, like ``selected``: the last view's zoom; set from Python it zooms every view).
    """
    height = traitlets.Union(
        [traitlets.Int(), traitlets.Unicode()], default_value=None, allow_none=True
    ).tag(sync=True)
    """Maximum height of the map area: pixels (``int``) or a CSS length (``"60vh"``).

    Type: ``int | str | None``. Default: ``None`` (75% of the window). A taller map scrolls
    inside it, with the stage headers and lane labels kept in view.
    """
    language = traitlets.Unicode(None, allow_none=True).tag(sync=True)
    """Language code whose labels are shown (``"pl"``); names are the fallback.

    Type: ``str | None``. Default: ``None`` (the names as written). Inline edits made while a
    language is shown change that language's label, not the name.
    """
    readonly = traitlets.Bool(False).tag(sync=True)
    """Whether editing gestures are off. Type: ``bool``. Default: ``False``."""
    error = traitlets.Unicode("", read_only=True).tag(sync=True)
    """Why the last edit from the widget was rejected (``""`` after a successful one).

    Type: ``str``, read-only. The widget shows the same text in its status line.
    """

    can_undo = traitlets.Bool(False, read_only=True).tag(sync=True)
    """Whether the map has a change to undo (made anywhere: this widget, another view, Python).

    Type: ``bool``, read-only. The widget greys its Undo button out while it is ``False``.
    """
    can_redo = traitlets.Bool(False, read_only=True).tag(sync=True)
    """Whether an undone change can be redone. Type: ``bool``, read-only (greys out Redo)."""

    def __init__(
        self,
        m: JourneyMap | Mapping[str, Any],
        *,
        height: int | str | None = None,
        zoom: float = 1.0,
        language: str | None = None,
        readonly: bool = False,
        selected: Iterable[str] = (),
        **unexpected: Any,
    ) -> None:
        if unexpected:
            key = next(iter(unexpected))
            raise TypeError(
                f"JourneyWidget() got an unexpected keyword argument {key!r}; "
                f"the options are {', '.join(_OPTIONS)}"
            )
        # Set before the comm opens: get_state() (which opens it) reads them.
        self._map = _as_map(m)
        self._origin = f"widget:{uuid.uuid4().hex[:12]}"
        self._doc_version = self._map.version
        self._diff_base: versions.Snapshot | None = None  # the version show_diff compares to
        self._diff_version = -1  # the map version _diff was computed for
        self._diff_unsent = False  # _diff was brought up to date for a state read only
        super().__init__(
            _doc=self._map.to_dict(),
            _version=self._map.version,
            _uid=self._origin,
            _theme=theme.widget_theme(),
            height=height,
            zoom=zoom,
            language=language,
            readonly=readonly,
            selected=list(selected),
        )
        self._applied: Edit | None = None  # this browser's edit, as the map applied it
        self._inverse: Edit | None = None  # ... and what undoes it
        # per view: what undoes each of its own edits, for "undo my last edit"
        self._mine: dict[str, list[Edit]] = {}
        # ...and those the map-wide undo took back, which its redo gives back
        self._mine_undone: dict[str, list[Edit]] = {}
        self._undoing_view: str | None = None  # whose "undo my last edit" is being applied
        self._send_queued = False  # a document send waits for the event loop (marimo)
        self._show_history()
        self._unobserve = self._map.observe(self._on_change)
        self.on_msg(self._on_message)
        shell = ipython_shell()
        if shell is not None:
            after_each_cell(shell, flush_stale_documents)

    # ------------------------------------------------------------------ public API
    @property
    def map(self) -> JourneyMap:
        """The :class:`~journeywidgets.model.journey.JourneyMap` this widget shows and edits."""
        return self._map

    def undo(self) -> bool:
        """Undo the map's last change (from any view or Python); False when none is left."""
        return self._map.undo()

    def redo(self) -> bool:
        """Redo the last undone change; False when there is nothing to redo."""
        return self._map.redo()

    def show_diff(self, base: JourneyMap | Mapping[str, Any] | None) -> None:
        """Mark what changed since ``base``: added, changed and removed (as ghosts).

        The widget outlines added cards, touchpoints, stages and lanes, marks changed ones
        (text, emotion or another field edited, or moved) with what changed in their
        tooltip, and draws removed cards as greyed, crossed-out ghosts where they were
        (removed touchpoints, stages and lanes are listed beside the legend). Ghosts cannot
        be edited. The marks follow every later edit; the toolbar's "Changes" button hides
        and shows them. The changes are those of :func:`journeywidgets.diff`.

        Parameters
        ----------
        base : JourneyMap or dict or None
            The older version (a copy is taken: later edits of ``base`` do not count), or
            ``None`` to remove the overlay.

        Examples
        --------
        >>> import journeywidgets as jw
        >>> m = jw.templates.energy_utility()
        >>> w = jw.JourneyWidget(m)
        >>> w.show_diff(m.copy())
        >>> _ = m.set_emotion("website", 3)
        >>> w.diff_summary
        '1 emotion changed'
        >>> w.show_diff(None); w.diff_summary
        ''
        """
        if base is None:
            self._diff_base = None
        # Kept as the diff's own plain data, read once: a document would be validated again
        # at every diff, and a map turned into plain data again (most of an overlay's time
        # on a 20,000-card map).
        elif isinstance(base, JourneyMap):
            self._diff_base = versions.snapshot(base)
        elif isinstance(base, Mapping):
            self._diff_base = versions.snapshot(JourneyMap.from_dict(base))
        else:
            raise TypeError(
                f"show_diff expects a JourneyMap, its document dict or None, "
                f"got {type(base).__name__}"
            )
        self._diff_version = -1
        self._refresh_diff()

    @property
    def diff_summary(self) -> str:
        """One line saying what changed since the :meth:`show_diff` base (``""`` when off)."""
        self._refresh_diff()
        return str(self._diff.get("summary", ""))

    def close(self) -> None:
        """Close the widget's views and stop following the map."""
        unobserve = getattr(self, "_unobserve", None)
        if unobserve is not None:
            unobserve()
            del self._unobserve
        _STALE.discard(self)
        super().close()

    def __repr__(self) -> str:
        return f"<JourneyWidget of {self._map!r}>"

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle is None:
            return None
        data, metadata = bundle if isinstance(bundle, tuple) else (bundle, {})
        # Where no widget manager runs (GitHub, nbviewer, a notebook opened untrusted,
        # nbconvert without widget state) the notebook shows this picture of the map instead
        # of an empty cell.  It is a PNG, never HTML: an untrusted JupyterLab prefers a
        # text/html output and sanitises it into a wall of text (journeywidgets.overview).
        fallback = self._static_fallback()
        if fallback is not None:
            data = {**data, **fallback[0]}
            metadata = {**metadata, **fallback[1]}
        return data, metadata

    def _static_fallback(self) -> tuple[dict[str, Any], dict[str, Any]] | None:
        try:
            from . import overview
            from .errors import ExportError
        except ImportError:  # the export modules are optional for the live widget
            return None
        if not overview.ENABLED:
            return None
        try:
            return overview.mimebundle(self._map, language=self.language, note=overview.WIDGET_NOTE)
        except ExportError:
            # No converter (vl-convert) installed: the inline-SVG HTML picture, which shows
            # in trusted notebooks and nbconvert.
            html = self._static_html()
            return ({"text/html": html}, {}) if html is not None else None
        except Exception as exc:  # a broken picture must never hide the live widget
            warnings.warn(
                f"JourneyWidget: no static fallback picture ({type(exc).__name__}: {exc})",
                JourneyWarning,
                stacklevel=3,
            )
            return None

    def _static_html(self) -> str | None:
        try:
            from .export import static_html
        except ImportError:  # the export module is optional for the live widget
            return None
        try:
            return static_html(self._map, language=self.language)
        except Exception as exc:  # a broken picture must never hide the live widget
            warnings.warn(
                f"JourneyWidget: no static HTML fallback ({type(exc).__name__}: {exc})",
                JourneyWarning,
                stacklevel=2,
            )
            return None

    # ------------------------------------------------------------------ validation
    @traitlets.validate("selected")
    def _check_selected(self, proposal: Any) -> list[str]:
        ids = list(dict.fromkeys(proposal["value"]))  # keep order, drop repeats
        for id in ids:
            kind = self._map.kind_of(id)
            if kind not in _SELECTABLE:
                what = f"a {kind}" if kind else "not in this map"
                raise traitlets.TraitError(
                    f"selected: {id!r} is {what}; only cards and touchpoints can be selected"
                )
        return ids

    @traitlets.validate("zoom")
    def _check_zoom(self, proposal: Any) -> float:
        try:
            value = float(proposal["value"])
        except OverflowError:  # an int past float's range, e.g. 10**400
            raise traitlets.TraitError("zoom: the number is too large (0.25-4)") from None
        if not 0.25 <= value <= 4:
            raise traitlets.TraitError(f"zoom: {value:g} is outside 0.25-4")
        return value

    @traitlets.validate("height")
    def _check_height(self, proposal: Any) -> int | str | None:
        value = proposal["value"]
        if isinstance(value, int) and value <= 0:
            raise traitlets.TraitError(f"height: {value} pixels must be positive")
        if isinstance(value, str) and not value.strip():
            raise traitlets.TraitError("height: an empty string is not a CSS length")
        return value

    # ------------------------------------------------------------------ state
    def get_state(self, key: str | Iterable[str] | None = None, drop_defaults: bool = False) -> Any:
        keys = [key] if isinstance(key, str) else key
        if keys is None or "_doc" in keys or "_version" in keys:
            self._refresh_document()
        if keys is None or "_diff" in keys:
            self._refresh_diff(quiet=True)
        return super().get_state(key=key, drop_defaults=drop_defaults)

    def set_state(self, sync_data: dict[str, Any]) -> None:
        # The map reaches the kernel only as edits; a browser never rewrites the document.
        super().set_state({k: v for k, v in sync_data.items() if k not in _KERNEL_OWNED})

    def _refresh_document(self) -> None:
        """Bring the ``_doc``/``_version`` values up to the map's version, without sending.

        Edits made in this widget's browser are already in the browser's copy, so the kernel
        only catches its own copy up when the state is asked for (a page reload, a state
        save, :func:`ipywidgets.embed.embed_data`) or sent after a cell.
        """
        if self._doc_version == self._map.version:
            return
        # Written past traitlets on purpose: assigning would notify and sync the whole
        # document, which is exactly the cost this design avoids.
        self._trait_values["_doc"] = self._map.to_dict()
        self._trait_values["_version"] = self._map.version
        self._doc_version = self._map.version

    def _refresh_diff(self, *, quiet: bool = False) -> None:
        """Recompute the diff overlay if the map changed since it was computed, and send it.

        ``quiet``: only bring the value up to date, for a state being read (a page reload, a
        state save) that carries it anyway.
        """
        if self._diff_base is None:
            value: dict[str, Any] = {}
        elif self._diff_version == self._map.version:
            value = self._diff
        else:
            self._diff_version = self._map.version
            value = overlay(self._diff_base, self._map)
        if quiet:
            if value != self._diff:
                # past traitlets, as _refresh_document does; sent with the next send
                self._trait_values["_diff"] = value
                self._diff_unsent = True
            return
        if self._diff_unsent:
            self._diff_unsent = False
            self._trait_values["_diff"] = value
            self.send_state("_diff")
        elif value != self._diff:
            self._diff = value

    def _send_document(self) -> None:
        """Send the whole current document to the browser (after a cell, or when asked)."""
        _STALE.discard(self)
        self._refresh_diff()
        if self.comm is None:
            return
        # _version first: a host that applies (and announces) the keys one by one, as marimo
        # does, must have the new version when the browser hears that _doc changed
        self.send_state(["_version", "_doc"])

    # ------------------------------------------------------------------ map -> browser
    def _show_history(self) -> None:
        # An edit inside a batch is told to observers at once, but joins the history when the
        # batch ends (no event then): count it as the undoable step it is about to be.
        # traitlets sends a value only when it changes: after the first edit, almost never.
        batching = self._map.in_batch
        self.set_trait("can_undo", self._map.can_undo or batching)
        self.set_trait("can_redo", self._map.can_redo and not batching)

    def _on_change(self, change: Change) -> None:
        self._show_history()
        self._follow_mine(change)
        if self._diff_base is not None and change.origin.startswith("widget:"):
            # a gesture in a browser: no cell ends after it, so the marks follow now (a
            # Python cell's edits are diffed once, with the document sent after the cell)
            self._refresh_diff()
        if change.origin == self._origin and change.action == "edit":
            self._applied = change.edit  # what to ack, even if another observer then fails
            self._inverse = change.inverse
            return  # an edit from this widget's browser: answered by its ack
        self._prune_selection()
        message = {"type": "edit", "edit": change.edit.to_dict(), "version": change.version}
        if self._undoing_view is not None:
            message["view"] = self._undoing_view  # other browsers show it as a remote edit
        self.send(message)
        _STALE.add(self)
        if ipython_shell() is not None:
            return  # sent once after the cell (post_execute)
        loop = cell_loop()
        if loop is None:
            self._send_document()  # plain Python: no cell ends, keep the state current now
        elif not self._send_queued:
            # marimo runs a cell as a coroutine on its event loop: send once the cell is done
            # (the loop is next free), not once per change of a loop or batch of edits
            self._send_queued = True
            loop.call_soon(self._send_queued_document)

    def _follow_mine(self, change: Change) -> None:
        """Keep each view's "undo my last edit" in step with the map-wide undo and redo.

        An edit the map-wide undo took back is no longer the view's to undo (undoing it again
        would apply its inverse twice); a redo makes it so again.  Any other change ends the
        map's redo, and with it what could come back.
        """
        if change.action == "undo":
            # the undo applies the stored inverse: the view whose last edit that undoes
            for view, stack in self._mine.items():
                if stack and stack[-1] == change.edit:
                    self._mine_undone.setdefault(view, []).append(stack.pop())
                    break
        elif change.action == "redo":
            for view, undone in self._mine_undone.items():
                if undone and undone[-1] == change.inverse:
                    self._mine.setdefault(view, []).append(undone.pop())
                    break
        else:
            self._mine_undone.clear()

    def _send_queued_document(self) -> None:
        self._send_queued = False
        if self in _STALE:
            self._send_document()

    def _selectable(self, ids: Iterable[Any]) -> list[str]:
        """The ids of ``ids`` that name a card or touchpoint of the map, in order."""
        return [i for i in ids if isinstance(i, str) and self._map.kind_of(i) in _SELECTABLE]

    def _prune_selection(self) -> None:
        kept = self._selectable(self.selected)
        if kept != self.selected:
            self.selected = kept

    # ------------------------------------------------------------------ browser -> kernel
    def _on_message(self, _widget: Any, content: Any, _buffers: Sequence[Any]) -> None:
        if not isinstance(content, Mapping):
            return
        kind = content.get("type")
        view = content.get("view")
        view = view if isinstance(view, str) and 0 < len(view) <= 100 else None
        if kind == "edit":
            self._receive_edit(content.get("seq"), content.get("edit"), view)
        elif kind == "undo" and content.get("mine") is True and view is not None:
            self._undo_mine(view)
        elif kind in ("undo", "redo"):
            self._receive_undo(kind)
        elif kind == "select":
            ids = content.get("ids")
            if isinstance(ids, list):
                # Ids removed by a change the browser had not seen yet are dropped quietly.
                self._set_quietly("selected", self._selectable(ids))
        elif kind == "zoom":
            value = content.get("value")
            if isinstance(value, int | float):
                try:
                    self._set_quietly("zoom", min(4.0, max(0.25, float(value))))
                except (OverflowError, traitlets.TraitError):  # 10**400, NaN: answered
                    self.send({"type": "status", "message": "zoom: not a usable number"})
        elif kind == "sync":
            # A view starting from the current version needs nothing (Jupyter gives a new
            # page the kernel's state); one that says nothing, or an older version (marimo
            # replays the last state the kernel sent), gets the whole document. Either way
            # the answer ends the browser's retries of its opening sync.
            if content.get("version") != self._map.version:
                self._send_document()
            self.send({"type": "synced", "version": self._map.version})

    def _set_quietly(self, name: str, value: Any) -> None:
        """Set a trait for Python's sake without sending it to any browser.

        Every browser on the kernel hears every state update: sent as usual, one person's
        click would select (or zoom) in everybody's view.  The view that asked shows the
        value already; ipywidgets skips sending a value it holds under this lock (as it
        does for updates that come from a browser).  Observers in Python still run.
        """
        with self._lock_property(**{name: self._trait_to_json(value, self)}):
            self.set_trait(name, value)

    def _set_for_view(self, view: str | None, name: str, value: Any) -> None:
        # a message without a view id (an older front end) keeps the shared behaviour
        if view is None:
            self.set_trait(name, value)
        else:
            self._set_quietly(name, value)

    def _receive_edit(self, seq: Any, edit: Any, view: str | None = None) -> None:
        if self.readonly:
            self._reject(seq, "this widget is read-only (readonly=True)", view)
            return
        version = self._map.version
        self._applied = self._inverse = None
        try:
            applied = self._map.apply(edit, origin=self._origin)
        except EditError as exc:
            self._reject(seq, str(exc), view)
            return
        except Exception as exc:
            if self._map.version == version or self._applied is None:
                # a malformed message: nothing changed; it must not break the comm
                self._reject(seq, f"{type(exc).__name__}: {exc}", view)
                return
            # The edit is in the map; what failed is other code observing the map. Rejecting
            # would roll the browser back from a map that has the edit: ack it, and say so.
            applied = self._applied
            problem = (
                f"the edit was made, but code observing the map failed: {type(exc).__name__}: {exc}"
            )
            warnings.warn(problem, JourneyWarning, stacklevel=2)
            self.send({"type": "status", "message": problem})
        self._set_for_view(view, "error", "")
        self._prune_selection()
        ack = {"type": "ack", "seq": seq, "edit": applied.to_dict(), "version": self._map.version}
        if view is not None:
            ack["view"] = view  # other views apply it as a remote edit
            if self._inverse is not None:
                mine = self._mine.setdefault(view, [])
                mine.append(self._inverse)
                # a day of dragging must not grow without bound: older edits are the map-wide
                # undo's, as they are in any editor's history
                del mine[:-_UNDO_MINE_LIMIT]
        self.send(ack)

    def _reject(self, seq: Any, reason: str, view: str | None = None) -> None:
        # only the sender's: another person's failed edit is none of this view's business
        self._set_for_view(view, "error", reason)
        message = {"type": "reject", "seq": seq, "reason": reason}
        if view is not None:
            message["view"] = view
        self.send(message)

    def _undo_mine(self, view: str) -> None:
        """Undo ``view``'s own last edit still in the map, as a new edit every view hears.

        The map-wide undo takes back whatever changed last, possibly another person's
        work; this takes back only the sender's.  When later edits (anyone's) made it
        impossible (the card it added was removed...), it says so and the map is unchanged.
        """
        if self.readonly:
            self.send({"type": "status", "message": "this widget is read-only", "view": view})
            return
        stack = self._mine.get(view, [])
        if not stack:
            self.send({"type": "status", "message": "you have no edit to undo", "view": view})
            return
        self._undoing_view = view
        try:
            self._map.apply(stack.pop(), origin=f"{self._origin}:undo-mine")
        except EditError as exc:
            message = f"cannot undo your last edit (changed since by another edit): {exc}"
            self.send({"type": "status", "message": message, "view": view})
        finally:
            self._undoing_view = None

    def _receive_undo(self, kind: str) -> None:
        if self.readonly:
            self.send({"type": "status", "message": "this widget is read-only"})
            return
        done = (
            self._map.undo(origin=self._origin)
            if kind == "undo"
            else self._map.redo(origin=self._origin)
        )
        if not done:
            self.send({"type": "status", "message": f"nothing to {kind}"})
