"""Files are written whole or not at all (issue #12): killed writers and failing writes.

A driver process builds a 20,000-card map once and then forks writers that it SIGKILLs at
random moments, or runs writers under a small file-size limit (``RLIMIT_FSIZE``, the way a
full disk fails a write part way).  After every fault the target must hold the old or the
new complete document.  Half the kills land anywhere in a save, half while its temporary
file is being written (the harness wraps ``atomic.replacing`` only to learn when that
begins).  The same driver run with a writer that writes in place must find a broken file:
that proves the faults land mid-write and that the check can fail.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

import journeywidgets as jw
from journeywidgets import atomic
from journeywidgets.errors import FileWriteError

pytestmark = pytest.mark.skipif(
    not hasattr(os, "fork"), reason="fault injection forks writers (POSIX only)"
)

DRIVER = textwrap.dedent(
    r'''
    import contextlib, json, os, random, resource, signal, sys, time
    from pathlib import Path

    import journeywidgets as jw
    from journeywidgets import cli, export, frames, notebook
    from journeywidgets.errors import FileWriteError

    mode, folder = sys.argv[1], Path(sys.argv[2])
    random.seed(int(sys.argv[3]))

    def big(title, cards=20_000, touchpoints=200):
        return jw.JourneyMap.from_dict({
            "id": "big", "title": title,
            "stages": [{"id": f"s{i}", "name": f"Stage {i}"} for i in range(10)],
            "touchpoints": [
                {"id": f"t{i}", "stage": f"s{i % 10}", "name": f"Touchpoint {i}",
                 "emotion": i % 7 - 3} for i in range(touchpoints)],
            "lanes": [{"id": "actions", "name": "Actions", "kind": "actions"}],
            "cards": [
                {"id": f"c{i}", "touchpoint": f"t{i % touchpoints}", "lane": "actions",
                 "text": f"{title}: card {i} " + "x" * 40} for i in range(cards)],
        })

    def leftovers():
        return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))

    def report(**row):
        print(json.dumps(row), flush=True)

    SIGNAL = [-1]  # in a writer: the pipe to say "a save begins" (.) / "writing begins" (w)

    def writing_begins():
        if SIGNAL[0] >= 0:  # only in a forked writer
            os.write(SIGNAL[0], b"w")

    # The harness (not the code under test) learns when the temporary file is being written:
    # atomic.replacing runs as it is and only says so once the temporary file exists.
    from journeywidgets import atomic
    _replacing = atomic.replacing

    @contextlib.contextmanager
    def signalled(path):
        with _replacing(path) as tmp:
            writing_begins()
            yield tmp

    atomic.replacing = signalled

    def killed(write, check, delay, *, in_writing=False):
        """Fork a child that writes in a loop; SIGKILL it ``delay`` s after its first save
        (or, ``in_writing``, the writing part of a save) begins; check the file."""
        ready, started = os.pipe()
        pid = os.fork()
        if pid == 0:  # the writer
            try:
                os.close(ready)
                SIGNAL[0] = started
                for k in range(1000):
                    os.write(started, b".")
                    write(k)
            finally:
                os._exit(0)
        os.close(started)
        while os.read(ready, 1) != (b"w" if in_writing else b"."):
            pass
        time.sleep(delay)
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(ready)
        stale = leftovers()
        for name in stale:  # a killed writer cannot clean up its temporary file
            (folder / name).unlink()
        try:
            found = check()
        except Exception as exc:
            found = f"BROKEN: {type(exc).__name__}: {exc}"[:300]
        return found, bool(stale)

    if mode in ("json", "naive"):
        target = folder / "map.json"
        old = big("old")
        old.save(target)
        versions = [big(f"new {k}") for k in range(2)]

        def write(k):
            m = versions[k % 2]
            if mode == "json":
                m.save(target)
            else:  # what a writer that works in place does: truncate, then stream
                writing_begins()
                with open(target, "w", encoding="utf-8") as handle:
                    json.dump(m.to_dict(), handle)

        def check():
            m = jw.loads(target.read_text(encoding="utf-8"))
            assert len(m.cards) == 20_000, len(m.cards)
            return m.title

        # A save first makes the JSON text, then writes and fsyncs it: half the kills land
        # anywhere in a save, half in its writing part, where a broken writer breaks files.
        text = versions[0].to_json()
        start = time.perf_counter()
        atomic.write_text(target, text)  # the writing part alone
        writing = time.perf_counter() - start
        start = time.perf_counter()
        versions[0].save(target)
        took = time.perf_counter() - start
        old.save(target)
        trials = mid = 0
        want = int(sys.argv[4])
        while trials < want or (mode == "json" and mid < 3 and trials < 60):
            in_writing = trials % 2 == 1
            delay = random.uniform(0, 0.8 * writing) if in_writing else random.uniform(0, took)
            found, stale = killed(write, check, delay, in_writing=in_writing)
            trials += 1
            mid += stale
            report(trial=trials, found=found, mid_write=stale)

    elif mode == "tables":
        # CSV tables and the HTML page, killed while being written
        old, new = big("old", cards=4_000), big("new", cards=4_000)
        csv_folder, page = folder / "tables", folder / "map.html"
        frames.write_csv(new, csv_folder)
        new_csv = {p.name: p.read_bytes() for p in csv_folder.iterdir()}
        frames.write_csv(old, csv_folder)
        old_csv = {p.name: p.read_bytes() for p in csv_folder.iterdir()}
        new_page, old_page = new.to_html(), old.to_html(page)

        def check_csv():
            for name, data in old_csv.items():
                now = (csv_folder / name).read_bytes()
                assert now in (data, new_csv[name]), f"{name} is neither version"
            for name in os.listdir(csv_folder):
                assert not name.endswith(".tmp"), f"{name} left behind"
            return jw.frames.read_csv(csv_folder).title

        def check_page():
            now = page.read_text(encoding="utf-8")
            assert now in (old_page, new_page), "the page is neither version"
            return "old" if now == old_page else "new"

        def leftovers():
            names = [p for p in folder.rglob("*.tmp")]
            return sorted(str(p.relative_to(folder)) for p in names)

        for trial in range(int(sys.argv[4])):
            found, stale = killed(
                lambda k: jw.frames.write_csv(new if k % 2 == 0 else old, csv_folder),
                check_csv, random.uniform(0.05, 1.5))
            report(trial=trial, what="csv", found=found, mid_write=stale)
            found, stale = killed(
                lambda k: (new if k % 2 == 0 else old).to_html(page),
                check_page, random.uniform(0.02, 0.5))
            report(trial=trial, what="html", found=found, mid_write=stale)

    elif mode == "full":
        # Every writer under a file-size limit: the write fails part way (EFBIG, as on a
        # full disk) and must leave the old file as it was.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get EFBIG instead of dying
        old, new = big("old", cards=2_000), big("new", cards=2_000)
        writers = {
            "map.json": lambda m, p: m.save(p),
            "map.html": lambda m, p: m.to_html(p),
            "map.svg": lambda m, p: export.write_svg(m, p),
            "map.xlsx": lambda m, p: frames.write_excel(m, p),
            "map.ipynb": lambda m, p: notebook.write_map(p, m, replace=False),
            "map.mmd": lambda m, p: cli.write_map(m, str(p), "mermaid", language=None),
            "tables.zip": lambda m, p: cli.write_map(m, str(p), "csv", language=None),
            "report.ipynb": lambda m, p: notebook.report(m, path=p),
            "tables/cards.csv": lambda m, p: frames.write_csv(m, p.parent),
        }
        soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
        for name, writer in writers.items():
            path = folder / name
            path.parent.mkdir(exist_ok=True)
            writer(old, path)
            before = path.read_bytes()
            limit = max(1, len(before) // 3)
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
            try:
                writer(new, path)
                error = None
            except FileWriteError as exc:
                error = str(exc)
            except Exception as exc:
                error = f"NOT A FileWriteError: {type(exc).__name__}: {exc}"
            finally:
                resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
            report(what=name, limit=limit, error=error,
                   unchanged=path.read_bytes() == before,
                   leftovers=sorted(p.name for p in path.parent.iterdir()
                                    if p.name.endswith(".tmp")))
    '''
)


def drive(tmp_path: Path, mode: str, seed: int, trials: int = 0) -> list[dict[str, Any]]:
    script = tmp_path / "driver.py"
    script.write_text(DRIVER, encoding="utf-8")
    folder = tmp_path / mode
    folder.mkdir()
    done = subprocess.run(
        [sys.executable, str(script), mode, str(folder), str(seed), str(trials)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_killed_saves_leave_the_old_or_the_new_complete_document(tmp_path: Path) -> None:
    rows = drive(tmp_path, "json", seed=12, trials=20)
    versions = {"old", "new 0", "new 1"}
    broken = [r for r in rows if r["found"] not in versions]
    assert broken == [], broken
    mid = sum(r["mid_write"] for r in rows)
    print(f"{len(rows)} SIGKILLs of m.save (20,000 cards), {mid} during the write, 0 lost")
    assert len(rows) >= 20
    assert mid >= 3  # kills that landed while the temporary file was being written


def test_the_kill_harness_catches_a_writer_that_writes_in_place(tmp_path: Path) -> None:
    # Guards the test above: the same kills break a truncate-and-stream writer.
    rows = drive(tmp_path, "naive", seed=7, trials=10)
    assert any(str(r["found"]).startswith("BROKEN") for r in rows), rows


def test_killed_csv_and_html_writes_leave_each_file_whole(tmp_path: Path) -> None:
    rows = drive(tmp_path, "tables", seed=3, trials=3)
    assert len(rows) == 6
    broken = [r for r in rows if r["found"] not in ("old", "new")]
    assert broken == [], broken


def test_a_write_failing_part_way_leaves_every_file_as_it_was(tmp_path: Path) -> None:
    rows = drive(tmp_path, "full", seed=0)
    assert len(rows) == 9
    for row in rows:
        assert row["error"] is not None, f"{row['what']}: the limited write did not fail"
        assert not row["error"].startswith("NOT A"), row
        assert Path(row["what"]).name in row["error"], row  # names the user's path
        assert row["unchanged"], f"{row['what']}: changed by a failed write"
        assert row["leftovers"] == [], row


# ------------------------------------------------------------------- where files go
@pytest.mark.parametrize(
    "write",
    [
        pytest.param(lambda m, p: m.save(p), id="save"),
        pytest.param(lambda m, p: m.to_html(p), id="to_html"),
        pytest.param(lambda m, p: jw.export.write_svg(m, p), id="write_svg"),
        pytest.param(lambda m, p: jw.frames.write_excel(m, p), id="write_excel"),
        pytest.param(lambda m, p: jw.notebook.write_map(p, m), id="notebook.write_map"),
        pytest.param(lambda m, p: atomic.write_text(p, "x"), id="atomic.write_text"),
    ],
)
def test_a_folder_or_a_missing_folder_is_a_clear_error(tmp_path: Path, write: Any) -> None:
    m = jw.JourneyMap("Demo")
    folder = tmp_path / "already_a_folder"
    folder.mkdir()
    (folder / "keep.txt").write_text("kept", encoding="utf-8")
    with pytest.raises(FileWriteError, match=r"already_a_folder.*it is a folder"):
        write(m, folder)
    assert (folder / "keep.txt").read_text(encoding="utf-8") == "kept"
    missing = tmp_path / "no_such_folder" / "map.out"
    with pytest.raises(FileWriteError, match=r"no_such_folder.*does not exist"):
        write(m, missing)
    assert not missing.parent.exists()


def test_csv_tables_need_their_folders_parent(tmp_path: Path) -> None:
    m = jw.JourneyMap("Demo")
    with pytest.raises(FileWriteError, match="does not exist"):
        jw.frames.write_csv(m, tmp_path / "missing" / "tables")
    (tmp_path / "a_file").write_text("x", encoding="utf-8")
    with pytest.raises(FileWriteError, match=r"a_file.*is a file, not a folder"):
        jw.frames.write_csv(m, tmp_path / "a_file")
    assert (tmp_path / "a_file").read_text(encoding="utf-8") == "x"
    paths = jw.frames.write_csv(m, tmp_path / "tables")  # the folder itself is created
    assert sorted(p.name for p in paths.values()) == sorted(f"{t}.csv" for t in jw.frames.TABLES)


def test_a_writer_failing_inside_replacing_keeps_the_old_file(tmp_path: Path) -> None:
    path = tmp_path / "keep.txt"
    path.write_text("old", encoding="utf-8")

    def fail_half_way() -> None:
        with atomic.replacing(path) as tmp:
            tmp.write_text("half", encoding="utf-8")
            raise RuntimeError("the writer failed")

    with pytest.raises(RuntimeError):
        fail_half_way()
    assert path.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt"]


def test_a_replaced_file_keeps_its_permissions(tmp_path: Path) -> None:
    path = tmp_path / "shared.json"
    path.write_text("{}", encoding="utf-8")
    path.chmod(0o640)
    jw.JourneyMap("Demo").save(path)
    assert path.stat().st_mode & 0o777 == 0o640


def test_a_new_file_gets_the_usual_mode(tmp_path: Path) -> None:
    umask = os.umask(0o022)  # the test's own, restored below
    try:
        jw.JourneyMap("Demo").save(tmp_path / "new.json")
        assert (tmp_path / "new.json").stat().st_mode & 0o777 == 0o644  # not mkstemp's 0600
    finally:
        os.umask(umask)
