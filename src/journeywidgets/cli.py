"""The ``journeywidgets`` command (also ``python -m journeywidgets``).

Convert maps between formats, export notebooks to offline HTML, generate reports::

    journeywidgets convert map.json map.svg
    journeywidgets convert map.json map.html              # interactive, offline, one file
    journeywidgets convert map.json map.pdf --page A3     # or slide, A4..A0, 500x300 (mm)
    journeywidgets convert map.json wall.pdf --page A0 --tiles A3   # a poster on A3 sheets
    journeywidgets convert diagram.mmd map.json --scale -2 2
    journeywidgets convert template:energy_utility tables.zip
    journeywidgets notebook-html analysis.ipynb -o analysis.html
    journeywidgets report map.json -o report.ipynb --survey responses.csv --execute
    journeywidgets validate map.json other.json
    journeywidgets templates

Formats are taken from file extensions (``--from``/``--to`` override them; ``-`` is standard
input or output and needs one): ``.json``, ``.mmd``/``.mermaid``, ``.svg``, ``.html``
(interactive page; ``static-html`` for a picture without script), ``.ipynb`` (a cell that
recreates the map / the maps a notebook holds), ``.zip`` or a folder of CSV tables
(``csv``), ``.xlsx``.  Errors go to standard error; the exit status is 1 when the command
failed and 2 when it was called wrongly.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import warnings
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import JourneyError

if TYPE_CHECKING:
    from .model.journey import JourneyMap

PROG = "journeywidgets"
FORMATS = ("json", "mermaid", "svg", "html", "static-html", "ipynb", "csv", "xlsx", "pdf", "png")
_READABLE = ("json", "mermaid", "ipynb", "csv", "xlsx")
_SUFFIXES = {
    ".json": "json",
    ".mmd": "mermaid",
    ".mermaid": "mermaid",
    ".svg": "svg",
    ".html": "html",
    ".htm": "html",
    ".ipynb": "ipynb",
    ".zip": "csv",
    ".xlsx": "xlsx",
    ".pdf": "pdf",
    ".png": "png",
}
_BINARY = ("csv", "xlsx", "pdf", "png")


class CommandError(Exception):
    """A failure to report on standard error (exit status 1)."""


# ============================================================================ formats
def _format_of(location: str, given: str | None, role: str) -> str:
    if given:
        return given
    if location == "-":
        side = "input" if role == "from" else "output"
        raise CommandError(f"give --{role} when the {side} is '-' (standard {side})")
    if location.startswith("template:"):
        return "template"
    path = Path(location)
    if path.suffix.lower() in _SUFFIXES:
        return _SUFFIXES[path.suffix.lower()]
    if path.is_dir() or location.endswith(("/", "\\")):
        return "csv"
    known = ", ".join(sorted(_SUFFIXES))
    raise CommandError(
        f"cannot tell the format of {location!r} from its extension (known: {known}, or a "
        f"folder of CSV tables); give --{role} with one of: {', '.join(FORMATS)}"
    )


def _read_text(location: str) -> str:
    if location == "-":
        stdin = getattr(sys.stdin, "buffer", None)
        if stdin is None:  # a text stream put in place of standard input (tests, IDEs)
            return sys.stdin.read()
        raw, location = stdin.read(), "standard input"
    else:
        path = Path(location)
        if path.is_dir():
            raise CommandError(f"cannot read {location}: it is a folder, not a file")
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {location}: {exc.strerror or exc}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise CommandError(
            f"{location}: line {line} is not UTF-8 text ({exc.reason}); save it as UTF-8"
        ) from None


def read_map(
    location: str, fmt: str, *, scale: Sequence[float] | None, index: int | None
) -> JourneyMap:
    """Read a map from ``location`` in format ``fmt`` (see the module docs).

    A journeywidgets error says which file it is about (the name is put in front when the
    reader's message does not already hold it).
    """
    try:
        return _read_map(location, fmt, scale=scale, index=index)
    except JourneyError as exc:
        if exc.args and isinstance(exc.args[0], str) and location not in exc.args[0]:
            exc.args = (f"{location}: {exc.args[0]}", *exc.args[1:])
        raise


def _read_map(
    location: str, fmt: str, *, scale: Sequence[float] | None, index: int | None
) -> JourneyMap:
    from . import frames, mermaid, notebook, templates
    from .model import document

    if fmt == "template":
        name = location.removeprefix("template:")
        try:
            return templates.load_template(name)
        except KeyError as exc:
            raise CommandError(str(exc.args[0])) from None
    if fmt == "json":
        return document.loads(_read_text(location))
    if fmt == "mermaid":
        return mermaid.from_mermaid(
            _read_text(location),
            scale=tuple(scale) if scale else None,  # type: ignore[arg-type]
        )
    if fmt == "ipynb":
        if location == "-":
            import nbformat

            nb = nbformat.reads(sys.stdin.read(), as_version=4)
            found = notebook.find_maps(nb)
        else:
            found = notebook.find_maps(location)
        if not found:
            raise CommandError(f"{location} holds no journey map")
        if index is None:
            if len(found) > 1:
                where = "; ".join(
                    f"{i}: {f.map.title or f.map.id!r} ({f.source}, cell {f.cell})"
                    for i, f in enumerate(found)
                )
                raise CommandError(
                    f"{location} holds {len(found)} maps; pick one with --index ({where})"
                )
            index = 0
        if not 0 <= index < len(found):
            raise CommandError(f"--index {index}: {location} holds {len(found)} map(s)")
        return found[index].map
    if fmt == "csv":
        if location == "-":
            raise CommandError("CSV tables are a folder or a .zip file, not standard input")
        path = Path(location)
        if path.suffix.lower() == ".zip":
            with tempfile.TemporaryDirectory() as tmp:
                try:
                    with zipfile.ZipFile(path) as archive:
                        names = [n for n in archive.namelist() if n.endswith(".csv")]
                        for name in names:
                            # Only the base name: a zip entry cannot write outside tmp.
                            (Path(tmp) / Path(name).name).write_bytes(archive.read(name))
                except (OSError, zipfile.BadZipFile) as exc:
                    raise CommandError(f"cannot read {location}: {exc}") from None
                return frames.read_csv(tmp)
        return frames.read_csv(path)
    if fmt == "xlsx":
        return frames.read_excel(location)
    raise CommandError(f"cannot read {fmt}; readable formats: {', '.join(_READABLE)}")


def write_map(
    m: JourneyMap,
    location: str,
    fmt: str,
    *,
    language: str | None,
    page: str | None = None,
    tiles: str | None = None,
    dpi: float = 150,
) -> None:
    """Write ``m`` to ``location`` in format ``fmt`` (``page``/``tiles``: PDF and PNG)."""
    from . import atomic, export, frames, mermaid, notebook

    text: str | None = None
    if fmt in ("pdf", "png"):
        from . import pages

        if location == "-":
            raise CommandError(f"a {fmt.upper()} goes to a file, not standard output")
        size = _page_size(page or ("A3" if fmt == "pdf" else "slide"))
        poster = _page_size(tiles) if tiles else None
        if fmt == "pdf":
            pages.to_pdf(m, location, size, tiles=poster, language=language)
            return
        written = pages.to_png(m, location, size, tiles=poster, language=language, dpi=dpi)
        if len(written) > 1:
            print(f"{len(written)} pages: {', '.join(p.name for p in written)}", file=sys.stderr)
        return
    if fmt == "json":
        text = m.to_json() + "\n"
    elif fmt == "mermaid":
        text = mermaid.to_mermaid(m, language=language)
    elif fmt == "svg":
        text = export.to_svg(m, language=language)
    elif fmt == "static-html":
        text = export.static_page(m, language=language)
    elif fmt == "html":
        text = export.to_html(m, language=language)
    elif fmt == "ipynb":
        if location == "-":
            import nbformat

            text = nbformat.writes(notebook.write_map(notebook.new_notebook(), m))
        else:
            notebook.write_map(location, m)
            return
    elif fmt == "csv":
        if location == "-":
            raise CommandError("CSV tables go to a folder or a .zip file, not standard output")
        path = Path(location)
        if path.suffix.lower() == ".zip":
            with (
                atomic.replacing(path) as out,
                zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive,
            ):
                for name, data in frames.csv_files(m).items():
                    archive.writestr(f"{name}.csv", data)
        else:
            frames.write_csv(m, path)
        return
    elif fmt == "xlsx":
        if location == "-":
            raise CommandError("an Excel workbook cannot go to standard output")
        frames.write_excel(m, location)
        return
    else:
        raise CommandError(f"cannot write {fmt}; formats: {', '.join(FORMATS)}")
    if location == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        atomic.write_text(location, text)  # a failure leaves any file already there as it was


def _page_size(text: str) -> str | tuple[float, float]:
    """A paper name, or ``WIDTHxHEIGHT`` in millimetres as a pair."""
    if "x" in text.lower() and text[:1].isdigit():
        try:
            w, h = (float(v) for v in text.lower().removesuffix("mm").split("x"))
        except ValueError:
            raise CommandError(f"--page: {text!r} is not WIDTHxHEIGHT in mm (500x300)") from None
        return (w, h)
    return text


# ============================================================================ commands
def _cmd_convert(args: argparse.Namespace) -> int:
    source = _format_of(args.input, args.from_format, "from")
    target = _format_of(args.output, args.to_format, "to")
    if source not in (*_READABLE, "template"):
        raise CommandError(
            f"{args.input}: {source} cannot be read back into a map; readable formats: "
            f"{', '.join(_READABLE)}"
        )
    m = read_map(args.input, source, scale=args.scale, index=args.index)
    write_map(
        m,
        args.output,
        target,
        language=args.language,
        page=args.page,
        tiles=args.tiles,
        dpi=args.dpi,
    )
    if args.output != "-":
        print(f"wrote {args.output} ({target}): {m!r}", file=sys.stderr)
    return 0


def _cmd_notebook_html(args: argparse.Namespace) -> int:
    from . import nbhtml

    path = Path(args.notebook)
    if not path.is_file():
        raise CommandError(f"cannot read {path}: no such file")
    output = Path(args.output) if args.output else path.with_suffix(".html")
    nbhtml.notebook_to_html(path, output, execute_first=not args.no_execute, timeout=args.timeout)
    print(f"wrote {output}", file=sys.stderr)
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from . import notebook

    m = read_map(
        args.map, _format_of(args.map, args.from_format, "from"), scale=None, index=args.index
    )
    notebook.report(
        m,
        survey=args.survey,
        path=args.output,
        widget=not args.static,
        execute=args.execute,
        timeout=args.timeout,
    )
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    failed = 0
    for location in args.inputs:
        try:
            m = read_map(
                location,
                _format_of(location, args.from_format, "from"),
                scale=None,
                index=args.index,
            )
        except (JourneyError, CommandError) as exc:
            failed += 1
            print(f"{location}: invalid\n{exc}", file=sys.stderr)
        else:
            print(f"{location}: ok {m!r}")
    return 1 if failed else 0


def _cmd_templates(_args: argparse.Namespace) -> int:
    from . import templates

    for name, title in templates.list_templates().items():
        print(f"{name}\t{title}")
    return 0


def _show(value: object) -> str:
    # one line whatever the value: text is quoted and its newlines escaped
    import json

    return json.dumps(value, ensure_ascii=False, default=str)


def _diff_line(row: dict[str, object]) -> str:
    name = _show(row["name"])[1:-1] if row["name"] else ""
    what = f"{row['kind']} {row['id']!r}" + (f" ({name})" if name else "")
    change = row["change"]
    if change == "added":
        return f"+ {what}"
    if change == "removed":
        return f"- {what}"
    mark = ">" if change == "moved" else "~"
    return f"{mark} {what}: {row['field']} {_show(row['before'])} -> {_show(row['after'])}"


def _cmd_diff(args: argparse.Namespace) -> int:
    from . import versions

    old, new = (
        read_map(loc, _format_of(loc, args.from_format, "from"), scale=None, index=None)
        for loc in (args.old, args.new)
    )
    changes = versions.diff(old, new)
    print(versions.summarize(changes))
    for row in changes.to_dict("records"):
        print(_diff_line({str(k): v for k, v in row.items()}))
    return 1 if len(changes) else 0


def _cmd_merge_driver(args: argparse.Namespace) -> int:
    from . import atomic, versions
    from .model import document

    base, ours, theirs = (document.load(p) for p in (args.base, args.ours, args.theirs))
    result = versions.merge(base, ours, theirs)
    merged = result.map
    where = args.path or args.ours
    if result.conflicts:
        # kept in the file too, so the conflicts survive the terminal scrolling away
        listed = [vars(c) for c in result.conflicts]
        merged.set(metadata={**merged.metadata, "merge_conflicts": listed})
    atomic.write_text(args.ours, merged.to_json())
    if not result.conflicts:
        return 0
    print(f"{where}: {len(result.conflicts)} conflict(s); the file holds ours:", file=sys.stderr)
    for conflict in result.conflicts:
        print(f"  {conflict}", file=sys.stderr)
    return 1


# ============================================================================ parser
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Convert, export and report customer journey maps (journeywidgets).",
        epilog="Run '%(prog)s COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    convert = commands.add_parser(
        "convert",
        help="convert a map between JSON, Mermaid, SVG, HTML, notebook, CSV and Excel",
        description=(
            "Read a map and write it in another format. Formats come from the extensions: "
            ".json, .mmd/.mermaid, .svg, .html (interactive, offline, one file), .ipynb, "
            ".zip or a folder (CSV tables), .xlsx. INPUT may also be template:NAME "
            "(see the templates command). '-' is standard input/output."
        ),
    )
    convert.add_argument("input", metavar="INPUT")
    convert.add_argument("output", metavar="OUTPUT")
    convert.add_argument("--from", dest="from_format", choices=_READABLE, help="input format")
    convert.add_argument("--to", dest="to_format", choices=FORMATS, help="output format")
    convert.add_argument("--language", help="write names in this language where labelled (pl)")
    convert.add_argument(
        "--scale",
        nargs=2,
        type=float,
        metavar=("MIN", "MAX"),
        help="emotion scale of a map read from Mermaid (default -3 3)",
    )
    convert.add_argument("--index", type=int, help="which map of a notebook holding several")
    convert.add_argument(
        "--page",
        help="PDF/PNG page: slide, A4, A3 (PDF default), A2, A1, A0, letter, or WIDTHxHEIGHT "
        "in mm (500x300); PNG defaults to slide",
    )
    convert.add_argument(
        "--tiles", help="print the --page poster on sheets of this paper (--page A0 --tiles A3)"
    )
    convert.add_argument("--dpi", type=float, default=150, help="PNG resolution (default 150)")
    convert.set_defaults(run=_cmd_convert)

    nbhtml = commands.add_parser(
        "notebook-html",
        help="run a notebook and export it to one offline HTML file with working widgets",
        description=(
            "Execute NOTEBOOK with nbclient (saving widget state) and export it to one "
            "HTML file that shows its journey map widgets with no network: require.js, "
            "the widget manager and anywidget are inlined."
        ),
    )
    nbhtml.add_argument("notebook", metavar="NOTEBOOK")
    nbhtml.add_argument("-o", "--output", help="the HTML file (default: NOTEBOOK.html)")
    nbhtml.add_argument(
        "--no-execute",
        action="store_true",
        help="export as saved (widgets show from saved widget state or as pictures)",
    )
    nbhtml.add_argument("--timeout", type=int, default=300, help="seconds per cell (300)")
    nbhtml.set_defaults(run=_cmd_notebook_html)

    report = commands.add_parser(
        "report",
        help="generate a report notebook for a map",
        description="Write a notebook with the map, its touchpoints, emotion curve, quick wins "
        "and, with --survey, the survey summary.",
    )
    report.add_argument("map", metavar="MAP", help="the map (any readable format)")
    report.add_argument("-o", "--output", required=True, help="the .ipynb to write")
    report.add_argument("--survey", help="survey responses (CSV, long format)")
    report.add_argument("--execute", action="store_true", help="run the notebook (nbclient)")
    report.add_argument("--static", action="store_true", help="a picture instead of the widget")
    report.add_argument("--from", dest="from_format", choices=_READABLE, help="format of MAP")
    report.add_argument("--index", type=int, help="which map of a notebook holding several")
    report.add_argument("--timeout", type=int, default=300, help="seconds per cell (300)")
    report.set_defaults(run=_cmd_report)

    validate = commands.add_parser(
        "validate",
        help="check maps and list every problem",
        description="Read each map and report whether it is valid (exit status 1 if not).",
    )
    validate.add_argument("inputs", nargs="+", metavar="INPUT")
    validate.add_argument("--from", dest="from_format", choices=_READABLE, help="input format")
    validate.add_argument("--index", type=int, help="which map of a notebook holding several")
    validate.set_defaults(run=_cmd_validate)

    difference = commands.add_parser(
        "diff",
        help="print what changed between two versions of a map",
        description="Print a one-line summary, then one line per change: + added, - removed, "
        "> moved, ~ edited. Exit status 0 when the maps are the same, 1 when they differ.",
    )
    difference.add_argument("old", metavar="OLD")
    difference.add_argument("new", metavar="NEW")
    difference.add_argument("--from", dest="from_format", choices=_READABLE, help="format")
    difference.set_defaults(run=_cmd_diff)

    driver = commands.add_parser(
        "merge-driver",
        help="git merge driver for maps saved as JSON (see docs: versions)",
        description="Three-way merge of JSON maps for git: "
        "git config merge.journeywidgets.driver 'journeywidgets merge-driver %O %A %B %P' "
        "and '*.map.json merge=journeywidgets' in .gitattributes. Writes the merge to OURS; "
        "exit status 1 when there are conflicts (listed, and kept in the map's metadata).",
    )
    driver.add_argument("base", metavar="BASE", help="%%O: the common ancestor")
    driver.add_argument("ours", metavar="OURS", help="%%A: ours; the merge is written here")
    driver.add_argument("theirs", metavar="THEIRS", help="%%B: theirs")
    driver.add_argument("path", metavar="PATH", nargs="?", help="%%P: the file's name in messages")
    driver.set_defaults(run=_cmd_merge_driver)

    listing = commands.add_parser("templates", help="list the built-in example maps")
    listing.set_defaults(run=_cmd_templates)
    return parser


def _version() -> str:
    from . import __version__

    return __version__


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            status = int(args.run(args))
        except (CommandError, JourneyError) as exc:
            status = 1
            print(f"{PROG}: error: {exc}", file=sys.stderr)
        except (OSError, ValueError, ImportError) as exc:
            status = 1
            print(f"{PROG}: error: {type(exc).__name__}: {exc}", file=sys.stderr)
    for warning in caught:
        print(f"{PROG}: warning: {warning.message}", file=sys.stderr)
    return status


__all__ = ["build_parser", "main", "read_map", "write_map"]
