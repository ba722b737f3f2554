"""Link a chart to a journey map widget: selecting a touchpoint in one selects it in the other.

:func:`link` wraps a chart in altair's :class:`~altair.JupyterChart` (offline) and joins
its touchpoint selection to the widget's synced ``selected`` trait, both ways:

* chart -> widget: clicking a touchpoint on the chart (shift-click for several,
  double-click to clear) sets ``widget.selected`` to those touchpoint ids;
* widget -> chart: selecting touchpoints or cards in the widget (or assigning
  ``widget.selected`` in Python) highlights those touchpoints (a card's touchpoint) on the
  chart, through the chart's ``jw_selected`` param.

Given a chart *builder* instead of a chart (a function of the map, such as
:func:`~journeywidgets.charts.emotion_curve`), :func:`link` also redraws the chart whenever
the map changes, from any source: a gesture in this or another widget, an edit in Python,
undo and redo.  A chart passed as such is a snapshot of the map as it was when the chart
was made.

Both directions pass through the kernel, so linking needs a running kernel.  Without one
(a saved notebook opened later, nbconvert HTML, a static viewer) the chart is what it was
when last rendered: tooltips and its own click highlighting still work in any Vega-Lite
renderer, and a JupyterChart whose widget state was saved shows its last highlight, but
nothing reaches the widget.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import warnings
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import altair as alt
from altair.utils.selection import PointSelection

from .._host import after_each_cell, cell_loop, ipython_shell
from ..errors import JourneyWarning
from . import offline, style
from .selection import FIELD, LINKED_PARAM, SELECTED_PARAM, SELECTION

#: A function of the map that returns a chart, e.g. ``jw.charts.emotion_curve``.
Builder = Callable[[Any], Any]


@dataclass(eq=False)  # hashed by identity: links waiting for a rebuild are kept in a set
class _Link:
    chart: Any
    widget: Any
    #: Touchpoints the chart should highlight (what the widget has selected).
    desired: list[str] = field(default_factory=list)
    #: The chart's own selection as last seen, to tell user clicks from re-renders.
    last_chart: list[str] = field(default_factory=list)
    undo: list[Callable[[], None]] = field(default_factory=list)
    #: Rebuilds the chart from the widget's map after each change (None: a snapshot).
    builder: Builder | None = None
    #: The last chart that built and rendered, and the map version it shows.
    good: Any = None
    good_version: int | None = None
    #: Builder errors already reported since the last good rebuild ("Type: message").
    reported: set[str] = field(default_factory=set)
    #: The error the chart's subtitle currently shows (None: the chart is up to date).
    notice: str | None = None
    #: A change the chart does not show yet / a rebuild queued on the event loop.
    pending: bool = False
    queued: bool = False
    #: True while the chart is being replaced: its reset selection is not a user's click.
    rebuilding: bool = False
    #: Digests of chart specs (without data) that altair validated: a rebuild of the same
    #: shape, new data only, is sent without validating again (see ``_shape_key``).
    valid_shapes: dict[str, None] = field(default_factory=dict)
    active: bool = True


#: Links whose map changed during the current cell; rebuilt once, after it.
_PENDING: weakref.WeakSet[_Link] = weakref.WeakSet()


def _touchpoints_of(widget: Any, ids: Iterable[str]) -> list[str]:
    """Touchpoint ids for a widget selection: touchpoints as they are, cards -> their touchpoint."""
    m = getattr(widget, "map", None)
    out: list[str] = []
    for id in ids:
        tp: str | None = id
        if m is not None:
            kind = m.kind_of(id)
            if kind == "card":
                tp = m[id].touchpoint
            elif kind != "touchpoint":
                tp = None
        if tp is not None and tp not in out:
            out.append(tp)
    return out


def _param_name(param: Any) -> str:
    raw = param["name"] if isinstance(param, dict) else param.name
    return raw if isinstance(raw, str) else str(raw.to_json().strip('"'))


def _with_params(chart: Any, selected: list[str]) -> Any:
    """A copy of ``chart`` whose link params start linked, highlighting ``selected``.

    Only the top level and the two params are copied (a deep copy of a long journey's
    chart took longer than building it); the rest is shared with ``chart``.
    """
    chart = chart.copy(deep=False)
    params = list(chart.params) if chart.params is not alt.Undefined else []
    names = set()
    for i, param in enumerate(params):
        name = _param_name(param)
        names.add(name)
        if name in (SELECTED_PARAM, LINKED_PARAM):
            param = dict(param) if isinstance(param, dict) else param.copy(deep=False)
            _set_value(param, list(selected) if name == SELECTED_PARAM else True)
            params[i] = param
    chart.params = params
    missing = {SELECTED_PARAM, LINKED_PARAM} - names
    if missing:
        chart = chart.add_params(
            *(
                alt.param(name=n, value=list(selected) if n == SELECTED_PARAM else True)
                for n in sorted(missing)
            )
        )
    return chart


def _set_value(param: Any, value: Any) -> None:
    if isinstance(param, dict):
        param["value"] = value
    else:
        param.value = value


def link(
    chart: Any, widget: Any, *, embed_options: dict[str, Any] | None = None
) -> alt.JupyterChart:
    """Join a chart's touchpoint selection to a widget's ``selected``, both ways.

    Pass a chart *builder* (a function of the map) to keep the chart in step with the map:
    ``link(jw.charts.emotion_curve, w)`` or
    ``link(lambda m: jw.charts.emotion_curve(m, survey=summary), w)``.  The chart is built
    from ``builder(widget.map)`` and rebuilt after every change to the map, whatever made it
    (a drag in this or another widget, Python, undo/redo), keeping the widget's selection
    highlighted.  A chart passed as such is a snapshot: it keeps showing the map as it was
    when the chart was made, while the selection still links.

    Parameters
    ----------
    chart : altair chart, altair.JupyterChart or callable
        A chart from :mod:`journeywidgets.charts` (any chart with a point selection named
        ``"touchpoint"`` on the ``touchpoint_id`` field works), or a function that takes the
        map and returns such a chart.  Linking a JupyterChart again replaces its old link
        (a chart that had a builder keeps it, and rebuilds from the new widget's map).
    widget : JourneyWidget
        The widget to link (anything with a ``selected`` list trait and a ``map``).
    embed_options : dict, optional
        vega-embed options for a new JupyterChart, e.g. ``{"renderer": "svg"}``.

    Returns
    -------
    altair.JupyterChart
        The linked chart, rendered offline; display it (end a cell with it).  Its
        ``selections.touchpoint`` is the chart's own click selection and ``params.jw_selected``
        the touchpoints it highlights for the widget.

    Raises
    ------
    TypeError
        ``widget`` has no ``selected`` trait (or, with a builder, no observable ``map``), or
        the builder returned something that is not an altair chart.
    ValueError
        The chart has no point selection named ``"touchpoint"``.
    Exception
        Whatever the builder raises on the map as it is when linking.

    Notes
    -----
    When a rebuild happens.  In a Jupyter kernel the chart is rebuilt once after the cell
    that changed the map (IPython's ``post_execute``), or right after the kernel has
    answered a widget gesture, however many edits that made (a loop of edits or a
    ``with m.batch()`` block, whose edits each notify the map's observers, costs one
    rebuild); reading ``chart.spec`` in the cell that edited the map shows the old chart.
    Elsewhere it is rebuilt after each change, or, in code running on an asyncio event
    loop, once the loop is next free.  A rebuild runs in the kernel: the builder, then the
    spec is sent.  altair validates a spec once per shape: a rebuild that changes only the
    data (an emotion dragged) is sent without validating again, one that changes the
    spec's structure is validated whole.  An emotion curve rebuilds and sends in about
    40 ms of CPU at 24 touchpoints and 100 ms at 500 (``benchmarks/charts_bench.py``).

    When the builder fails.  The map can pass through states a builder does not accept,
    e.g. a survey summary that names a touchpoint just deleted.  The edit itself stands.
    The chart keeps its last good drawing (and the widget's highlight) with a line under
    its title, ``⚠ Not redrawn: <builder> raised <error>``, and a
    :class:`~journeywidgets.errors.JourneyWarning` names the builder, the exception and
    the map versions, once per distinct error until a rebuild succeeds again.  The next
    change tries again, so undoing the deletion brings the chart back.  The line on the
    chart is there because a warning raised by a widget gesture belongs to no cell:
    JupyterLab shows it nowhere (one raised by a cell shows under that cell).  A builder
    that returns something other than a chart with the ``touchpoint`` selection, or a chart
    altair refuses, is treated the same way.

    Examples
    --------
    >>> import journeywidgets as jw
    >>> m = jw.templates.it_laptop()
    >>> w = jw.JourneyWidget(m)
    >>> chart = jw.charts.link(jw.charts.emotion_curve(m), w)
    >>> w.selected = ["vpn_problem"]
    >>> chart.params.jw_selected
    ['vpn_problem']
    >>> jw.charts.unlink(chart)

    With a builder the chart follows the map's edits:

    >>> live = jw.charts.link(jw.charts.emotion_curve, w)
    >>> def emotion(chart, tp):
    ...     rows = [r for d in chart.spec["datasets"].values() for r in d]
    ...     return next(r["emotion"] for r in rows if r.get("touchpoint_id") == tp)
    >>> emotion(live, "vpn_problem")
    -2.0
    >>> _ = m.set_emotion("vpn_problem", 1)
    >>> emotion(live, "vpn_problem"), live.params.jw_selected
    (1.0, ['vpn_problem'])
    >>> jw.charts.unlink(live)
    """
    offline.ensure_bundle()
    builder: Builder | None = None
    if isinstance(chart, alt.JupyterChart):
        jchart = chart
        old: _Link | None = getattr(jchart, "_jw_link", None)
        builder = old.builder if old is not None else None
        unlink(jchart)
        spec = jchart.chart
    elif _is_builder(chart):
        jchart = None
        builder = chart
        spec = None
    else:
        jchart = None
        spec = chart
    if getattr(widget, "selected", None) is None or not hasattr(widget, "observe"):
        raise TypeError(
            f"link() needs a widget with a synced 'selected' list, got {type(widget).__name__}"
        )
    m: Any = getattr(widget, "map", None)
    if builder is not None:
        if not callable(getattr(m, "observe", None)):
            raise TypeError(
                f"link() with a chart builder needs a widget with an observable 'map', got "
                f"{type(widget).__name__}"
            )
        spec = _checked(builder(m), builder)
    state = _Link(chart=None, widget=widget, builder=builder)
    state.desired = _touchpoints_of(widget, widget.selected)
    baked = _with_params(spec, state.desired)
    if jchart is None:
        jchart = alt.JupyterChart(baked, embed_options=embed_options)
    else:
        if embed_options is not None:
            jchart.embed_options = embed_options
        jchart.chart = baked
    if jchart._selection_types.get(SELECTION) != "point":
        raise ValueError(_NO_SELECTION)
    state.chart = jchart
    state.good = baked
    state.valid_shapes[_shape_key(baked.to_dict(validate=False))] = None  # just validated
    state.good_version = getattr(m, "version", None)

    def chart_selected(change: dict[str, Any]) -> None:
        raw = (change["new"] or {}).get(SELECTION)
        if raw is None or state.rebuilding:
            return
        points = PointSelection.from_vega(SELECTION, raw.get("value"), raw.get("store", [])).value
        ids = _touchpoints_of(widget, [p[FIELD] for p in points if isinstance(p.get(FIELD), str)])
        if ids == state.last_chart:
            return  # a (re-)render reporting the selection we already know
        state.last_chart = ids
        if list(widget.selected) != ids:
            widget.selected = ids

    def widget_selected(change: dict[str, Any]) -> None:
        state.desired = _touchpoints_of(widget, change["new"])
        if jchart.params.trait_values().get(SELECTED_PARAM) != state.desired:
            setattr(jchart.params, SELECTED_PARAM, list(state.desired))

    def params_changed(change: dict[str, Any]) -> None:
        # A freshly rendered view reports the spec's initial values: if the widget's
        # selection changed since the spec was built, send it again.
        new = change["new"] or {}
        if SELECTED_PARAM in new and list(new[SELECTED_PARAM] or []) != state.desired:
            setattr(jchart.params, SELECTED_PARAM, list(state.desired))
        if LINKED_PARAM in new and not new[LINKED_PARAM]:
            setattr(jchart.params, LINKED_PARAM, True)

    jchart.observe(chart_selected, names="_vl_selections")
    jchart.observe(params_changed, names="_params")
    widget.observe(widget_selected, names="selected")
    state.undo = [
        lambda: jchart.unobserve(chart_selected, names="_vl_selections"),
        lambda: jchart.unobserve(params_changed, names="_params"),
        lambda: widget.unobserve(widget_selected, names="selected"),
    ]
    if builder is not None:
        # The map's observers run inside the widget's comm handler and inside m.apply():
        # _request_rebuild never raises (a raise would turn an applied edit into an error).
        state.undo.append(m.observe(lambda _change: _request_rebuild(state)))
    jchart._jw_link = state
    return jchart


def unlink(chart: alt.JupyterChart) -> None:
    """Stop a chart made by :func:`link` following its widget (and the widget the chart).

    The chart keeps its current highlight and goes back to highlighting its own clicks; a
    chart linked with a builder is no longer rebuilt when the map changes.
    """
    state: _Link | None = getattr(chart, "_jw_link", None)
    if state is None:
        return
    state.active = False
    _PENDING.discard(state)
    for undo in state.undo:
        undo()
    chart._jw_link = None
    if LINKED_PARAM in chart.params.trait_values():
        setattr(chart.params, LINKED_PARAM, False)


_NO_SELECTION = (
    f"the chart has no point selection named {SELECTION!r}; build it with "
    "journeywidgets.charts (emotion_curve, compare, distribution, heatmap...) or add "
    f"alt.selection_point(name={SELECTION!r}, fields=[{FIELD!r}]) to it"
)


def _is_builder(chart: Any) -> bool:
    """A function of the map rather than a chart (altair charts are not callable)."""
    return callable(chart) and not isinstance(chart, alt.TopLevelMixin)


def _name(builder: Builder) -> str:
    name = getattr(builder, "__qualname__", None)
    module = getattr(builder, "__module__", None)
    if not isinstance(name, str):
        return repr(builder)
    return f"{module}.{name}" if module and module not in ("__main__", "builtins") else name


def _checked(built: Any, builder: Builder) -> Any:
    """``built`` if it is a top-level altair chart, else a TypeError naming the builder."""
    if not isinstance(built, alt.TopLevelMixin):
        raise TypeError(
            f"link(): the chart builder {_name(builder)} returned "
            f"{type(built).__name__}, not an altair chart"
        )
    return built


def _has_point_selection(chart: Any) -> bool:
    """Whether ``chart`` has the point selection :func:`link` joins (read as JupyterChart does)."""
    params = chart.params if chart.params is not alt.Undefined else []
    for param in params:
        param = param.to_dict() if hasattr(param, "to_dict") else param
        select = param.get("select")
        if param.get("name") != SELECTION or select is None:
            continue
        select = {"type": select} if isinstance(select, str) else select
        return bool(
            select.get("type") == "point" and (select.get("fields") or select.get("encodings"))
        )
    return False


def _request_rebuild(state: _Link) -> None:
    """Rebuild now, or once the current cell or widget message is done (see ``link``'s Notes)."""
    if not state.active:
        return
    state.pending = True
    shell, loop = ipython_shell(), cell_loop()
    if shell is None and loop is None:
        _rebuild(state)
        return
    if shell is not None:
        _PENDING.add(state)
        after_each_cell(shell, _flush_pending_charts)
    if loop is not None and not state.queued:
        # A widget gesture arrives as a comm message, after which no cell ends: rebuild
        # when the kernel's event loop is next free, i.e. after the edit has been answered.
        state.queued = True
        loop.call_soon(_rebuild_queued, state)


def _rebuild_queued(state: _Link) -> None:
    state.queued = False
    if state.pending:
        _rebuild(state)


def _flush_pending_charts() -> None:
    """Rebuild every linked chart whose map changed during the cell that just ran.

    Registered on IPython's ``post_execute`` event by :func:`link` (with a builder).
    """
    for state in list(_PENDING):
        if state.pending:
            _rebuild(state)
    _PENDING.clear()


def _rebuild(state: _Link) -> None:
    """Replace the chart's spec with ``builder(map)``; on failure keep the last good one."""
    state.pending = False
    _PENDING.discard(state)
    if not state.active or state.builder is None:
        return
    version = state.widget.map.version
    try:
        _replace(state, state.builder, version)
    except Exception as exc:  # never into the map's observers, whatever went wrong
        _report(state, exc, version)


def _replace(state: _Link, builder: Builder, version: int) -> None:
    jchart, widget = state.chart, state.widget
    if getattr(jchart, "comm", None) is None:  # the chart was closed: stop following
        unlink(jchart)
        return
    built = _checked(builder(widget.map), builder)
    if not _has_point_selection(built):
        raise ValueError(f"link(): {_NO_SELECTION}")
    desired = _touchpoints_of(widget, widget.selected)
    baked = _with_params(built, desired)
    # Set first: replacing the chart resets its params, and params_changed compares them
    # with ``desired``.  The new view starts with no click selection.
    kept, state.desired = state.desired, desired
    state.rebuilding = True
    try:
        spec = baked.to_dict(validate=False)
        shape = _shape_key(spec)
        if shape in state.valid_shapes and _param_kinds(baked) == _param_kinds(jchart.chart):
            _send_spec(jchart, baked, spec)
        else:
            try:
                jchart.chart = baked  # altair validates the whole spec here
            except Exception:
                state.desired = kept
                jchart.chart = state.good
                raise
            state.valid_shapes[shape] = None
            while len(state.valid_shapes) > _SHAPES_KEPT:
                del state.valid_shapes[next(iter(state.valid_shapes))]
    finally:
        state.rebuilding = False
    state.last_chart = []
    state.good, state.good_version = baked, version
    state.reported.clear()
    state.notice = None


#: How many validated chart shapes a link remembers.
_SHAPES_KEPT = 32
_DATASET_NAME = re.compile(r'"data-[0-9a-f]{8,}"')


def _shape_key(spec: dict[str, Any]) -> str:
    """A digest of ``spec`` without its data: two specs with one key differ only in data.

    altair names each dataset after a hash of its rows, so the names are replaced by their
    order of appearance.
    """
    rest = {k: v for k, v in spec.items() if k != "datasets"}
    text = json.dumps(rest, sort_keys=True, ensure_ascii=False, default=str)
    names: dict[str, str] = {}
    text = _DATASET_NAME.sub(lambda m: names.setdefault(m.group(0), f'"#{len(names)}"'), text)
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def _param_kinds(chart: Any) -> list[tuple[str, str]]:
    """Names of a chart's params and their kinds (variable, point or interval selection)."""
    params: Any = getattr(chart, "params", alt.Undefined)
    kinds = []
    for param in params if isinstance(params, list) else []:
        select = param.get("select") if isinstance(param, dict) else param._get("select")
        if select is alt.Undefined or select is None:
            kind = "variable"
        elif isinstance(select, str):
            kind = select
        else:
            kind = str(select["type"] if isinstance(select, dict) else select.type)
        kinds.append((_param_name(param), kind))
    return sorted(kinds)


def _send_spec(jchart: alt.JupyterChart, chart: Any, spec: dict[str, Any]) -> None:
    """Show ``chart`` (whose ``spec`` is known valid) without JupyterChart's second pass.

    Assigning ``jchart.chart`` converts and validates the chart again and rebuilds the
    param and selection facades; here the params are the same kinds as before, so only the
    spec is sent and the selections reset, as a new chart's would be.  The ``chart`` trait
    is stored without notifying, so that ``jchart.chart`` still reads the chart shown.
    """
    jchart._trait_values["chart"] = chart
    with jchart.hold_sync():
        jchart.spec = spec
        jchart._vl_selections = {
            name: {"value": None, "store": []} for name in jchart._vl_selections
        }


#: Longest notice drawn on a chart that could not be rebuilt (the warning has it whole).
_NOTICE_CHARS = 150


def _show_notice(state: _Link, error: str) -> None:
    """Redraw the last good chart with a subtitle saying it is out of date, and why.

    A warning raised while the kernel handles a widget gesture is shown nowhere in
    JupyterLab (the output belongs to no cell), so the chart itself tells.
    """
    if state.notice == error or state.good is None or state.builder is None:
        return
    name = getattr(state.builder, "__name__", None) or _name(state.builder)
    text = f"\u26a0 Not redrawn: {name} raised {error}"
    if len(text) > _NOTICE_CHARS:
        text = text[: _NOTICE_CHARS - 1] + "\u2026"
    noted = _with_params(state.good, state.desired)  # a copy: the good chart stays as it was
    noted.title = _title_with_notice(state.good.title, text)
    state.rebuilding = True
    try:
        state.chart.chart = noted
    finally:
        state.rebuilding = False
    state.last_chart = []
    state.notice = error


def _title_with_notice(title: Any, text: str) -> alt.TitleParams:
    """``title`` with ``text`` as its subtitle, in the theme's colour for negative things."""
    colour = style.colours("auto")["negative"]
    if title is alt.Undefined:
        return alt.TitleParams(text=text, color=colour)
    if isinstance(title, str | list):
        return alt.TitleParams(text=title, subtitle=text, subtitleColor=colour)
    fields = dict(title.to_dict() if hasattr(title, "to_dict") else title)
    fields.update(subtitle=text, subtitleColor=colour)
    return alt.TitleParams(**fields)


def _report(state: _Link, exc: Exception, version: int) -> None:
    """Say on the chart and in a warning (once per distinct error) that the builder failed.

    Never raises into the map's observers.
    """
    key = f"{type(exc).__name__}: {exc}"
    also = ""
    try:
        _show_notice(state, key)
    except Exception as notice_error:  # the warning below still tells
        also = f" (the chart could not say so either: {notice_error!r})"
    if key in state.reported:
        return
    state.reported.add(key)
    builder = state.builder
    assert builder is not None
    message = (
        f"link(): the chart builder {_name(builder)} raised {key} on version {version} of "
        f"the map; the chart still shows version {state.good_version} and is rebuilt after "
        f"the next change{also}"
    )
    code = getattr(builder, "__code__", None)
    try:
        # Point the warning at the builder's own code (a notebook cell shows its line).
        warnings.warn_explicit(
            message,
            JourneyWarning,
            code.co_filename if code is not None else __file__,
            code.co_firstlineno if code is not None else 1,
            module=getattr(builder, "__module__", None) or __name__,
            registry=None,  # our own once-per-error rule decides, not the location registry
        )
    except Warning:
        # A warnings filter turned it into an error: still say it, but do not raise into
        # the map's observers (the edit has been applied).
        print(f"JourneyWarning: {message}", file=sys.stderr)
