"""How the journey widget performs on big maps, in Debian's Chromium.

Prints figures; asserts nothing. Run with ``.venv/bin/python benchmarks/widget_bench.py``
(``--no-server`` skips the part that needs a Jupyter server; ``--sizes 2000`` picks sizes).

Targets (issue #3): 2,000 cards render <= 150 ms and drag p95 <= 16 ms; 20,000 cards render
<= 1.5 s and drag p95 <= 33 ms; <= 2 KB sent per card move at both sizes.

What is measured
----------------
- first render: the built bundle (src/journeywidgets/static/widget.js) loaded in a page and
  rendered against an in-page model (no kernel): ``initialize`` + ``render`` + the browser's
  style and layout (forced by reading the size), then to the next painted frame.
- drag frames: Playwright's mouse drags a card across the map in small steps while Chromium
  records a performance trace. A frame's time is the main-thread task that produced it (the
  pointer events, the widget's animation-frame work, style, layout and pre-paint), taken from
  the trace, so it is the work done, not the wait for the next 60 Hz vsync. The intervals
  between animation frames (what the eye sees; 16.7 ms when no frame is dropped) are given
  too.
- bytes per move: the edit message the page sent (measured in the page), and the kernel's
  answer, from the real JourneyWidget handling that message in this process (through a comm
  that records what it would put on the wire).
- drop to model: a real JupyterLab in Chromium; the time from the mouse release to the
  kernel's ack arriving in the browser (the ack is sent right after the model applied the
  edit, so this is the round trip through the Jupyter server: drop -> model -> browser).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import json
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "src" / "journeywidgets" / "static"
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

from harness import (  # noqa: E402  (the e2e harness: Chromium flags, Jupyter server)
    CHROMIUM_ARGS,
    CHROMIUM_PATH,
    JupyterServer,
    NotebookPage,
    chromium_missing,
    open_notebook_file,
)
from playwright.sync_api import Page, sync_playwright  # noqa: E402
from playwright.sync_api import TimeoutError as PlaywrightTimeout  # noqa: E402

import journeywidgets as jw  # noqa: E402
from journeywidgets.theme import widget_theme  # noqa: E402

STAGES = 6
TOUCHPOINTS = 60  # a 7-metre paper map
LANES = ["actions", "thoughts", "emotions", "expectations", "pain_points", "opportunities",
         "channels", "backstage"]  # fmt: skip
WORDS = ["customer", "compares", "tariffs", "invoice", "reads", "calls", "hotline", "waits",
         "technician", "visit", "office", "smell", "app", "login", "password", "reset", "meter",
         "reading", "payment", "reminder", "contract", "cancels", "moves", "house"]  # fmt: skip

#: The page the widget is rendered in (the bundle and an in-page model; no kernel).
PAGE = (Path(__file__).parent / "widget_bench.html").read_text(encoding="utf-8")


def words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize()


def build_map(n_cards: int, seed: int = 7) -> jw.JourneyMap:
    """A 6-stage, 60-touchpoint, 8-lane map with ``n_cards`` cards of realistic length."""
    rng = random.Random(seed)
    doc: dict[str, Any] = {
        "title": f"Benchmark map, {n_cards:,} cards",
        "stages": [{"id": f"s{i}", "name": words(rng, 3)} for i in range(STAGES)],
        "touchpoints": [
            {
                "id": f"t{i}",
                "stage": f"s{i * STAGES // TOUCHPOINTS}",
                "name": words(rng, rng.randint(1, 4)),
                "channel": rng.choice(["web", "phone", "letter", "app", "shop"]),
                "emotion": rng.randint(-3, 3),
                "moment_of_truth": rng.random() < 0.1,
            }
            for i in range(TOUCHPOINTS)
        ],
        "lanes": [{"id": k, "name": k.replace("_", " ").title(), "kind": k} for k in LANES],
        "cards": [],
    }
    cells: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for i in range(n_cards):
        key = (f"t{rng.randrange(TOUCHPOINTS)}", rng.choice(LANES))
        cells.setdefault(key, []).append(
            {
                "id": f"c{i}",
                "touchpoint": key[0],
                "lane": key[1],
                "text": words(rng, rng.randint(2, 9)),
            }
        )
    # The document lists cards in map order (touchpoint, then lane).
    for t in range(TOUCHPOINTS):
        for lane in LANES:
            doc["cards"].extend(cells.get((f"t{t}", lane), []))
    return jw.JourneyMap.from_dict(doc)


def frame_times(trace: bytes) -> list[float]:
    """Durations (ms) of the renderer main-thread tasks that produced a frame."""
    data = json.loads(trace)
    events = data["traceEvents"] if isinstance(data, dict) else data
    mains = {
        (e["pid"], e["tid"])
        for e in events
        if e.get("ph") == "M" and e.get("args", {}).get("name") == "CrRendererMain"
    }
    tasks: dict[tuple[int, int], list[tuple[float, float]]] = {}
    paints: dict[tuple[int, int], list[float]] = {}
    for e in events:
        key = (e.get("pid"), e.get("tid"))
        if key not in mains or e.get("ph") != "X":
            continue
        if e["name"] == "ThreadControllerImpl::RunTask":
            tasks.setdefault(key, []).append((e["ts"], e["ts"] + e.get("dur", 0)))
        elif e["name"] == "LocalFrameView::RunPrePaintLifecyclePhase":
            paints.setdefault(key, []).append(e["ts"])
    if not paints:
        return []
    key = max(paints, key=lambda k: len(paints[k]))
    frames = []
    for start, end in tasks.get(key, []):
        if any(start <= p <= end for p in paints[key]):
            frames.append((end - start) / 1000)
    return frames


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def serve(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@contextlib.contextmanager
def bench_site(prefix: str) -> Iterator[str]:
    """Serve the bench page with the built bundle from a temporary folder; yields its URL."""
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        site = Path(tmp)
        shutil.copy(STATIC / "widget.js", site / "widget.js")
        shutil.copy(STATIC / "widget.css", site / "widget.css")
        (site / "index.html").write_text(PAGE, encoding="utf-8")
        server, base = serve(site)
        try:
            yield base
        finally:
            server.shutdown()


def launch_chromium(pw: Any) -> Any:
    """Debian's headless Chromium with the e2e harness's flags."""
    return pw.chromium.launch(executable_path=str(CHROMIUM_PATH), headless=True, args=CHROMIUM_ARGS)


def pick_cards(page: Page) -> tuple[str, dict[str, float], dict[str, float]]:
    """A visible card near the top-left and a far cell to drag it to."""
    return page.evaluate(
        """() => {
          const scroller = document.querySelector('.jw-scroller').getBoundingClientRect();
          const cards = [...document.querySelectorAll('.jw-card')];
          const card = cards.find(c => {
            const r = c.getBoundingClientRect();
            return r.top > scroller.top + 110 && r.bottom < scroller.bottom
              && r.left > scroller.left + 160;
          });
          const r = card.getBoundingClientRect();
          return [card.dataset.id, {x: r.left + 20, y: r.top + r.height / 2},
                  {x: scroller.right - 60, y: scroller.bottom - 80}];
        }"""
    )


def wide_map(touchpoints: int, seed: int = 11) -> jw.JourneyMap:
    """A journey of ``touchpoints`` touchpoints in 10-touchpoint stages, one card each."""
    rng = random.Random(seed)
    stages = max(1, touchpoints // 10)
    doc: dict[str, Any] = {
        "title": f"Wide journey, {touchpoints:,} touchpoints",
        "stages": [{"id": f"s{i}", "name": words(rng, 2)} for i in range(stages)],
        "touchpoints": [
            {
                "id": f"t{i}",
                "stage": f"s{min(stages - 1, i // 10)}",
                "name": words(rng, rng.randint(1, 3)),
                "emotion": rng.randint(-3, 3),
            }
            for i in range(touchpoints)
        ],
        "lanes": [{"id": "actions", "name": "Actions", "kind": "actions"}],
        "cards": [
            {"id": f"c{i}", "touchpoint": f"t{i}", "lane": "actions", "text": words(rng, 4)}
            for i in range(touchpoints)
        ],
    }
    return jw.JourneyMap.from_dict(doc)


MERMAID_JS = ROOT / "js" / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"


def widget_and_mermaid(
    page: Page, base: str, m: jw.JourneyMap, mermaid: bool = True
) -> dict[str, float]:
    """Best of 3: the widget's render to the painted frame, and (if ``mermaid``) Mermaid's
    journey diagram of the same map (``mermaid.render`` + inserting its SVG + layout), in one
    page."""
    page.goto(f"{base}/index.html")
    page.wait_for_function("window.ready === true")
    doc, theme = m.to_dict(), widget_theme()
    widget = min(
        page.evaluate("([d, t]) => bench.render(d, t)", [doc, theme])["painted"] for _ in range(3)
    )
    out = {"widget": widget, "mermaid": float("nan")}
    if mermaid and MERMAID_JS.is_file():
        page.evaluate("() => document.getElementById('app').replaceChildren()")
        page.add_script_tag(path=str(MERMAID_JS))
        text = jw.to_mermaid(m)
        times = page.evaluate(
            """async (text) => {
              mermaid.initialize({ startOnLoad: false, maxTextSize: 1e9, maxEdges: 1e9 });
              const out = [];
              for (let i = 0; i < 3; i++) {
                const el = document.getElementById("app");
                const t0 = performance.now();
                const { svg } = await mermaid.render("m" + i, text);
                el.innerHTML = svg;
                el.getBoundingClientRect(); document.body.offsetHeight;
                await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
                out.push(performance.now() - t0);
              }
              return out;
            }""",
            text,
        )
        out["mermaid"] = min(times)
    return out


def wide_drag(page: Page, base: str, m: jw.JourneyMap) -> float:
    """Drag p95 (ms of main-thread work per frame) on a wide journey."""
    r = measure_page(len(m.touchpoints), m, base, page)
    return pct(r["frames"] or [float("nan")], 95)


def wide_scroll(page: Page) -> tuple[float, int]:
    """Scrolling the widget rendered in ``page`` sideways with the wheel, 60 notches of 400 px:
    p95 of the main-thread work per frame (ms, from the trace; a wide map draws the columns
    that come into view in these frames), and the most touchpoint headers in the DOM."""
    box = page.locator(".jw-scroller").bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    browser = page.context.browser
    assert browser is not None
    browser.start_tracing(page=page, categories=["devtools.timeline", "toplevel", "blink"])
    most = 0
    for i in range(60):
        page.mouse.wheel(400, 0)
        page.wait_for_timeout(16)
        if i % 10 == 9:
            most = max(most, page.locator(".jw-tp[data-id]").count())
    trace = browser.stop_tracing()
    return pct(frame_times(trace) or [float("nan")], 95), most


def measure_page(n_cards: int, m: jw.JourneyMap, base: str, page: Page) -> dict[str, Any]:
    page.goto(f"{base}/index.html")
    page.wait_for_function("window.ready === true")
    doc = m.to_dict()
    theme = widget_theme()
    renders = [page.evaluate("([d, t]) => bench.render(d, t)", [doc, theme]) for _ in range(5)]
    best = min(renders, key=lambda r: r["layout"])
    card_id, start, end = pick_cards(page)
    browser = page.context.browser
    assert browser is not None
    page.mouse.move(start["x"], start["y"])
    page.mouse.down()
    page.mouse.move(start["x"] + 8, start["y"] + 8, steps=2)  # the drag has begun
    page.evaluate("bench.startFrames()")
    browser.start_tracing(page=page, categories=["devtools.timeline", "toplevel", "blink"])
    page.mouse.move(end["x"], end["y"], steps=120)
    page.mouse.move(end["x"] - 40, end["y"] - 20, steps=40)
    trace = browser.stop_tracing()
    intervals = page.evaluate("bench.stopFrames()")
    page.mouse.up()
    page.wait_for_timeout(50)
    sent = page.evaluate("model.sent")
    edits = [json.loads(s) for s in sent if json.loads(s).get("type") == "edit"]
    return {
        "cards": n_cards,
        "render": best,
        "frames": frame_times(trace),
        "intervals": intervals,
        "edit_message": edits[-1] if edits else None,
        "edit_bytes": len(sent[-1].encode()) if edits else 0,
        "saves": page.evaluate("model.saves ?? 0"),
        "moved": card_id,
    }


def kernel_answer_bytes(m: jw.JourneyMap, message: dict[str, Any]) -> tuple[int, int]:
    """Bytes of the kernel's answer to ``message`` and how many messages it sent, measured on
    the real widget through a comm that records what it would send."""
    import comm
    from comm.base_comm import BaseComm

    wire: list[str] = []

    class Recording(BaseComm):  # type: ignore[misc]
        def publish_msg(self, msg_type: str, data: Any = None, *a: Any, **k: Any) -> None:
            wire.append(json.dumps(data))

    original = comm.create_comm
    comm.create_comm = lambda **kw: Recording(**kw)
    try:
        w = jw.JourneyWidget(m)
        wire.clear()
        w.comm.handle_msg(
            {"content": {"data": {"method": "custom", "content": message}}, "buffers": []}
        )
        w.close()
    finally:
        comm.create_comm = original
    answers = [x for x in wire if '"method": "custom"' in x]
    return sum(len(x.encode()) for x in answers), len(wire) - 1  # minus the comm_close


def python_edits_in_an_event_loop_cell(m: jw.JourneyMap, edits: int = 100) -> tuple[float, int]:
    """Seconds for ``edits`` Python changes made in one cell that runs on an event loop (as
    marimo runs cells: no IPython, so no "after the cell"), with the widget's whole-document
    send, and how many whole documents were sent."""
    import asyncio

    import comm
    from comm.base_comm import BaseComm

    documents = 0

    class Counting(BaseComm):  # type: ignore[misc]
        def publish_msg(self, msg_type: str, data: Any = None, *a: Any, **k: Any) -> None:
            nonlocal documents
            if isinstance(data, dict) and "_doc" in data.get("state", {}):
                documents += 1

    original = comm.create_comm
    comm.create_comm = lambda **kw: Counting(**kw)
    try:
        w = jw.JourneyWidget(m.copy())
        documents = 0
        touchpoints = [t.id for t in w.map.touchpoints]

        async def cell() -> float:
            start = time.perf_counter()
            for n in range(edits):
                w.map.set_emotion(touchpoints[n % len(touchpoints)], n % 7 - 3)
            await asyncio.sleep(0)  # the cell is done; the loop runs what was queued
            return time.perf_counter() - start

        seconds = asyncio.run(cell())
        w.close()
    finally:
        comm.create_comm = original
    return seconds, documents


def latency_in_lab(sizes: list[int], browser: Any) -> dict[int, dict[str, list[float]]]:
    """Drop -> kernel applies -> ack back in the browser, in a real JupyterLab.

    Also times the kernel's own handling of each edit (JourneyWidget._receive_edit: apply to
    the model and send the ack), read back from the kernel in a second cell.
    """
    results: dict[int, dict[str, list[float]]] = {}
    with tempfile.TemporaryDirectory(prefix="jw-bench-") as tmp:
        root, state = Path(tmp) / "root", Path(tmp) / "state"
        root.mkdir()
        state.mkdir()
        with JupyterServer(root, state) as server:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            for n in sizes:
                setup = (
                    "import json, sys, time\n"
                    f"sys.path.insert(0, {str(ROOT / 'benchmarks')!r})\n"
                    "from widget_bench import build_map\n"
                    "import journeywidgets as jw\n"
                    f"m = build_map({n})\n"
                    "w = jw.JourneyWidget(m, height=700)\n"
                    "kernel_ms = []\n"
                    "_receive = w._receive_edit\n"
                    "def _timed(seq, edit):\n"
                    "    t = time.perf_counter()\n"
                    "    _receive(seq, edit)\n"
                    "    kernel_ms.append((time.perf_counter() - t) * 1000)\n"
                    "w._receive_edit = _timed\n"
                    "w"
                )
                report = 'print("KERNEL " + json.dumps(kernel_ms))'
                nb: NotebookPage = open_notebook_file(
                    page, server, f"bench-{n}.ipynb", [setup, report], "lab"
                )
                nb.run_cell(0, timeout=180)
                root_el = nb.output(0).locator(".jw-root")
                root_el.wait_for(timeout=120_000)
                page.evaluate(
                    """() => {
                      const root = document.querySelector('.jw-root');
                      window.__drops = []; window.__sent = []; window.__acks = [];
                      const now = (list) => () => list.push(performance.now());
                      window.addEventListener('pointerup', now(window.__drops), true);
                      const seen = () => (root.dataset.pending === '0' ? window.__acks
                                                                       : window.__sent);
                      new MutationObserver(() => seen().push(performance.now()))
                        .observe(root, { attributes: true, attributeFilter: ['data-pending'] });
                    }"""
                )
                times: list[float] = []
                for i in range(16):
                    if len(times) == 8:
                        break
                    _card, start, _end = pick_cards(page)
                    page.mouse.move(start["x"], start["y"])
                    page.mouse.down()
                    page.mouse.move(start["x"] + 30, start["y"] + 10, steps=3)
                    page.mouse.move(start["x"] + 172 * (1 + i % 2), start["y"] + 20, steps=8)
                    page.mouse.up()
                    try:  # a drop where the card already was sends nothing: skip it
                        page.wait_for_function(
                            "window.__sent.length && window.__sent.at(-1) >= window.__drops.at(-1)",
                            timeout=2_000,
                        )
                    except PlaywrightTimeout:
                        continue
                    page.wait_for_function(
                        "window.__acks.length && window.__acks.at(-1) >= window.__sent.at(-1)",
                        timeout=30_000,
                    )
                    times.append(page.evaluate("window.__acks.at(-1) - window.__drops.at(-1)"))
                    page.wait_for_timeout(300)
                nb.run_cell(1)
                line = next(x for x in nb.output_text(1).splitlines() if x.startswith("KERNEL "))
                results[n] = {"round_trip": times, "kernel": json.loads(line[len("KERNEL ") :])}
                nb.close()
            page.close()
    return results


#: Wide journeys before the widget drew only the columns near the view (f0dc838, load ~1.0):
#: touchpoints -> (render ms, drag p95 ms, scroll p95 ms).
WIDE_BEFORE = {
    60: (24, 2.7, 5.0),
    600: (101, 7.3, 15.2),
    2_000: (291, 16.5, 44.0),
    20_000: (3761, 246, 800),
}


def wide_journeys(sizes: list[int]) -> None:
    """Wide journeys: the widget beside Mermaid's journey renderer, in one Chromium run."""
    print("Wide journeys (one card per touchpoint), widget vs Mermaid's journey renderer "
          "(mermaid from js/node_modules), best of 3, ms to the painted frame:")  # fmt: skip
    print("(scroll p95: main-thread ms per frame while the wheel scrolls sideways; headers: the")
    print(" most touchpoint headers in the DOM meanwhile; maps over 150 touchpoints draw only the")
    print(" columns near the view)")
    print(
        f"{'touchpoints':>11} {'widget':>9} {'mermaid':>9} {'ratio':>6} {'drag p95':>9} "
        f"{'scroll p95':>10} {'headers':>7}  target"
    )
    targets = {
        2_000: "render <= 150 ms, drag p95 <= 16 ms",
        20_000: "render <= 1 s, drag p95 <= 16 ms",
    }
    with bench_site("jw-bench-wide-") as base, sync_playwright() as pw:
        browser = launch_chromium(pw)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        for n in sizes:
            m = wide_map(n)
            # Mermaid's journey renderer is not tried past 2,000 touchpoints
            r = widget_and_mermaid(page, base, m, mermaid=n <= 2_000)
            drag = wide_drag(page, base, m)  # leaves the map rendered for the scroll
            scroll, headers = wide_scroll(page)
            ratio = r["mermaid"] / r["widget"] if r["widget"] else float("nan")
            print(
                f"{n:>11,} {r['widget']:>7.0f}ms {r['mermaid']:>7.0f}ms {ratio:>5.1f}x "
                f"{drag:>7.1f}ms {scroll:>8.1f}ms {headers:>7,}  {targets.get(n, '')}"
            )
        before = ", ".join(
            f"{n:,}: {r:,} ms / {d} ms / {sc} ms" for n, (r, d, sc) in WIDE_BEFORE.items()
        )
        print(f"before column virtualisation (render / drag p95 / scroll p95): {before}")
        browser.close()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2_000, 20_000])
    parser.add_argument("--no-server", action="store_true", help="skip the JupyterLab latency")
    parser.add_argument(
        "--wide",
        type=int,
        nargs="*",
        default=[60, 600, 2_000, 20_000],
        help="touchpoint counts of the wide journeys (one card each); none to skip",
    )
    parser.add_argument("--wide-only", action="store_true", help="only the wide journeys")
    args = parser.parse_args(argv)
    missing = chromium_missing()
    if missing:
        print(f"cannot run: {missing}", file=sys.stderr)
        return 2
    if not (STATIC / "widget.js").is_file():
        print("build the front end first: make build", file=sys.stderr)
        return 2

    if args.wide:
        wide_journeys(args.wide)
        if args.wide_only:
            return 0
        print()
    maps = {n: build_map(n) for n in args.sizes}
    print("Python edits while the widget is shown, in a cell run on an event loop (marimo):")
    for n in args.sizes:
        seconds, documents = python_edits_in_an_event_loop_cell(maps[n])
        print(
            f"{n:>7,} cards: 100 edits {seconds * 1000:7.1f} ms, {documents} whole document(s) sent"
        )
    print()
    with bench_site("jw-bench-page-") as base, sync_playwright() as pw:
        fast = launch_chromium(pw)
        page = fast.new_page(viewport={"width": 1280, "height": 900})
        print(f"Chromium {fast.version}; map: {STAGES} stages, {TOUCHPOINTS} touchpoints, "
              f"{len(LANES)} lanes")  # fmt: skip
        print()
        print(f"{'cards':>7} {'render(js)':>11} {'+layout':>9} {'painted':>9} "
              f"{'DOM nodes':>10} {'frames':>7} {'drag p50':>9} {'drag p95':>9} "
              f"{'max':>7} {'rAF p95':>8} {'sent':>7} {'answer':>7}")  # fmt: skip
        for n in args.sizes:
            r = measure_page(n, maps[n], base, page)
            frames = r["frames"] or [float("nan")]
            intervals = r["intervals"] or [float("nan")]
            answer = (
                kernel_answer_bytes(
                    maps[n], {"type": "edit", "seq": 1, "edit": r["edit_message"]["edit"]}
                )
                if r["edit_message"]
                else (0, 0)
            )
            render = r["render"]
            print(
                f"{n:>7,} {render['script']:>9.0f}ms {render['layout']:>7.0f}ms "
                f"{render['painted']:>7.0f}ms {render['nodes']:>10,} {len(frames):>7} "
                f"{pct(frames, 50):>7.1f}ms {pct(frames, 95):>7.1f}ms "
                f"{max(frames):>5.0f}ms {pct(intervals, 95):>6.1f}ms "
                f"{r['edit_bytes']:>6}B {answer[0]:>6}B"
            )
            if r["saves"]:
                print(f"  !! the page called save_changes() {r['saves']} times")
            if r["edit_message"]:
                print(f"  move sent: {json.dumps(r['edit_message'])}")
        fast.close()

        if not args.no_server:
            print()
            print("drop -> model -> ack in the browser, real JupyterLab (8 drops each); "
                  "kernel = the widget's handling of the edit in the kernel:")  # fmt: skip
            browser = launch_chromium(pw)
            for n, r in latency_in_lab(args.sizes, browser).items():
                trip, kernel = r["round_trip"], r["kernel"]
                print(
                    f"{n:>7,} cards: round trip median {statistics.median(trip):5.0f} ms "
                    f"(min {min(trip):.0f}, max {max(trip):.0f}); kernel median "
                    f"{statistics.median(kernel):.1f} ms (max {max(kernel):.1f})"
                )
            browser.close()
    print()
    print("targets: render <= 150 ms (2,000) / 1.5 s (20,000); drag p95 <= 16 / 33 ms; "
          "<= 2 KB per move")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
