"""A map you can show a client, in real JupyterLab at 1280 px: Fit puts every touchpoint name
of a 24- and a 60-touchpoint map inside the widget; the persona panel's edits reach Python;
keyboard focus stays in the widget after Ctrl+Z removes the focused card, after N then Enter,
and after a click on the title, so the next Ctrl+Z (or Ctrl+Shift+Z) still reaches the map.
Screenshots of the widget in the light and dark themes are saved under tests/e2e/artifacts/.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable

from harness import UI, NotebookPage, wait_until
from playwright.sync_api import Locator, Page, expect
from widget_helpers import card, settled, shoot, widget

SETUP = """
import json
import journeywidgets as jw

m = jw.templates.energy_utility()
w = jw.JourneyWidget(m)
w
"""

WIDE = """
m60 = jw.templates.energy_utility()
stages = [s.id for s in m60.stages]
i = 0
while len(m60.touchpoints) < 60:
    stage = stages[i % len(stages)]
    m60.add_touchpoint(f"Extra step {i} of the journey", stage=stage, emotion=i % 3 - 1)
    i += 1
w60 = jw.JourneyWidget(m60)
w60
"""

PERSONA = """
p = m.persona
print("STATE " + json.dumps({
    "frustrations": list(p.frustrations),
    "cards": sorted(c.id for c in m.cards),
    "can_undo": w.can_undo,
}))
"""


def python_state(nb: NotebookPage, index: int) -> dict[str, object]:
    nb.run_cell(index)
    for line in nb.output_text(index).splitlines():
        if line.startswith("STATE "):
            result: dict[str, object] = json.loads(line[len("STATE ") :])
            return result
    raise AssertionError(f"no state printed: {nb.output_text(index)!r}; {nb.stderr()}")


def assert_names_fit(page: Page, root: Locator, count: int) -> None:
    """Every touchpoint name lies inside the widget's visible box."""
    root.scroll_into_view_if_needed()
    result = page.evaluate(
        """(root) => {
            const box = root.querySelector(".jw-scroller").getBoundingClientRect();
            const view = {left: Math.max(box.left, 0), right: Math.min(box.right, innerWidth)};
            const names = [...root.querySelectorAll(".jw-tp[data-id] .jw-tp-name")];
            const outside = names.filter((n) => {
                const r = n.getBoundingClientRect();
                return r.width === 0 || r.left < view.left - 0.5 || r.right > view.right + 0.5
                    || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5;
            }).map((n) => n.textContent);
            return {count: names.length, outside, size: getComputedStyle(names[0]).fontSize};
        }""",
        root.element_handle(),
    )
    assert result["count"] == count
    assert result["outside"] == [], f"names outside the widget: {result['outside']}"
    assert float(result["size"].rstrip("px")) >= 11  # readable, not shrunk


def focused_in(page: Page, root: Locator) -> str | None:
    """The data-id (or tag) of the focused element when it is inside ``root``, else None."""
    result: str | None = page.evaluate(
        """(root) => {
            const a = document.activeElement;
            if (!a || !root.contains(a)) return null;
            return a.dataset.id ?? a.className;
        }""",
        root.element_handle(),
    )
    return result


def set_theme(page: Page, name: str) -> None:
    """Pick a theme from JupyterLab's Settings menu and wait for it to apply."""
    page.locator(".lm-MenuBar-itemLabel", has_text="Settings").click()
    page.locator(".lm-Menu-itemLabel", has_text="Theme").first.hover()
    page.locator(".lm-Menu-itemLabel", has_text=name).first.click()
    light = "true" if "Light" in name else "false"
    wait_until(
        lambda: page.evaluate("document.body.dataset.jpThemeLight") == light,
        15,
        f"the {name} theme",
    )


def test_fit_persona_and_focus_in_jupyterlab(
    open_notebook: Callable[[str, Iterable[str], UI], NotebookPage], page: Page
) -> None:
    nb = open_notebook("present.ipynb", [SETUP, WIDE, PERSONA], "lab")
    nb.run_cell(0)
    root = widget(nb, 0)
    expect(card(root, "card_1")).to_be_visible()
    shoot(root, "widget-present-lab-light")

    # ---- Fit: the 24-touchpoint map, then back to the full view.
    fit = root.locator(".jw-toolbar").get_by_role("button", name="Fit")
    fit.click()
    expect(fit).to_have_attribute("aria-pressed", "true")
    assert_names_fit(page, root, 24)
    shoot(root, "widget-present-lab-fit-24")
    fit.click()
    expect(fit).to_have_attribute("aria-pressed", "false")

    # ---- the persona panel: a field edited in place is one edit of the Python persona.
    pains = root.locator('.jw-persona-field[data-field="frustrations"]')
    before = python_state(nb, 2)
    pains.dblclick()
    editor = root.locator(".jw-persona .jw-editor")
    expect(editor).to_be_focused()
    editor.fill("Estimated bills\nWaiting on the hotline")
    editor.press("Enter")
    settled(root)
    after = python_state(nb, 2)
    assert after["frustrations"] == ["Estimated bills", "Waiting on the hotline"]
    assert after["cards"] == before["cards"]

    # ---- N then Enter: focus lands on the new card (also once the kernel named it).
    card(root, "card_1").focus()
    page.keyboard.press("n")
    page.keyboard.type("Asks a neighbour")
    page.keyboard.press("Enter")
    settled(root)
    new = root.locator(".jw-card", has_text="Asks a neighbour")
    expect(new).to_be_focused()
    new_id = new.get_attribute("data-id")
    assert new_id is not None
    assert not new_id.startswith("~")  # the kernel's id, not the placeholder
    assert new_id in python_state(nb, 2)["cards"]  # type: ignore[operator]

    # ---- Ctrl+Z removes the focused card: focus goes to its neighbour, and the next
    # Ctrl+Z still reaches the widget (it undoes the persona edit).
    new.focus()
    page.keyboard.press("Control+z")
    expect(new).to_have_count(0)
    settled(root)
    wait_until(lambda: focused_in(page, root) is not None, 5, "focus to stay in the widget")
    page.keyboard.press("Control+z")
    settled(root)
    undone = python_state(nb, 2)
    assert new_id not in undone["cards"]  # type: ignore[operator]
    assert undone["frustrations"] == before["frustrations"]

    # ---- a click on the title keeps focus in the widget: Ctrl+Shift+Z redoes there.
    root.locator(".jw-title").click()
    assert focused_in(page, root) is not None
    page.keyboard.press("Control+Shift+z")
    settled(root)
    assert python_state(nb, 2)["frustrations"] == ["Estimated bills", "Waiting on the hotline"]

    # ---- Fit on a 60-touchpoint map.
    nb.run_cell(1)
    wide = widget(nb, 1)
    wide.locator(".jw-toolbar").get_by_role("button", name="Fit").click()
    assert_names_fit(page, wide, 60)
    shoot(wide, "widget-present-lab-fit-60")

    # ---- the dark theme, looked at in the saved screenshots.
    set_theme(page, "JupyterLab Dark")
    try:
        shoot(wide, "widget-present-lab-dark-fit-60")
        shoot(root, "widget-present-lab-dark")
    finally:
        set_theme(page, "JupyterLab Light")
