import marimo

__generated_with = "0.25.2"
app = marimo.App(width="full", app_title="journeywidgets in marimo")


@app.cell
def _():
    import marimo as mo

    import journeywidgets as jw

    return jw, mo


@app.cell(hide_code=True)
def _(mo):
    mo.md(r"""
    # The energy utility's journey map in marimo

    Drag cards between cells, reorder touchpoints, drag the emotion curve's points, or
    double-click a name to rename it. Every gesture is one edit of the Python map `m`, and
    the table and chart below follow it.

    Run it with `marimo edit examples/marimo_app.py` or `marimo run examples/marimo_app.py`.
    """)
    return


@app.cell
def _(jw, mo):
    m = jw.templates.energy_utility()

    # The widget's edits reach `m` as messages, not as a new value of the UI element, so marimo
    # would not re-run the cells below by itself. This state changes with every change of the
    # map, from the widget or from Python, and the cells that read it run again.
    map_version, set_map_version = mo.state(m.version)
    m.observe(lambda change: set_map_version(change.version))

    widget = mo.ui.anywidget(jw.JourneyWidget(m, height=520))
    widget  # noqa: B018 (marimo shows the last expression of a cell)
    return m, map_version


@app.cell
def _(m, map_version, mo):
    map_version()  # read, so that this cell runs again after every change
    first = m.touchpoints[0]
    lines = [
        f"**Cards per lane at the first touchpoint, {first.name}** (map version {m.version})",
        "",
        "| Lane | Cards |",
        "|---|---:|",
        *(f"| {lane.name} | {len(m.cards_in(first.id, lane.id))} |" for lane in m.lanes),
    ]
    mo.md("\n".join(lines))
    return


@app.cell
def _(jw, m, map_version):
    map_version()
    jw.charts.emotion_curve(m)
    return


if __name__ == "__main__":
    app.run()
