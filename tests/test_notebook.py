"""Maps in notebook files: cells that recreate them, reading them back, report notebooks."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

import journeywidgets as jw
from journeywidgets import notebook
from sharing_maps import payload_map, small_map


def run_cell_source(source: str) -> dict[str, object]:
    namespace: dict[str, object] = {}
    exec(compile(source, "<cell>", "exec"), namespace)
    return namespace


def execute(nb: nbformat.NotebookNode, cwd: Path) -> nbformat.NotebookNode:
    NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(cwd)}},
        store_widget_state=True,
    ).execute()
    return nb


def errors_in(nb: nbformat.NotebookNode) -> list[str]:
    return [
        f"{o.get('ename')}: {o.get('evalue')}"
        for cell in nb.cells
        for o in cell.get("outputs", [])
        if o.get("output_type") == "error"
    ]


# --------------------------------------------------------------------------- cells
@pytest.mark.parametrize("build", [small_map, payload_map, jw.templates.energy_utility])
def test_the_cell_recreates_the_map_exactly(build: object) -> None:
    assert callable(build)
    m: jw.JourneyMap = build()
    cell = notebook.map_cell(m, name="journey", widget=False)
    namespace = run_cell_source(cell.source)
    assert namespace["journey"] == m
    assert cell.metadata["journeywidgets"]["map"] == m.to_dict()
    assert cell.source.splitlines()[-1] == "journey"
    # Payloads cannot reach the code: the only statements are the ones we wrote.
    assert "__pwned" not in {k for k in namespace if not k.startswith("__")}


def test_cell_with_the_widget_and_bad_names() -> None:
    cell = notebook.map_cell(small_map())
    namespace = run_cell_source(cell.source)
    assert namespace["m"] == small_map()
    assert cell.source.endswith("\njw.JourneyWidget(m)")
    for bad in ("1m", "class", "a b", ""):
        with pytest.raises(ValueError, match="not a Python variable name"):
            notebook.map_cell(small_map(), name=bad)


def test_write_map_creates_replaces_and_appends(tmp_path: Path) -> None:
    path = tmp_path / "maps.ipynb"
    m = small_map()
    notebook.write_map(path, m)
    nb = nbformat.read(path, as_version=4)
    assert nb.metadata.kernelspec.name == "python3"
    assert len(nb.cells) == 1
    nbformat.validate(nb)

    m.add_card("Later note", touchpoint="invoice", lane="actions")
    notebook.write_map(path, m)  # same id: the cell is replaced
    assert [
        [c.text for c in x.cards_in(touchpoint="invoice", lane="actions")]
        for x in notebook.read_maps(path)
    ] == [["Later note"]]

    other = jw.JourneyMap("Other", id="other")
    notebook.write_map(path, other, index=0)
    notebook.write_map(path, m, replace=False)
    assert [x.id for x in notebook.read_maps(path)] == ["other", "energy_small", "energy_small"]
    found = notebook.find_maps(path)
    assert [(f.source, f.cell) for f in found] == [("cell", 0), ("cell", 1), ("cell", 2)]


def test_write_map_keeps_other_cells(tmp_path: Path) -> None:
    path = tmp_path / "analysis.ipynb"
    nb = notebook.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Analysis"), nbformat.v4.new_code_cell("1 + 1")]
    nbformat.write(nb, path)
    notebook.write_map(path, small_map(), index=1)
    cells = nbformat.read(path, as_version=4).cells
    assert [c.cell_type for c in cells] == ["markdown", "code", "code"]
    assert cells[2].source == "1 + 1"
    assert notebook.read_maps(path) == [small_map()]


# --------------------------------------------------------------------------- bad files
def test_a_file_that_is_not_a_notebook(tmp_path: Path) -> None:
    text = tmp_path / "notes.ipynb"
    text.write_text("not json at all", encoding="utf-8")
    with pytest.raises(jw.DocumentError, match=r"notes\.ipynb is not a Jupyter notebook"):
        notebook.read_maps(text)
    other = tmp_path / "other.ipynb"
    other.write_text(json.dumps({"title": "a map, not a notebook"}), encoding="utf-8")
    with pytest.raises(jw.DocumentError, match=r"other\.ipynb is not a Jupyter notebook"):
        notebook.read_maps(other)
    with pytest.raises(jw.DocumentError, match="no such file"):
        notebook.read_maps(tmp_path / "missing.ipynb")


def test_a_broken_map_names_the_cell_and_the_problem(tmp_path: Path) -> None:
    path = tmp_path / "broken.ipynb"
    nb = notebook.new_notebook()
    nb.cells.append(nbformat.v4.new_markdown_cell("intro"))
    cell = notebook.map_cell(small_map())
    cell.metadata["journeywidgets"]["map"]["cards"][0]["lane"] = "nowhere"
    nb.cells.append(cell)
    nbformat.write(nb, path)
    with pytest.raises(jw.DocumentError) as info:
        notebook.read_maps(path)
    message = str(info.value)
    assert message.startswith(f"cell 1 (id {cell.id!r}): invalid journey map")
    assert "'nowhere' is not a lane" in message
    assert info.value.problems[0].field == "lane"
    # Writing the map again replaces the broken cell of the same map id.
    notebook.write_map(path, small_map())
    assert notebook.read_maps(path) == [small_map()]


@pytest.mark.parametrize(
    ("metadata", "message"),
    [
        ({"journeywidgets": "a map"}, "must be an object with a 'map'"),
        ({"journeywidgets": {"other": 1}}, "must be an object with a 'map'"),
        ({"journeywidgets": {"map": [1, 2]}}, "is not a journey map document"),
        ({"journeywidgets": {"map": {"schema_version": 99}}}, "upgrade journeywidgets"),
    ],
)
def test_bad_metadata_names_the_cell(metadata: dict[str, object], message: str) -> None:
    nb = notebook.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell("x = 1", metadata=metadata))
    with pytest.raises(jw.DocumentError, match=rf"cell 0 \(id '[^']+'\).*{message}"):
        notebook.read_maps(nb)


def test_broken_widget_state_names_the_widget() -> None:
    nb = notebook.new_notebook()
    nb.metadata["widgets"] = {
        notebook.WIDGET_STATE: {
            "version_major": 2,
            "version_minor": 0,
            "state": {
                "abc123": {
                    "model_name": "AnyModel",
                    "model_module": "anywidget",
                    "state": {
                        "_anywidget_id": "journeywidgets.widget.JourneyWidget",
                        "_doc": {"title": 5},
                    },
                }
            },
        }
    }
    with pytest.raises(jw.DocumentError, match="widget 'abc123': invalid journey map"):
        notebook.read_maps(nb)
    assert notebook.read_maps(nb, source="cells") == []
    nb.metadata["widgets"] = {notebook.WIDGET_STATE: {"state": "nonsense"}}
    with pytest.raises(jw.DocumentError, match="not saved widget state"):
        notebook.read_maps(nb)


# --------------------------------------------------------------------------- executed
def test_read_maps_finds_the_edited_map_in_saved_widget_state(tmp_path: Path) -> None:
    nb = notebook.new_notebook()
    m = small_map()
    nb.cells.append(notebook.map_cell(m))  # shows the widget
    nb.cells.append(
        nbformat.v4.new_code_cell(
            'm.add_card("Added after the widget was shown", touchpoint="website", '
            'lane="emotions", id="c_late")\n'
            'm.move("c_wait", touchpoint="invoice", lane="actions")'
        )
    )
    nb.cells.append(nbformat.v4.new_code_cell("print('other output')"))
    execute(nb, tmp_path)
    assert errors_in(nb) == []
    path = tmp_path / "executed.ipynb"
    nbformat.write(nb, path)

    found = notebook.find_maps(path)
    assert [(f.source, f.cell) for f in found] == [("cell", 0), ("widget", 0)]
    from_cell, from_widget = found[0].map, found[1].map
    assert from_cell == m  # what the cell recreates
    assert "c_late" in from_widget  # what the widget showed last
    assert [c.id for c in from_widget.cards_in(touchpoint="invoice", lane="actions")] == ["c_wait"]
    assert notebook.read_maps(path, source="widgets") == [from_widget]


def test_report_executes_cleanly_and_reads_back(tmp_path: Path) -> None:
    m = jw.templates.energy_utility()
    path = tmp_path / "report" / "energy.ipynb"
    nb = notebook.report(m, path=path, execute=True)
    assert errors_in(nb) == []
    saved = nbformat.read(path, as_version=4)
    nbformat.validate(saved)
    assert saved.cells[0].source.startswith("# Journey report: Energy utility")
    kinds = [
        next(iter(o.get("data", {})), o.get("output_type"))
        for c in saved.cells
        for o in c.get("outputs", [])
    ]
    assert "application/vnd.jupyter.widget-view+json" in kinds
    assert "widgets" in saved.metadata
    maps = notebook.read_maps(path)
    assert maps == [m, m]  # the cell's copy and the widget's saved state


def test_report_escapes_markdown() -> None:
    nb = notebook.report(payload_map())
    intro = nb.cells[0].source
    assert "<script>" not in intro
    assert "&lt;script&gt;" in intro
    assert "<img" not in intro


def test_report_needs_a_path_for_a_dataframe_survey() -> None:
    import pandas as pd

    with pytest.raises(ValueError, match="give path="):
        notebook.report(small_map(), survey=pd.DataFrame({"touchpoint": [], "score": []}))


def test_cell_code_leaves_out_empty_defaults_but_keeps_required_fields() -> None:
    m = small_map()
    m.update("c_compare", text="")
    m.update("website", emotion=0)
    source = notebook.map_cell(m).source
    assert "'description': ''" not in source
    assert "'text': ''" in source
    assert "'emotion': 0.0" in source
    assert run_cell_source(source)["m"] == m


def test_map_cells_fold_their_code_unless_asked() -> None:
    assert notebook.map_cell(small_map()).metadata["jupyter"] == {"source_hidden": True}
    assert "jupyter" not in notebook.map_cell(small_map(), hide_code=False).metadata


def test_report_with_a_survey_executes_and_records_the_evidence(tmp_path: Path) -> None:
    import numpy as np
    import pandas as pd

    m = small_map()
    rng = np.random.default_rng(7)
    means = {"Website": 4.2, "Call centre": 2.1, "Invoice arrives": 3.0}
    responses = pd.DataFrame(
        [
            {"respondent": r, "step": name, "csat": int(np.clip(round(rng.normal(mu, 0.8)), 1, 5))}
            for r in range(60)
            for name, mu in means.items()
        ]
    )
    path = tmp_path / "with survey" / "report.ipynb"
    nb = notebook.report(
        m,
        survey=responses,
        path=path,
        survey_options={"touchpoint": "step", "score": "csat", "scale": (1, 5)},
        execute=True,
    )
    assert errors_in(nb) == []
    assert (path.parent / "report.survey.csv").is_file()
    sources = "\n".join(c.source for c in nb.cells)
    assert "pd.read_csv('report.survey.csv')" in sources
    assert "touchpoint='step', score='csat', scale=(1, 5)" in sources
    # The report recorded the survey on the map; the widget's saved state shows it.
    [from_widget] = notebook.read_maps(path, source="widgets")
    measured = {t.id: t.measured for t in from_widget.touchpoints}
    assert all(value is not None for value in measured.values())
    assert measured["website"].emotion > 0 > measured["call"].emotion  # type: ignore[union-attr]
    assert notebook.read_maps(path, source="cells") == [m]  # the hypothesis is unchanged


def test_report_refers_to_a_survey_file_from_its_own_folder(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "responses.csv").write_text("touchpoint,score\nWebsite,4\n", encoding="utf-8")
    nb = notebook.report(
        small_map(), survey=data / "responses.csv", path=tmp_path / "out" / "report.ipynb"
    )
    assert "pd.read_csv('../data/responses.csv')" in "\n".join(c.source for c in nb.cells)
    with pytest.raises(FileNotFoundError, match=r"survey: .* is not a file"):
        notebook.report(small_map(), survey=tmp_path / "missing.csv")
