"""A notebook as one HTML file whose journey map widgets work offline.

``jupyter nbconvert --to html`` writes the notebook's saved widget state into the page but
loads require.js, the widget manager (``@jupyter-widgets/html-manager``) and anywidget's front
end from CDNs, so offline the widget area stays empty.  :func:`notebook_to_html` runs the
notebook with nbclient (``store_widget_state=True``, so the state holds each widget's map as
the notebook left it) and exports it with a template that inlines those scripts, copied from
npm at build time into ``journeywidgets/static/vendor/``.  The result is one file that needs
no network: open it from disk, e-mail it, put it on an intranet.

Without saved widget state (``execute=False`` on a notebook that was never run with it) the
page shows each widget's static picture (the ``text/html`` fallback) instead.
"""

from __future__ import annotations

import json
import re
import warnings
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from . import atomic
from .errors import JourneyWarning
from .htmlsafe import inline_script, script_json

if TYPE_CHECKING:
    import nbformat

_PACKAGE = resources.files("journeywidgets")
TEMPLATE_NAME = "journeywidgets_offline"
# The widget JSON nbconvert embeds in <script type="application/vnd.jupyter.widget-...+json">.
_WIDGET_JSON = re.compile(
    r'(<script type="application/vnd\.jupyter\.widget-(?:state|view)\+json">)(.*?)(</script>)',
    re.DOTALL,
)


def _vendor(name: str) -> str:
    path = _PACKAGE.joinpath("static", "vendor", name)
    if not path.is_file():
        raise FileNotFoundError(
            f"journeywidgets/static/vendor/{name} is missing: the front end is not fully "
            "built. From a source checkout run `make build` (npm ci && npm run build in js/)."
        )
    return path.read_text(encoding="utf-8")


def _anywidget_module() -> str:
    # anywidget ships an anonymous AMD module; inline, require.js needs it named: this local
    # `define` gives it the name the widget manager asks for ("anywidget").
    return (
        "(function () {\n"
        "var define = function (deps, factory) {"
        ' return window.define("anywidget", deps, factory); };\n'
        "define.amd = window.define.amd;\n"
        f"{_vendor('anywidget.js')}\n"
        "})();"
    )


def _check_versions() -> None:
    import anywidget

    try:
        vendored = json.loads(_vendor("versions.json")).get("anywidget", "")
    except (ValueError, AttributeError):
        return
    python = str(getattr(anywidget, "__version__", ""))
    if vendored.split(".")[:2] != python.split(".")[:2]:
        warnings.warn(
            f"the inlined anywidget front end is {vendored} but Python's anywidget is {python}; "
            "rebuild journeywidgets' front end (make build) if widgets do not show",
            JourneyWarning,
            stacklevel=3,
        )


def _safe_widget_json(html: str) -> str:
    def redo(match: re.Match[str]) -> str:
        # nbconvert only escapes "/" here; "<!--" in a map's text would still derail the
        # HTML parser and hide the rest of the page, so re-encode the whole block.
        return f"{match.group(1)}\n{script_json(json.loads(match.group(2)))}\n{match.group(3)}"

    return _WIDGET_JSON.sub(redo, html)


def execute(
    nb: nbformat.NotebookNode, *, cwd: str | Path | None = None, timeout: int = 300
) -> nbformat.NotebookNode:
    """Run ``nb`` in place with nbclient, saving widget state into its metadata."""
    from nbclient import NotebookClient

    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name=nb.metadata.get("kernelspec", {}).get("name", "python3"),
        resources={"metadata": {"path": str(cwd or Path.cwd())}},
        store_widget_state=True,
    )
    client.execute()
    return nb


def notebook_to_html(
    notebook: nbformat.NotebookNode | str | Path,
    output: str | Path | None = None,
    *,
    execute_first: bool = True,
    timeout: int = 300,
    cwd: str | Path | None = None,
) -> str:
    """Export a notebook to one offline HTML file in which its widgets work.

    Parameters
    ----------
    notebook:
        A notebook object or an ``.ipynb`` path (the file is not changed).
    output:
        Where to write the HTML (UTF-8); nothing is written when None.
    execute_first:
        Run the notebook first (nbclient, saving widget state) so that its widgets show
        interactively.  With False the notebook is exported as it is: widgets show from
        widget state it already holds, or as their static pictures.
    timeout:
        Seconds each cell may run.
    cwd:
        Folder the notebook runs in (default: the notebook's folder, or the current one).

    Returns
    -------
    The HTML text.

    Examples
    --------
    >>> import journeywidgets as jw
    >>> nb = jw.notebook.write_map(jw.notebook.new_notebook(), jw.JourneyMap("Demo"))
    >>> page = jw.nbhtml.notebook_to_html(nb, execute_first=False)
    >>> "cdn.jsdelivr" in page or "cdnjs" in page
    False
    """
    import nbformat
    from nbconvert import HTMLExporter

    if output is not None:
        atomic.target(output)  # a missing folder is found before minutes of executing
    if isinstance(notebook, str | Path):
        from .notebook import _read

        path = Path(notebook)
        nb = _read(path)
        cwd = cwd if cwd is not None else path.parent
    else:
        nb = nbformat.from_dict(json.loads(json.dumps(notebook)))  # a copy; theirs stays as is
    if execute_first:
        execute(nb, cwd=cwd, timeout=timeout)
    _check_versions()
    exporter = HTMLExporter(
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(_PACKAGE.joinpath("nbconvert_templates"))],
        embed_images=True,
    )
    scripts = {
        "require_js": inline_script(_vendor("require.js")),
        "embed_js": inline_script(_vendor("embed-amd.js")),
        "anywidget_js": inline_script(_anywidget_module()),
    }
    body, _ = exporter.from_notebook_node(nb, resources={"journeywidgets": scripts})
    html = _safe_widget_json(body)
    if output is not None:
        atomic.write_text(output, html)
    return html
