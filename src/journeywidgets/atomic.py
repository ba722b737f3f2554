"""Files written whole or not at all.

Every file the library writes goes through this module: the content goes to a temporary file
in the target's own folder, is flushed and fsynced, and then renamed over the target. A process
killed mid-write, a full disk or an exception while producing the content leaves the old file
as it was (or no file), never a truncated one.

Examples
--------
>>> import pathlib, tempfile
>>> from journeywidgets.atomic import write_text
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> write_text(folder / "map.json", '{"title": "Energy"}')
>>> (folder / "map.json").read_text()
'{"title": "Energy"}'
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .errors import FileWriteError


def target(path: str | os.PathLike[str]) -> Path:
    """``path`` checked as a place to write a file: its folder exists and it is not a folder.

    Raises :class:`~journeywidgets.errors.FileWriteError` naming the path otherwise.
    """
    path = Path(path)
    if path.is_dir():
        raise FileWriteError(f"cannot write {str(path)!r}: it is a folder, not a file", path=path)
    folder = path.parent
    if not folder.is_dir():
        raise FileWriteError(
            f"cannot write {str(path)!r}: the folder {str(folder)!r} does not exist", path=path
        )
    return path


@contextlib.contextmanager
def replacing(path: str | os.PathLike[str]) -> Iterator[Path]:
    """A temporary path beside ``path``; on a clean exit it is fsynced and renamed onto ``path``.

    For writers that want a file name (pandas' ``to_excel``, nbformat, converters). On an
    exception the temporary file is removed and ``path`` is left as it was.

    >>> import pathlib, tempfile
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "table.csv"
    >>> with replacing(out) as tmp:
    ...     _ = tmp.write_text("a,b\\n1,2\\n")
    >>> out.read_text()
    'a,b\\n1,2\\n'
    """
    final = target(path)
    try:
        fd, name = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".tmp", dir=final.parent)
    except OSError as exc:
        raise _write_error(final, exc) from exc
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        _fsync_file(tmp)
        _keep_mode(final, tmp)
        os.replace(tmp, final)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        # A writer failing on the temporary file (disk full, file-size limit) is a failure to
        # write *path*: say so with the user's path, not the hidden temporary name.
        if isinstance(exc, OSError):
            raise _write_error(final, exc) from exc
        raise
    _fsync_folder(final.parent)


def _write_error(path: Path, exc: OSError) -> FileWriteError:
    reason = exc.strerror or exc
    return FileWriteError(f"cannot write {str(path)!r}: {reason}", path=path)


def write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (temporary file, fsync, rename)."""
    # written and closed here; ``replacing`` fsyncs the file once before the rename
    with replacing(path) as tmp, open(tmp, "wb") as handle:
        handle.write(data)


def write_text(path: str | os.PathLike[str], text: str, *, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``path`` atomically; the old file survives any failure.

    The text is encoded before the file is touched, so text that cannot be encoded (a lone
    surrogate, say) raises without creating anything.
    """
    write_bytes(path, text.encode(encoding))


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def _fsync_folder(folder: Path) -> None:
    # The rename is durable only once the folder's entry is on disk (POSIX); Windows has no
    # folder handles to fsync, hence the suppress.
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _keep_mode(final: Path, tmp: Path) -> None:
    # mkstemp creates 0600 files; a replaced file keeps its permissions, a new one gets the
    # usual umask-based mode, as open(path, "w") would have given it.
    try:
        mode = final.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    with contextlib.suppress(OSError):
        os.chmod(tmp, mode)


def _umask() -> int:
    # Reading the umask means setting it, for a moment, for the whole process; Linux shows it
    # in /proc, which keeps a save in one thread (a widget's, with ipykernel 7) from creating
    # files with a zero umask in another.
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    umask = os.umask(0o077)
    os.umask(umask)
    return umask
