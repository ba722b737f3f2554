"""Drive a real Jupyter server and Debian's Chromium for end-to-end tests.

Used by the fixtures in ``conftest.py`` and by ``scripts/demo_smoke.py``. The recipes (flags,
fresh config dirs, kernel-idle polling, the Shift+Enter re-press) are the verified ones in
the project's TESTING.md; each is explained where it is used.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote

import nbformat
from playwright.sync_api import Browser, BrowserContext, Locator, Page, Playwright, WebSocketRoute

CHROMIUM_PATH = Path("/usr/bin/chromium")
# Without the networking flags Chromium keeps calling Google's hosts, which this closed
# network refuses; --no-sandbox because tests and CI run as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
CHROMIUM_INSTALL = (
    "sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive "
    "apt-get install -y chromium fonts-dejavu-core   (or run `make test` as root)"
)
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

UI = Literal["lab", "notebook"]
UIS: tuple[UI, ...] = ("lab", "notebook")

# Requests to anything but the local Jupyter server are aborted and recorded: the widget
# must work offline, so a test proves nothing is fetched from a CDN.
_NON_LOCAL = re.compile(r"^(https?|wss?)://(?!(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(/|$))")
_PROMPT_DONE = re.compile(r"\[\d+\]")


def in_ci() -> bool:
    """Whether we run in CI, where browser tests must run and never skip."""
    return os.environ.get("CI", "").lower() == "true"


def chromium_missing() -> str | None:
    """Return why the browser tests cannot run here, or None when Chromium is installed."""
    if CHROMIUM_PATH.is_file() and os.access(CHROMIUM_PATH, os.X_OK):
        return None
    return f"{CHROMIUM_PATH} is missing; install Debian's Chromium: {CHROMIUM_INSTALL}"


def launch_chromium(playwright: Playwright) -> Browser:
    """Launch Debian's Chromium headless (never a browser downloaded by Playwright)."""
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM_PATH), headless=True, args=CHROMIUM_ARGS
    )


def free_port() -> int:
    """A TCP port that was free on 127.0.0.1 a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def block_external_requests(context: BrowserContext, blocked: list[str] | None = None) -> list[str]:
    """Abort every non-local HTTP(S) request and websocket of ``context``.

    Returns the list the blocked URLs are appended to (``blocked`` when given), so a test can
    assert it stays empty. Only non-local URLs are intercepted, so the many local JupyterLab
    requests pay nothing.
    """
    blocked = [] if blocked is None else blocked

    def abort(route: Any) -> None:
        blocked.append(route.request.url)
        route.abort()

    def refuse(ws: WebSocketRoute) -> None:
        blocked.append(ws.url)
        ws.close()

    context.route(_NON_LOCAL, abort)
    context.route_web_socket(_NON_LOCAL, refuse)
    return blocked


def save_screenshot(page: Page, name: str) -> Path:
    """Save a full-page PNG under tests/e2e/artifacts/ (git-ignored) and return its path."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_") or "screenshot"
    path = ARTIFACTS / f"{safe}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def write_notebook(path: Path, sources: Sequence[str]) -> Path:
    """Write a notebook of code cells, with the python3 kernelspec so no kernel dialog opens."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))
    return path


class ServerProcess:
    """A local server run for a test: a free port on 127.0.0.1, a random token, a log file,
    and its own process group, so that :meth:`stop` ends it and everything it started.

    Subclasses say how to start it (:meth:`command`, :meth:`environment`, :attr:`workdir`)
    and how to tell it is up (:meth:`ready`, one probe).
    """

    name = "server"

    def __init__(self, workdir: Path, state_dir: Path, log_name: str) -> None:
        self.workdir = workdir
        self.state_dir = state_dir
        self.token = secrets.token_hex(16)
        self.port = 0
        self.log_path = state_dir / log_name
        self._proc: subprocess.Popen[bytes] | None = None
        # Talk to our own server directly, whatever proxy the environment names.
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        raise NotImplementedError

    def environment(self) -> dict[str, str]:
        return dict(os.environ)

    def ready(self) -> bool:
        raise NotImplementedError

    def start(self, timeout: float = 90.0) -> ServerProcess:
        """Start the server and wait until it answers; retries on a lost port race."""
        for _attempt in range(3):  # a port taken between free_port() and the bind: retry
            self.port = free_port()
            with self.log_path.open("ab") as log:
                self._proc = subprocess.Popen(
                    self.command(),
                    cwd=self.workdir,
                    env=self.environment(),
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,  # its own process group, ended as a whole
                )
            if self._wait_ready(timeout):
                return self
            self.stop()
        raise RuntimeError(f"{self.name} did not start; log tail:\n{self.log_tail()}")

    def _wait_ready(self, timeout: float) -> bool:
        assert self._proc is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                return False
            try:
                if self.ready():
                    return True
            except (OSError, urllib.error.URLError):
                pass
            time.sleep(0.2)
        return False

    def log_tail(self, lines: int = 40) -> str:
        if not self.log_path.exists():
            return "(no log)"
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def shut_down(self, proc: subprocess.Popen[bytes]) -> None:
        """A clean shutdown before the process group is signalled (none by default)."""

    def stop(self) -> None:
        """Shut down cleanly where the server can, then end its whole process group."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        try:
            if proc.poll() is None:
                self.shut_down(proc)
        finally:
            for sig in (signal.SIGTERM, signal.SIGKILL):
                try:
                    os.killpg(proc.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    proc.wait(timeout=10)
                    break
                except subprocess.TimeoutExpired:
                    continue

    def __enter__(self) -> ServerProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class JupyterServer(ServerProcess):
    """A real Jupyter server serving both JupyterLab (``/lab``) and Notebook 7 (``/notebooks``).

    It runs with fresh config, data and runtime directories (no user settings, workspaces or
    kernels leak in), a random token, a free port on 127.0.0.1 and ``root_dir``, in its own
    process group (see :class:`ServerProcess`).

    Parameters
    ----------
    root_dir : Path
        Directory the server serves; tests write notebooks here.
    state_dir : Path
        Scratch directory for the Jupyter config/data/runtime dirs and the server log.
    collaborative : bool
        Real-time collaboration (jupyter-collaboration, a dev dependency) on. Off by default:
        installed, the extension turns it on for every server, and the other tests check
        the ordinary single-user JupyterLab.
    """

    name = "Jupyter server"

    def __init__(
        self,
        root_dir: Path,
        state_dir: Path,
        log_name: str = "jupyter-server.log",
        *,
        collaborative: bool = False,
    ) -> None:
        super().__init__(root_dir, state_dir, log_name)
        self.root_dir = root_dir
        self.collaborative = collaborative

    def environment(self) -> dict[str, str]:
        env = dict(os.environ)
        dirs = {
            "JUPYTER_CONFIG_DIR": "config",
            "JUPYTER_DATA_DIR": "data",
            "JUPYTER_RUNTIME_DIR": "runtime",
            "IPYTHONDIR": "ipython",
        }
        for var, sub in dirs.items():
            (self.state_dir / sub).mkdir(parents=True, exist_ok=True)
            env[var] = str(self.state_dir / sub)
        labconfig = self.state_dir / "config" / "labconfig"
        labconfig.mkdir(parents=True, exist_ok=True)
        # The "news" toast would cover the notebook and wants the network.
        (labconfig / "page_config.json").write_text(
            json.dumps(
                {"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}}
            ),
            encoding="utf-8",
        )
        env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"  # quiets a debugger warning in kernel logs
        return env

    def command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--allow-root",
            "--ip=127.0.0.1",
            f"--port={self.port}",
            "--port-retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root_dir}",
            f"--YDocExtension.disable_rtc={not self.collaborative}",
        ]

    def ready(self) -> bool:
        self.api("GET", "/api/status")
        return True

    def shut_down(self, proc: subprocess.Popen[bytes]) -> None:
        try:
            # Kernels run in their own sessions; a clean shutdown stops them too.
            self.api("POST", "/api/shutdown", timeout=5)
            proc.wait(timeout=10)
        except (OSError, urllib.error.URLError, subprocess.TimeoutExpired):
            pass

    def start(self, timeout: float = 90.0) -> JupyterServer:
        super().start(timeout)
        return self

    def __enter__(self) -> JupyterServer:
        return self.start()

    def api(self, method: str, path: str, body: Any = None, timeout: float = 10.0) -> Any:
        """Call the server's REST API and return the decoded JSON (None for an empty body)."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.base_url + path,
            data=data,
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with self._opener.open(request, timeout=timeout) as response:
            raw = response.read()
        return json.loads(raw) if raw else None

    def url(self, ui: UI, notebook: str) -> str:
        """The browser URL of ``notebook`` (relative to root_dir) in JupyterLab or Notebook 7."""
        prefix = "/lab/tree/" if ui == "lab" else "/notebooks/"
        return f"{self.base_url}{prefix}{quote(notebook)}?token={self.token}"

    def sessions(self, notebook: str) -> list[dict[str, Any]]:
        return [s for s in self.api("GET", "/api/sessions") if s.get("path") == notebook]

    def shutdown_sessions(self, notebook: str) -> None:
        """Stop the kernels of ``notebook`` so finished tests do not hold CPU and memory."""
        for session in self.sessions(notebook):
            self.api("DELETE", f"/api/sessions/{session['id']}")


class NotebookPage:
    """A notebook open in JupyterLab or Notebook 7, run cell by cell like a person would.

    Both front ends share the ``.jp-*`` DOM classes, so the same selectors work in each.
    """

    def __init__(self, page: Page, server: JupyterServer, notebook: str, ui: UI) -> None:
        self.page = page
        self.server = server
        self.notebook = notebook
        self.ui = ui

    @classmethod
    def open(
        cls, page: Page, server: JupyterServer, notebook: str, ui: UI, timeout: float = 60.0
    ) -> NotebookPage:
        """Navigate to ``notebook``, wait for its cells and for an idle, connected kernel."""
        nb = cls(page, server, notebook, ui)
        page.goto(server.url(ui, notebook), wait_until="domcontentloaded")
        nb.cells.first.wait_for(state="visible", timeout=timeout * 1000)
        nb.wait_for_kernel_idle(timeout)
        return nb

    @property
    def cells(self) -> Locator:
        return self.page.locator(".jp-NotebookPanel:visible .jp-Notebook .jp-Cell")

    def cell(self, index: int) -> Locator:
        return self.cells.nth(index)

    def wait_for_kernel_idle(self, timeout: float = 60.0) -> None:
        """Poll /api/sessions until this notebook's kernel is idle and has a connection."""
        deadline = time.monotonic() + timeout
        last: Any = None
        while time.monotonic() < deadline:
            for session in self.server.sessions(self.notebook):
                kernel = session.get("kernel") or {}
                last = kernel
                if kernel.get("execution_state") == "idle" and kernel.get("connections", 0) >= 1:
                    return
            time.sleep(0.25)
        raise TimeoutError(
            f"kernel of {self.notebook} not idle and connected after {timeout:.0f}s "
            f"(last state: {last}); server log:\n{self.server.log_tail()}"
        )

    def _prompt(self, index: int) -> str:
        return self.cell(index).locator(".jp-InputPrompt").inner_text().strip()

    def run_cell(self, index: int, timeout: float = 60.0) -> None:
        """Select cell ``index``, press Shift+Enter and wait until it has finished.

        If the prompt has not changed 5 s after the key press, the press was lost (seen about
        1 run in 5 in Notebook 7) and we press again.
        """
        cell = self.cell(index)
        cell.scroll_into_view_if_needed()
        before = self._prompt(index)
        deadline = time.monotonic() + timeout
        for _press in range(3):
            # Clicking the prompt selects the cell in command mode in both front ends.
            cell.locator(".jp-InputPrompt").click()
            self.page.keyboard.press("Shift+Enter")
            started = time.monotonic()
            while time.monotonic() - started < 5:
                if self._prompt(index) != before:
                    break
                time.sleep(0.1)
            if self._prompt(index) != before:
                break
        else:
            raise TimeoutError(f"cell {index} of {self.notebook} did not start after 3 presses")
        while time.monotonic() < deadline:
            if _PROMPT_DONE.fullmatch(self._prompt(index).rstrip(":").strip()):
                return
            time.sleep(0.1)
        raise TimeoutError(
            f"cell {index} of {self.notebook} still running after {timeout:.0f}s "
            f"(prompt {self._prompt(index)!r})"
        )

    def run_all(self, count: int | None = None, timeout: float = 60.0) -> None:
        """Run the code cells among the first ``count`` cells (all when None), one by one.

        The count is taken before running: Shift+Enter on the last cell adds an empty one.
        """
        total = self.cells.count() if count is None else count
        for index in range(total):
            if "jp-CodeCell" in (self.cell(index).get_attribute("class") or "").split():
                self.run_cell(index, timeout=timeout)

    def output(self, index: int) -> Locator:
        """The output area of cell ``index`` (widgets render inside it)."""
        return self.cell(index).locator(".jp-OutputArea")

    def output_text(self, index: int) -> str:
        """The visible text of every output of cell ``index``, joined by newlines."""
        return "\n".join(self.cell(index).locator(".jp-OutputArea-output").all_inner_texts())

    def stderr(self) -> list[str]:
        """Text of every stderr or traceback output in the notebook, for failure messages."""
        return self.page.locator(
            ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
        ).all_inner_texts()

    def tracebacks(self) -> list[str]:
        """Text of every output that shows a Python traceback (a cell that raised)."""
        return [text for text in self.stderr() if "Traceback" in text]

    def close(self) -> None:
        self.server.shutdown_sessions(self.notebook)


def open_notebook_file(
    page: Page, server: JupyterServer, name: str, sources: Iterable[str], ui: UI
) -> NotebookPage:
    """Write a notebook of ``sources`` into the server's root dir and open it in ``ui``."""
    write_notebook(server.root_dir / name, list(sources))
    return NotebookPage.open(page, server, name, ui)


def wait_until(predicate: Callable[[], bool], timeout: float, what: str) -> None:
    """Poll ``predicate`` until it is true; raise TimeoutError naming ``what`` otherwise."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise TimeoutError(f"timed out after {timeout:.0f}s waiting for {what}")
