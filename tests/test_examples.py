"""Every example notebook is committed clean and runs top to bottom in a real kernel.

Each notebook is copied into a temporary directory (files it saves land there, and the
committed notebook never gets outputs) and executed with nbclient in the ``python3`` kernel,
which jupyter_client starts with this interpreter, i.e. the project's virtualenv. HTTP proxies
point at a closed port so that a notebook that reaches for the network fails.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
NOTEBOOKS = sorted(EXAMPLES.glob("*.ipynb"))
DEAD_PROXY = "http://127.0.0.1:9"
CELL_TIMEOUT = 120  # seconds per cell; a cell that hangs fails instead of blocking the suite


def _ids(path: Path) -> str:
    return path.stem


def test_there_are_examples() -> None:
    names = {p.stem for p in NOTEBOOKS}
    assert {
        "quickstart",
        "energy_utility",
        "it_laptop",
        "employee_onboarding",
        "current_vs_future",
        "survey_evidence",
    } <= names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids)
def test_notebook_is_committed_without_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3"
    assert "widgets" not in nb.metadata, "saved widget state belongs to outputs"
    for n, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"cell {n} has outputs"
            assert cell.execution_count is None, f"cell {n} has an execution count"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code, "a notebook without code"
    assert nb.cells[0].cell_type == "markdown" or path.stem == "quickstart"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids)
def test_notebook_runs(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.setenv(name, DEAD_PROXY)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    # data files beside the notebooks come along, as they would in a clone
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    copy = tmp_path / "examples" / path.name
    nb = nbformat.read(copy, as_version=4)
    client = NotebookClient(
        nb,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(copy.parent)}},
    )
    client.execute()  # raises CellExecutionError naming the cell and its traceback
    for n, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        assert cell.execution_count is not None, f"cell {n} did not run"
        for output in cell.outputs:
            assert output.output_type != "error", f"cell {n}: {output.get('evalue')}"
            if output.output_type == "stream":
                assert output.name != "stderr" or not output.text.strip(), (
                    f"cell {n} wrote to stderr: {output.text[:500]}"
                )
