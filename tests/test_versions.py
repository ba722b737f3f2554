"""Versions: diff, patch and three-way merge of maps, and their git tooling (CLI + driver)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import journeywidgets as jw
from journeywidgets import versions
from journeywidgets.cli import main
from journeywidgets.errors import DocumentError, JourneyError
from model_helpers import small_map


# ============================================================================ diff
def test_diff_of_equal_maps_is_empty() -> None:
    m = small_map()
    d = jw.diff(m, m.copy())
    assert d.empty
    assert d.summary() == "no changes"
    assert list(d.columns) == versions.COLUMNS


def test_diff_names_each_kind_of_change() -> None:
    old = small_map()
    new = old.copy()
    new.add_card("New note", touchpoint="ad", lane="emotions", id="note")
    new.remove("card_1")
    new.move("card_2", touchpoint="invoice", lane="actions", index=0)
    new.update("card_3", text="Very confused")
    new.set_emotion("web", -3)
    new.title = "Buying power"
    d = jw.diff(old, new)
    got = {(r.change, r.kind, r.id, r.field) for r in d.itertuples()}
    assert got == {
        ("added", "card", "note", None),
        ("removed", "card", "card_1", None),
        ("moved", "card", "card_2", "touchpoint"),
        ("edited", "card", "card_3", "text"),
        ("emotion changed", "touchpoint", "web", "emotion"),
        ("edited", "map", "journey", "title"),
    }
    assert d.summary() == "1 added, 1 removed, 1 moved, 2 edited, 1 emotion changed"
    assert d.attrs["summary"] == d.summary()
    row = d[d.field == "emotion"].iloc[0]
    assert (row.before, row.after, row["name"]) == (-1.0, -3.0, "Website")
    moved = d[d.change == "moved"].iloc[0]
    assert (moved.before, moved.after, moved.position) == ("web", "invoice", 0)
    assert versions.patch(old, d) == new


def test_a_notebook_shows_the_summary_above_the_table_and_user_text_as_text() -> None:
    new = BASE.copy()
    new.update("card_1", text="<script>alert(1)</script>")
    html = jw.diff(BASE, new)._repr_html_()
    assert html.startswith("<p><strong>1 edited</strong></p>")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_removing_one_card_moves_no_other_card() -> None:
    old = small_map()
    old.add_card("Second", touchpoint="web", lane="actions", id="second")
    old.add_card("Third", touchpoint="web", lane="actions", id="third")
    new = old.copy()
    new.remove("card_2")
    new.move("third", index=0)
    d = jw.diff(old, new)
    assert sorted(zip(d.change, d.id, d.field, strict=True), key=str) == [
        ("moved", "third", "position"),
        ("removed", "card_2", None),
    ]
    assert versions.patch(old, d) == new


def test_diff_reads_saved_files_and_leaves_maps_alone(tmp_path: Path) -> None:
    old, new = small_map(), small_map()
    new.set_emotion("ad", 3)
    before = old.to_dict()
    d = jw.diff(old.save(tmp_path / "a.json"), str(new.save(tmp_path / "b.json")))
    assert d.summary() == "1 emotion changed"
    assert old.to_dict() == before
    assert old.diff(new).equals(d)


def test_diff_refuses_what_is_not_a_map() -> None:
    with pytest.raises(TypeError, match="expected a JourneyMap"):
        jw.diff(small_map(), 42)
    with pytest.raises(DocumentError):
        jw.diff(small_map(), {"stages": "no"})


def test_patch_that_does_not_fit_says_so_and_changes_nothing() -> None:
    old = small_map()
    new = old.copy()
    new.remove("card_1")
    d = jw.diff(old, new)
    other = new.copy()
    before = other.to_dict()
    with pytest.raises(JourneyError, match="card_1"):
        versions.patch(other, d)
    assert other.to_dict() == before


# ============================================================================ random edits
@st.composite
def edited(draw: st.DrawFn, base: jw.JourneyMap, tag: str) -> jw.JourneyMap:
    """``base`` after a few random valid edits (invalid ones are skipped, as the map refuses
    them whole)."""
    m = base.copy()
    for n in range(draw(st.integers(0, 6))):
        tps, lanes, stages = [t.id for t in m.touchpoints], [x.id for x in m.lanes], m.stages
        cards = [c.id for c in m.cards]
        op = draw(
            st.sampled_from(
                [
                    "add_card",
                    "move_card",
                    "edit_card",
                    "remove_card",
                    "emotion",
                    "add_tp",
                    "move_tp",
                    "remove_tp",
                    "move_stage",
                    "title",
                    "remove_stage",
                    "add_stage",
                    "add_lane",
                    "move_lane",
                    "remove_lane",
                    "persona",
                    "rename_stage",
                ]
            )
        )
        pick = lambda xs: draw(st.sampled_from(xs))  # noqa: E731
        try:
            if op == "add_card" and tps and lanes:
                m.add_card(
                    f"{tag} {n}",
                    touchpoint=pick(tps),
                    lane=pick(lanes),
                    id=draw(st.sampled_from([f"{tag}{n}", "shared", None])),
                    index=draw(st.integers(0, 1)),
                )
            elif op == "move_card" and cards and tps:
                m.move(
                    pick(cards),
                    touchpoint=pick(tps),
                    lane=pick(lanes),
                    index=draw(st.integers(0, 2)),
                )
            elif op == "edit_card" and cards:
                m.update(pick(cards), text=draw(st.sampled_from(["x", "y", tag])))
            elif op == "remove_card" and cards:
                m.remove(pick(cards))
            elif op == "emotion" and tps:
                m.set_emotion(pick(tps), draw(st.sampled_from([None, -3, 0, 2])))
            elif op == "add_tp" and stages:
                m.add_touchpoint(
                    f"{tag} tp {n}",
                    id=f"{tag}tp{n}",
                    stage=pick([s.id for s in stages]),
                    index=draw(st.integers(0, 2)),
                )
            elif op == "move_tp" and tps:
                m.move(pick(tps), stage=pick([s.id for s in stages]), index=draw(st.integers(0, 2)))
            elif op == "remove_tp" and tps:
                m.remove(pick(tps), cascade=True)
            elif op == "move_stage" and stages:
                m.move(pick([s.id for s in stages]), index=draw(st.integers(0, len(stages) - 1)))
            elif op == "title":
                m.title = draw(st.sampled_from(["A", "B"]))
            elif op == "remove_stage" and stages:
                m.remove(pick([s.id for s in stages]), cascade=True)
            elif op == "add_lane":
                m.add_lane(f"{tag} lane {n}", id=f"{tag}l{n}", index=draw(st.integers(0, 2)))
            elif op == "move_lane" and lanes:
                m.move(pick(lanes), index=draw(st.integers(0, len(lanes) - 1)))
            elif op == "remove_lane" and lanes:
                m.remove(pick(lanes), cascade=True)
            elif op == "persona":
                pid = pick(["anna", "bela"])
                if pid in m:
                    m.update(pid, role=draw(st.sampled_from(["Tenant", tag])))
                    m.set(persona=pid)
            elif op == "rename_stage" and stages:
                m.update(pick([s.id for s in stages]), name=draw(st.sampled_from(["X", tag])))
            elif op == "add_stage":
                m.add_stage(f"{tag} stage {n}", id=f"{tag}s{n}", index=draw(st.integers(0, 1)))
        except (JourneyError, KeyError):
            pass
    return m


BASE = small_map()
_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(st.data())
def test_patching_the_diff_reproduces_the_new_map(data: st.DataObject) -> None:
    old = data.draw(edited(BASE, "a"))
    new = data.draw(edited(old, "b"))
    assert versions.patch(old, jw.diff(old, new)) == new


@_SETTINGS
@given(st.data())
def test_merge_with_an_unchanged_side_is_the_other_side(data: st.DataObject) -> None:
    a = data.draw(edited(BASE, "a"))
    for result in (jw.merge(BASE, a, BASE), jw.merge(BASE, BASE, a)):
        assert result.clean
        assert result.map == a


def _key(c: versions.Conflict) -> tuple[str, str, str]:
    return (c.kind, c.id, c.field)


@_SETTINGS
@given(st.data())
def test_merge_is_symmetric_up_to_conflicts(data: st.DataObject) -> None:
    a, b = data.draw(edited(BASE, "a")), data.draw(edited(BASE, "b"))
    ab, ba = jw.merge(BASE, a, b), jw.merge(BASE, b, a)
    assert sorted(map(_key, ab.conflicts)) == sorted(map(_key, ba.conflicts))
    for c in ab.conflicts:
        mirror = next(x for x in ba.conflicts if _key(x) == _key(c))
        assert (mirror.ours, mirror.theirs) == (c.theirs, c.ours)
    if ab.clean:
        assert ab.map == ba.map


@_SETTINGS
@given(st.data())
def test_merge_never_drops_a_change(data: st.DataObject) -> None:
    a, b = data.draw(edited(BASE, "a")), data.draw(edited(BASE, "b"))
    result = jw.merge(BASE, a, b)
    merged = versions._snapshot(result.map)
    flagged = {(c.id, c.field) for c in result.conflicts} | {
        (c.id, "removed") for c in result.conflicts
    }
    for side in (a, b):
        for r in jw.diff(BASE, side).itertuples():
            if r.kind == "map" or r.field == "position":
                continue  # the map's own fields: checked below; order: see the unit tests
            if r.change == "removed":
                assert r.id not in merged.entities or (r.id, "removed") in flagged, r
            elif r.change == "added":
                got = merged.entities.get(r.id)
                same = [e for e in merged.entities.values() if {**e, "id": r.id} == r.after]
                assert got == r.after or same or any(c.id == r.id for c in result.conflicts), r
            else:
                got = merged.entities[r.id][r.field] if r.id in merged.entities else None
                assert (
                    got == r.after or (r.id, r.field) in flagged or (r.id, "removed") in flagged
                ), r
        assert result.map.title in {side.title for side in (a, b)}


# ============================================================================ merge
def test_merge_combines_changes_to_different_fields_and_entities() -> None:
    ours, theirs = BASE.copy(), BASE.copy()
    ours.move("card_1", touchpoint="web", lane="actions", index=0)
    ours.add_card("Ours", touchpoint="ad", lane="emotions", id="ours")
    theirs.update("card_1", text="Sees the TV advert")
    theirs.set_emotion("invoice", -3)
    theirs.remove("card_5")
    result = jw.merge(BASE, ours, theirs)
    assert result.clean, result.conflicts
    m = result.map
    assert (m["card_1"].touchpoint, m["card_1"].text) == ("web", "Sees the TV advert")
    assert m.position("card_1") == 0
    assert "ours" in m
    assert "card_5" not in m
    assert m["invoice"].emotion == -3
    assert "clean" in repr(result)


def test_merge_lists_conflicts_and_keeps_ours() -> None:
    ours, theirs = BASE.copy(), BASE.copy()
    ours.update("card_1", text="Ours")
    theirs.update("card_1", text="Theirs")
    ours.title, theirs.title = "Ours", "Theirs"
    result = jw.merge(BASE, ours, theirs)
    assert not result.clean
    assert [(c.kind, c.id, c.field, c.ours, c.theirs) for c in result.conflicts] == [
        ("map", "journey", "title", "Ours", "Theirs"),
        ("card", "card_1", "text", "Ours", "Theirs"),
    ]
    assert result.map["card_1"].text == "Ours"
    table = result.to_dataframe()
    assert list(table.columns) == ["kind", "id", "field", "base", "ours", "theirs"]
    assert table.loc[1, "base"] == "Sees the advert"


@pytest.mark.parametrize("narrowed", ["ours", "theirs"])
def test_an_emotion_beyond_a_scale_the_other_side_narrowed_is_a_conflict(narrowed: str) -> None:
    base = jw.templates.it_laptop()
    narrow, wide = base.copy(), base.copy()
    narrow.set(scale=(-2, 2))
    wide.set_emotion("needs_new_laptop", 3)
    wide.update("budget_approval", measured={"emotion": 2.6, "n": 40})
    ours, theirs = (narrow, wide) if narrowed == "ours" else (wide, narrow)
    result = jw.merge(base, ours, theirs)
    assert (result.map.scale.min, result.map.scale.max) == (-2, 2)
    assert result.map["needs_new_laptop"].emotion == -1  # the narrowing side's, which fits
    assert result.map["budget_approval"].measured is None
    found = {(c.id, c.field): (c.ours, c.theirs) for c in result.conflicts}
    emotions = (-1.0, 3.0) if narrowed == "ours" else (3.0, -1.0)
    assert found[("needs_new_laptop", "emotion")] == emotions
    assert ("budget_approval", "measured") in found
    assert len(result.conflicts) == 2  # nothing else is touched
    others = [t.id for t in base.touchpoints if t.id not in ("needs_new_laptop", "budget_approval")]
    assert [result.map[i].emotion for i in others] == [base[i].emotion for i in others]


def test_removed_on_one_side_and_used_on_the_other_is_kept_and_flagged() -> None:
    ours, theirs = BASE.copy(), BASE.copy()
    ours.remove("invoice", cascade=True)
    theirs.add_card("Pays late", touchpoint="invoice", lane="actions", id="late")
    theirs.update("card_5", text="Furious")
    result = jw.merge(BASE, ours, theirs)
    assert "late" in result.map
    assert "invoice" in result.map
    assert result.map["card_5"].text == "Furious"
    flagged = {(c.id, c.field) for c in result.conflicts}
    assert {("invoice", "removed"), ("card_5", "removed")} <= flagged
    # untouched content of the removed touchpoint goes as ours said
    assert "card_4" not in result.map


def test_two_cards_added_under_one_generated_id_are_both_kept() -> None:
    ours, theirs = BASE.copy(), BASE.copy()
    assert ours.add_card("Anna's", touchpoint="ad", lane="actions").id == "card_6"
    assert theirs.add_card("Béla's", touchpoint="web", lane="emotions").id == "card_6"
    for result in (jw.merge(BASE, ours, theirs), jw.merge(BASE, theirs, ours)):
        assert result.clean
        texts = {c.id: c.text for c in result.map.cards if c.id.startswith("card_")}
        assert texts["card_6"] == "Anna's"  # the same one keeps the id whichever side is ours
        assert texts["card_7"] == "Béla's"
    # a named id added on both sides is one entity, merged field by field
    ours.add_stage("Leave", description="Ours")
    theirs.add_stage("Leave", description="Theirs")
    (conflict,) = jw.merge(BASE, ours, theirs).conflicts
    assert (conflict.id, conflict.field) == ("leave", "description")


def test_both_sides_moving_one_card_to_different_places_is_a_conflict() -> None:
    base = BASE.copy()
    for n in range(3):
        base.add_card(f"n{n}", touchpoint="web", lane="actions", id=f"n{n}")
    ours, theirs = base.copy(), base.copy()
    ours.move("n2", index=0)
    theirs.move("n2", index=1)
    result = jw.merge(base, ours, theirs)
    assert [(c.id, c.field) for c in result.conflicts] == [("n2", "order")]
    assert next(c.id for c in result.map.cards_in("web", "actions")) == "n2"


# ============================================================================ command line
def test_cli_diff_prints_a_readable_diff(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new = BASE.copy()
    new.set_emotion("web", -3)
    new.add_card("<b>Bold</b> =SUM(A1)", touchpoint="ad", lane="emotions", id="note")
    a, b = BASE.save(tmp_path / "a.json"), new.save(tmp_path / "b.json")
    assert main(["diff", str(a), str(b)]) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "1 added, 1 emotion changed"
    assert "~ touchpoint 'web' (Website): emotion -1.0 -> -3.0" in out
    assert "+ card 'note' (<b>Bold</b> =SUM(A1))" in out
    assert main(["diff", str(a), str(a)]) == 0
    assert capsys.readouterr().out.strip() == "no changes"


def _git(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    return subprocess.run(
        ["git", *args], cwd=cwd, env=env, check=check, capture_output=True, text=True
    )


def test_git_merges_two_branches_with_the_driver(tmp_path: Path) -> None:
    repo = tmp_path / "maps"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    driver = f"{sys.executable} -m journeywidgets merge-driver %O %A %B"
    _git(repo, "config", "merge.journeywidgets.driver", driver)
    (repo / ".gitattributes").write_text("*.map.json merge=journeywidgets\n")
    BASE.save(repo / "energy.map.json")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "base")
    _git(repo, "checkout", "-qb", "anna")
    ours = BASE.copy()
    ours.set_emotion("invoice", -3)
    ours.save(repo / "energy.map.json")
    _git(repo, "commit", "-qam", "anna")
    _git(repo, "checkout", "-q", "main")
    theirs = BASE.copy()
    theirs.move("card_1", touchpoint="web", lane="emotions")
    theirs.save(repo / "energy.map.json")
    _git(repo, "commit", "-qam", "bela")
    # both edited nearby lines of one JSON file: git's own text merge conflicts here
    done = _git(repo, "merge", "-q", "anna", "-m", "merge")
    merged = jw.load(repo / "energy.map.json")
    assert merged["invoice"].emotion == -3
    assert merged["card_1"].touchpoint == "web"
    assert "<<<<<<<" not in (repo / "energy.map.json").read_text()
    assert done.returncode == 0

    # a real conflict: the merge stops, the file is a valid map holding ours, conflicts listed
    _git(repo, "checkout", "-qb", "cyril")
    m = jw.load(repo / "energy.map.json")
    m.update("card_2", text="Cyril's")
    m.save(repo / "energy.map.json")
    _git(repo, "commit", "-qam", "cyril")
    _git(repo, "checkout", "-q", "main")
    m = jw.load(repo / "energy.map.json")
    m.update("card_2", text="Dana's")
    m.save(repo / "energy.map.json")
    _git(repo, "commit", "-qam", "dana")
    stopped = _git(repo, "merge", "cyril", "-m", "merge", check=False)
    assert stopped.returncode != 0
    assert "card 'card_2', field 'text'" in stopped.stdout + stopped.stderr
    assert "energy.map.json" in _git(repo, "diff", "--name-only", "--diff-filter=U").stdout
    left = json.loads((repo / "energy.map.json").read_text())
    assert jw.JourneyMap.from_dict(left)["card_2"].text == "Dana's"
    assert left["metadata"]["merge_conflicts"][0]["theirs"] == "Cyril's"


def test_merge_driver_refuses_a_broken_map_and_leaves_ours(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = BASE.save(tmp_path / "base.json")
    ours = BASE.save(tmp_path / "ours.json")
    (tmp_path / "theirs.json").write_text("{not json")
    before = ours.read_bytes()
    assert main(["merge-driver", str(base), str(ours), str(tmp_path / "theirs.json")]) == 1
    assert "theirs.json" in capsys.readouterr().err
    assert ours.read_bytes() == before


def test_lazy_public_names() -> None:
    assert jw.diff is versions.diff
    assert jw.merge is versions.merge
    assert isinstance(jw.merge(BASE, BASE, BASE), versions.MergeResult)


def test_docstring_examples_run() -> None:
    import doctest

    result = doctest.testmod(versions, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 10
    assert result.failed == 0


def test_a_snapshot_is_a_base_for_many_diffs_and_does_not_follow_the_map() -> None:
    m = jw.templates.energy_utility()
    base = jw.versions.snapshot(m)
    first = m.touchpoints[0].id
    m.set_emotion(first, 3)
    once = jw.diff(base, m)
    assert jw.diff(base, m).equals(once)  # diffing does not consume the base
    card = m.cards[0].id
    m.remove(card)
    again = jw.diff(base, m)
    assert sorted(zip(again["change"], again["id"], strict=True)) == sorted(
        [("emotion changed", first), ("removed", card)]
    )
    assert jw.diff(base, jw.templates.energy_utility()).empty
