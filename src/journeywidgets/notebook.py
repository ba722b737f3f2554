"""Maps in notebook files: write a map into a notebook, read maps back, generate a report.

A map written by :func:`write_map` is one code cell that recreates it::

    # journeywidgets map 'energy' (its document is also in this cell's metadata)
    import journeywidgets as jw

    m = jw.JourneyMap.from_dict(
        {...the map's document as a Python literal...}
    )
    jw.JourneyWidget(m)

and the same document, as JSON, in the cell's metadata under
``metadata["journeywidgets"]["map"]``.  The code is what runs; the metadata is what tools
read without running anything (:func:`read_maps`).  :func:`read_maps` also finds maps in
saved widget state (``metadata.widgets``, written by JupyterLab's "Save widget state" and
by nbclient's ``store_widget_state``), which holds the map as last edited in the widget.

User text reaches the code only through Python's ``repr`` and reaches Markdown cells only
escaped, so no map can inject code or markup into a notebook.
"""

from __future__ import annotations

import html
import keyword
import os
import pprint
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from . import atomic
from .errors import DocumentError, FileWriteError, MissingFileError

if TYPE_CHECKING:
    import nbformat
    import pandas as pd

    from .model.journey import JourneyMap

#: The key journeywidgets uses in cell metadata.
METADATA_KEY = "journeywidgets"
#: The mime type of saved widget state in ``notebook.metadata.widgets``.
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}

Source = Literal["all", "cells", "widgets"]


# ============================================================================= writing
def map_cell(
    m: JourneyMap, *, name: str = "m", widget: bool = True, hide_code: bool = True
) -> nbformat.NotebookNode:
    """A code cell that recreates ``m`` in a variable ``name`` (and shows it).

    The map's document is in the cell's metadata too (``metadata.journeywidgets.map``).

    Parameters
    ----------
    m:
        The map.
    name:
        The variable the cell assigns the map to.
    widget:
        End the cell with ``jw.JourneyWidget(name)`` (the editor) rather than ``name``
        (a static picture).
    hide_code:
        Collapse the cell's code (``metadata.jupyter.source_hidden``): it is the whole map
        document, long and not meant for reading.  JupyterLab shows it on a click.

    Examples
    --------
    >>> import journeywidgets as jw
    >>> cell = jw.notebook.map_cell(jw.JourneyMap("Demo"), name="demo")
    >>> cell.source.splitlines()[-1]
    'jw.JourneyWidget(demo)'
    >>> cell.metadata["journeywidgets"]["map"]["title"]
    'Demo'
    """
    import nbformat

    if not name.isidentifier() or keyword.iskeyword(name):
        raise ValueError(f"name: {name!r} is not a Python variable name")
    doc = m.to_dict()
    # pprint writes a valid Python literal (strings through repr), readable and diffable;
    # fields left at their empty defaults are left out of the code (not of the metadata).
    literal = pprint.pformat(_compact(doc), indent=1, width=96, sort_dicts=False)
    source = "\n".join(
        [
            f"# journeywidgets map {m.id!r} (its document is also in this cell's metadata)",
            "import journeywidgets as jw",
            "",
            f"{name} = jw.JourneyMap.from_dict(",
            _indent(literal, "    "),
            ")",
            f"jw.JourneyWidget({name})" if widget else name,
        ]
    )
    metadata: dict[str, Any] = {METADATA_KEY: {"map": doc}}
    if hide_code:
        metadata["jupyter"] = {"source_hidden": True}
    return nbformat.v4.new_code_cell(source, metadata=metadata)


_EMPTY: tuple[Any, ...] = ("", None, False, (), [], {})
_REQUIRED = frozenset({"id", "name", "text", "stage", "touchpoint", "lane"})


def _compact(doc: dict[str, Any]) -> dict[str, Any]:
    """The document without fields whose value is the empty default (``""``, ``[]``...)."""

    def strip(item: dict[str, Any]) -> dict[str, Any]:
        return {
            k: v
            for k, v in item.items()
            if k in _REQUIRED or not any(v is e or (type(v) is type(e) and v == e) for e in _EMPTY)
        }

    out = strip(doc)
    for key in ("personas", "stages", "touchpoints", "lanes", "cards"):
        if doc.get(key):
            out[key] = [strip(item) for item in doc[key]]
    return out


def _indent(text: str, prefix: str) -> str:
    return "\n".join(prefix + line for line in text.splitlines())


def new_notebook() -> nbformat.NotebookNode:
    """An empty notebook with the Python 3 kernelspec (so Jupyter opens it without asking)."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def write_map(
    nb_or_path: nbformat.NotebookNode | str | Path,
    m: JourneyMap,
    *,
    name: str = "m",
    widget: bool = True,
    hide_code: bool = True,
    index: int | None = None,
    replace: bool = True,
) -> nbformat.NotebookNode:
    """Add a cell that recreates ``m`` to a notebook (see :func:`map_cell`).

    Parameters
    ----------
    nb_or_path:
        A notebook object (changed in place), or a path: an existing ``.ipynb`` file is
        read, changed and written back; a missing one is created.
    m:
        The map.
    name, widget, hide_code:
        See :func:`map_cell`.
    index:
        Where the cell goes (default: the end).
    replace:
        When a cell already holds a map with the same id, replace that cell instead of
        adding another one.

    Returns
    -------
    The notebook.

    Examples
    --------
    >>> import journeywidgets as jw
    >>> nb = jw.notebook.write_map(jw.notebook.new_notebook(), jw.JourneyMap("A", id="a"))
    >>> nb = jw.notebook.write_map(nb, jw.JourneyMap("A, renamed", id="a"))
    >>> [x.title for x in jw.notebook.read_maps(nb)]
    ['A, renamed']
    """

    path: Path | None = None
    if isinstance(nb_or_path, str | Path):
        path = atomic.target(nb_or_path)  # a folder or a missing folder: FileWriteError
        nb = _read(path) if path.exists() else new_notebook()
    else:
        nb = nb_or_path
    cell = map_cell(m, name=name, widget=widget, hide_code=hide_code)
    existing = None
    if replace:
        for i, old in enumerate(nb.cells):
            doc = _cell_document(old, i)
            if doc is not None and doc.get("id", "journey") == m.id:
                existing = i
                break
    if existing is not None:
        nb.cells[existing] = cell
    elif index is None:
        nb.cells.append(cell)
    else:
        nb.cells.insert(index, cell)
    if path is not None:
        _write(nb, path)
    return nb


def _write(nb: nbformat.NotebookNode, path: Path) -> None:
    """Write the notebook atomically: a failure leaves the file already there as it was."""
    import nbformat

    text = nbformat.writes(nb)  # validates and serialises before the file is touched
    atomic.write_text(path, text if text.endswith("\n") else text + "\n")


# ============================================================================= reading
@dataclass(frozen=True)
class FoundMap:
    """A map found in a notebook, and where.

    ``source`` is ``"cell"`` (a cell's metadata) or ``"widget"`` (saved widget state);
    ``cell`` is the index of the cell that holds or shows it (None for a widget no output
    shows); ``model_id`` is the widget model's id.
    """

    map: JourneyMap
    source: Literal["cell", "widget"]
    cell: int | None
    model_id: str | None = None


def _read(path: Path) -> nbformat.NotebookNode:
    import nbformat

    if path.is_dir():
        raise DocumentError(f"cannot read {path}: it is a folder, not a notebook")
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DocumentError(f"cannot read {path}: no such file") from None
    except OSError as exc:
        raise DocumentError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DocumentError(
            f"{path} is not a Jupyter notebook: line {line} is not UTF-8 text"
        ) from None
    if not text.strip():
        raise DocumentError(f"{path} is not a Jupyter notebook: the file is empty")
    try:
        nb = nbformat.reads(text, as_version=4)
    except Exception as exc:  # nbformat raises several kinds for files that are not notebooks
        raise DocumentError(f"{path} is not a Jupyter notebook: {exc}") from None
    if not isinstance(nb.get("cells"), list):
        raise DocumentError(f"{path} is not a Jupyter notebook: it has no list of cells")
    return nb


def _where(cell: Any, index: int) -> str:
    ident = cell.get("id") if isinstance(cell, Mapping) else None
    return f"cell {index}" + (f" (id {ident!r})" if ident else "")


def _cell_document(cell: Any, index: int) -> dict[str, Any] | None:
    """The map document in a cell's metadata, None when it holds none."""
    if not isinstance(cell, Mapping):
        raise DocumentError(f"cell {index} is not a JSON object")
    meta = cell.get("metadata", {})
    if not isinstance(meta, Mapping):
        raise DocumentError(f"{_where(cell, index)}: its metadata is not a JSON object")
    ours = meta.get(METADATA_KEY)
    if ours is None:
        return None
    if not isinstance(ours, Mapping) or "map" not in ours:
        raise DocumentError(
            f"{_where(cell, index)}: metadata {METADATA_KEY!r} must be an object with a 'map'"
        )
    doc = ours["map"]
    if not isinstance(doc, Mapping):
        raise DocumentError(
            f"{_where(cell, index)}: metadata {METADATA_KEY}.map is not a journey map "
            f"document (a JSON object), but {type(doc).__name__}"
        )
    return dict(doc)


def _load(doc: Mapping[str, Any], where: str) -> JourneyMap:
    from .model.journey import JourneyMap

    try:
        return JourneyMap.from_dict(doc)
    except DocumentError as exc:
        raise DocumentError(f"{where}: {exc}", problems=exc.problems) from None


def _widget_models(nb: Any) -> dict[str, Mapping[str, Any]]:
    """Saved widget state of every JourneyWidget in the notebook, by model id."""
    widgets = nb.get("metadata", {}).get("widgets")
    if widgets is None:
        return {}
    state = widgets.get(WIDGET_STATE, {}) if isinstance(widgets, Mapping) else None
    models = state.get("state", {}) if isinstance(state, Mapping) else None
    if not isinstance(models, Mapping):
        raise DocumentError(
            f"the notebook's metadata.widgets is not saved widget state ({WIDGET_STATE})"
        )
    found = {}
    for model_id, model in models.items():
        values = model.get("state") if isinstance(model, Mapping) else None
        if not isinstance(values, Mapping):
            continue
        anywidget_id = str(values.get("_anywidget_id", ""))
        if anywidget_id.startswith("journeywidgets.") and anywidget_id.endswith("JourneyWidget"):
            found[str(model_id)] = values
    return found


def _shown_in(nb: Any) -> dict[str, int]:
    """Widget model id -> index of the first cell whose output shows it."""
    shown: dict[str, int] = {}
    for index, cell in enumerate(nb.get("cells", [])):
        for output in cell.get("outputs", []) if isinstance(cell, Mapping) else []:
            data = output.get("data", {}) if isinstance(output, Mapping) else {}
            view = data.get(WIDGET_VIEW) if isinstance(data, Mapping) else None
            if isinstance(view, Mapping) and isinstance(view.get("model_id"), str):
                shown.setdefault(view["model_id"], index)
    return shown


def find_maps(
    nb_or_path: nbformat.NotebookNode | str | Path, *, source: Source = "all"
) -> list[FoundMap]:
    """Every map in a notebook with where it was found (see :func:`read_maps`)."""
    nb = _read(Path(nb_or_path)) if isinstance(nb_or_path, str | Path) else nb_or_path
    found: list[FoundMap] = []
    cells = nb.get("cells", [])
    if source in ("all", "cells"):
        for index, cell in enumerate(cells):
            doc = _cell_document(cell, index)
            if doc is not None:
                found.append(FoundMap(_load(doc, _where(cell, index)), "cell", index))
    if source in ("all", "widgets"):
        shown = _shown_in(nb)
        models = _widget_models(nb)
        # In the order the notebook shows them; widgets no output shows come last.
        order = sorted(models, key=lambda mid: (shown.get(mid, len(cells)), mid))
        for model_id in order:
            doc = models[model_id].get("_doc")
            cell_index = shown.get(model_id)
            where = f"widget {model_id!r}" + (
                f" shown in {_where(cells[cell_index], cell_index)}"
                if cell_index is not None
                else ""
            )
            if not isinstance(doc, Mapping):
                raise DocumentError(f"{where}: its saved state has no map document ('_doc')")
            found.append(FoundMap(_load(doc, where), "widget", cell_index, model_id))
    return found


def read_maps(
    nb_or_path: nbformat.NotebookNode | str | Path, *, source: Source = "all"
) -> list[JourneyMap]:
    """Read every map in a notebook.

    Parameters
    ----------
    nb_or_path:
        A notebook object or an ``.ipynb`` path.
    source:
        ``"cells"``: maps written by :func:`write_map` (cell metadata), in cell order;
        ``"widgets"``: maps in saved widget state, as last edited in the widget, in the order
        the notebook shows them; ``"all"`` (default): both, cells first.

    Raises
    ------
    DocumentError
        When the file is not a notebook, or a map in it is broken: the message names the
        cell (index and id) or the widget model.

    Examples
    --------
    >>> import journeywidgets as jw
    >>> nb = jw.notebook.write_map(jw.notebook.new_notebook(), jw.templates.it_laptop())
    >>> [m.title for m in jw.notebook.read_maps(nb)]
    ['Requesting a new laptop from IT']
    """
    return [found.map for found in find_maps(nb_or_path, source=source)]


# ============================================================================= report
# Characters that start Markdown inline markup anywhere in a line ("$" starts math).
_MD_SPECIAL = frozenset("\\`*_{}[]()#+-!|~$")
_LIST_START = re.compile(r"^(\d+)([.)])")


def markdown_text(text: str) -> str:
    """``text`` escaped for a Markdown cell: shown literally, never as markup or math.

    ``<``, ``>`` and ``&`` become entities; characters that start Markdown markup are
    backslash-escaped (``\\$`` also stops Jupyter's math rendering); ``1.`` at the start
    does not begin a list.

    Examples
    --------
    >>> print(markdown_text("<b>50% *off*</b> for $5, e.g. now"))
    &lt;b&gt;50% \\*off\\*&lt;/b&gt; for \\$5, e.g. now
    """
    out = []
    for ch in text:
        if ch in "<>&":
            out.append(html.escape(ch))
        elif ch in _MD_SPECIAL:
            out.append("\\" + ch)
        else:
            out.append(ch)
    return _LIST_START.sub(lambda m: m.group(1) + "\\" + m.group(2), "".join(out))


def _line(text: str) -> str:
    return markdown_text(" ".join(text.split()))


def report(
    m: JourneyMap,
    survey: pd.DataFrame | str | Path | None = None,
    path: str | Path | None = None,
    *,
    title: str | None = None,
    survey_options: Mapping[str, Any] | None = None,
    widget: bool = True,
    execute: bool = False,
    timeout: int = 300,
) -> nbformat.NotebookNode:
    """Generate a report notebook: the map, its touchpoints, emotion curve, quick wins and,
    when ``survey`` is given, the survey summary and the hypothesis-vs-measured comparison.

    Parameters
    ----------
    m:
        The map.
    survey:
        Survey responses in long format (one row per respondent x touchpoint): a DataFrame,
        written as CSV beside the report (``path`` is then required), or the path of a CSV
        file (it must exist; the report refers to it relative to the report's folder, so
        keep them together when moving them).
    path:
        Where to write the ``.ipynb`` (nothing is written when None).
    title:
        The report's heading (default: "Journey report: <map title>").
    survey_options:
        Keyword arguments for :func:`journeywidgets.survey.summarize` (``touchpoint=``,
        ``score=``, ``scale=``, ``segment=``...).
    widget:
        Show the map as the editable widget (default) rather than a static picture.
    execute:
        Run the notebook (nbclient, in the report's folder) and keep its outputs and widget
        state.
    timeout:
        Seconds each cell may run when executing.

    Examples
    --------
    >>> import journeywidgets as jw
    >>> nb = jw.notebook.report(jw.JourneyMap("Moving house"))
    >>> nb.cells[0].source.splitlines()[0]
    '# Journey report: Moving house'
    """
    import nbformat

    target = Path(path) if path is not None else None
    nb = new_notebook()
    heading = title if title is not None else f"Journey report: {m.title or m.id}"
    intro = [f"# {_line(heading)}", ""]
    if m.description:
        intro += [_line(m.description), ""]
    facts = [f"- {m.kind.capitalize()} journey, {m.state} state"]
    if m.persona is not None:
        persona = m.persona
        facts.append(
            f"- Persona: {_line(persona.name)}"
            + (f" ({_line(persona.role)})" if persona.role else "")
        )
    if m.scenario:
        facts.append(f"- Scenario: {_line(m.scenario)}")
    facts.append(
        f"- {len(m.stages)} stages, {len(m.touchpoints)} touchpoints, {len(m.lanes)} lanes, "
        f"{len(m.cards)} cards; emotion scale {m.scale.min:g} to {m.scale.max:g}"
    )
    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    nb.cells.append(md("\n".join(intro + facts)))
    nb.cells.append(map_cell(m, name="m", widget=widget))

    nb.cells.append(md("## Touchpoints\n\nIn journey order, with the workshop's emotion score."))
    nb.cells.append(
        code(
            'touchpoints = m.to_dataframe("touchpoints")\n'
            'touchpoints[["stage", "name", "channel", "emotion", "moment_of_truth"]]'
        )
    )
    charts = _has_module("journeywidgets.charts")
    if charts:
        nb.cells.append(md("## Emotion curve"))
        # Live and as a picture: the report reads on GitHub and nbviewer too.
        nb.cells.append(code("jw.charts.with_picture(jw.charts.emotion_curve(m))"))
    nb.cells.append(md("## Quick wins\n\nCards with high impact (4-5) for low effort (1-2)."))
    nb.cells.append(
        code(
            'cells = m.to_dataframe("cells")\n'
            'cells[cells["quick_win"]][["touchpoint_name", "lane_name", "text", "impact", '
            '"effort"]]'
        )
    )
    if survey is not None:
        nb.cells += _survey_cells(survey, target, survey_options or {}, charts)
    if target is not None:
        _report_folder(target)
    if execute:
        _execute(nb, target.parent if target is not None else Path.cwd(), timeout)
    if target is not None:
        _write(nb, target)
    return nb


def _report_folder(target: Path) -> None:
    """Create the report's own folder (it runs there); a file in the way is an error."""
    if target.is_dir():
        raise FileWriteError(
            f"cannot write {str(target)!r}: it is a folder, not a file", path=target
        )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # FileExistsError when a file is where a folder should be
        raise FileWriteError(
            f"cannot write {str(target)!r}: cannot create its folder {str(target.parent)!r} "
            f"({exc.strerror or exc})",
            path=target,
        ) from exc


def _has_module(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


def _survey_cells(
    survey: pd.DataFrame | str | Path,
    target: Path | None,
    options: Mapping[str, Any],
    charts: bool,
) -> list[nbformat.NotebookNode]:
    import nbformat

    if isinstance(survey, str | Path):
        csv = Path(survey)
        if not csv.is_file():
            raise MissingFileError(f"survey: {csv} is not a file")
        # The report runs in its own folder: refer to the file from there.
        base = target.parent if target is not None else Path.cwd()
        where = Path(os.path.relpath(csv.resolve(), base.resolve())).as_posix()
    else:
        if target is None:
            raise ValueError(
                "report(): give path= so the survey responses can be saved beside the report"
            )
        csv_path = target.with_name(target.stem + ".survey.csv")
        _report_folder(target)
        atomic.write_text(csv_path, survey.to_csv(index=False))
        where = csv_path.name
    for key in options:
        if not key.isidentifier() or keyword.iskeyword(key):
            raise ValueError(f"survey_options: {key!r} is not a keyword argument name")
    args = "".join(f", {key}={value!r}" for key, value in options.items())
    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    return [
        md(
            "## Survey evidence\n\nThe survey's per-touchpoint summary (mean with a 95% "
            "interval, mapped onto the map's emotion scale), recorded on the map beside the "
            "workshop hypothesis."
        ),
        code(
            "import pandas as pd\n\n"
            f"responses = pd.read_csv({where!r})\n"
            f"summary = jw.survey.summarize(responses, map=m{args})\n"
            "summary"
        ),
        code("jw.survey.record(m, summary)\njw.survey.compare(m)"),
        md(
            "The map with the survey's measurements: each measured value (a square, with its "
            "interval) beside the workshop's hypothesis."
        ),
        code("jw.export.picture(m)"),
        *(
            [code("jw.charts.with_picture(jw.charts.emotion_curve(m, survey=summary))")]
            if charts
            else []
        ),
    ]


def _execute(nb: nbformat.NotebookNode, cwd: Path, timeout: int) -> None:
    try:
        from nbclient import NotebookClient
    except ImportError:  # pragma: no cover - nbclient comes with JupyterLab and nbconvert
        raise ImportError(
            "executing a report needs nbclient: pip install nbclient ipykernel"
        ) from None
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(cwd)}},
        store_widget_state=True,
    )
    client.execute()
