"""Writing outputs safely: atomically, only onto regular files, with inert text cells.

A file is written as a temporary file beside its target, then renamed onto it: an
interrupted or failed run never leaves a truncated file, and an existing good output
survives until the new one is complete. The rules:

* A target that exists and is not a regular file (a device such as ``/dev/null``, a FIFO,
  a socket, a folder) is refused with :class:`~frontline.errors.OutputError`, never
  replaced.
* A failure to write (read-only or full disk, permission denied) is an
  :class:`~frontline.errors.OutputError` naming the file and what to do, not a traceback.
* The temporary file's name carries the writer's process id; a temporary file left by a
  writer that no longer runs (killed with ``kill -9``, say) is removed the next time the
  same target is written.
* Text cells of CSV outputs that a spreadsheet would run as a formula are made inert
  (:func:`neutralize_cell`); :func:`restore_cell` undoes it exactly.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import stat
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from .errors import OutputError

__all__ = [
    "atomic_path",
    "atomic_write",
    "remove_stale_tmps",
    "temporary_path",
    "neutralize_cell",
    "printable_path",
    "printable_text",
    "restore_cell",
]

#: A temporary file of a writer whose process cannot be checked (another machine sharing
#: the folder, say) is removed once it is this old, in seconds.
STALE_TMP_SECONDS = 86_400

#: Free bytes under which a failed write is put down to a full disk.
_NEARLY_FULL = 1 << 20

_HINTS = {
    errno.ENOSPC: "the disk is full: free some space, or write elsewhere",
    errno.EDQUOT: "the disk quota is used up: free some space, or write elsewhere",
    errno.EROFS: "the file system is read-only: write elsewhere",
    errno.EACCES: "permission denied: write to a folder you may write in",
    errno.EPERM: "permission denied: write to a folder you may write in",
}


def _write_error(target: Path, err: OSError) -> OutputError:
    hint = _HINTS.get(err.errno or 0, err.strerror or str(err))
    return OutputError(f"cannot write {printable_path(target)}: {hint}")


def _disk_trouble(folder: Path) -> int | None:
    """``errno.EROFS`` or ``errno.ENOSPC`` when *folder*'s file system is read-only or
    (all but) full, else None."""
    try:
        st = os.statvfs(folder)
    except OSError:
        return None
    if st.f_flag & os.ST_RDONLY:
        return errno.EROFS
    if st.f_bavail * st.f_frsize < _NEARLY_FULL:
        return errno.ENOSPC
    return None


def _refuse_unless_regular(target: Path) -> None:
    try:
        st = os.stat(target)
    except OSError:  # (absent; or a bad folder, which creating it will report)
        return
    if not stat.S_ISREG(st.st_mode):
        what = (
            "a folder"
            if stat.S_ISDIR(st.st_mode)
            else "not a regular file (a device, pipe or socket)"
        )
        raise OutputError(
            f"{printable_path(target)} is {what}: refused, it would be replaced; write to a file"
        )


#: The name of a temporary file: ``.<target's name>.<writer's process id>-<random>.tmp``
#: (and the target's extension, which some writers want).
_TMP_NAME = re.compile(r"\.(.+)\.(\d+)-[0-9a-f]+\.tmp(\.[^.]*)?")


def temporary_path(target: Path) -> Path:
    """A new temporary file name beside *target*, carrying this process's id.

    Examples
    --------
    >>> tmp = temporary_path(Path("/out/map.html"))
    >>> tmp.parent, tmp.name.startswith(f".map.html.{os.getpid()}-"), tmp.suffix
    (PosixPath('/out'), True, '.html')
    """
    return target.parent / f".{target.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp{target.suffix}"


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # (someone else's process: alive)
        return True
    return True


def remove_stale_tmps(folder: Path, name: str | None = None) -> None:
    """Remove the temporary files (of *name*, or of any target) in *folder* whose writer
    no longer runs, or that are over a day old.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / ".e.csv.999999999-ab.tmp.csv").write_text("a killed writer's")
    >>> remove_stale_tmps(folder)
    >>> list(folder.iterdir())
    []
    """
    try:
        with os.scandir(folder) as it:
            names = [e.name for e in it if e.name.startswith(".") and ".tmp" in e.name]
    except OSError:
        return
    now = time.time()
    for found in names:
        m = _TMP_NAME.fullmatch(found)
        if m is None or name is not None and m[1] != name:
            continue
        path = folder / found
        with contextlib.suppress(OSError):
            if not _alive(int(m[2])) or now - path.stat().st_mtime > STALE_TMP_SECONDS:
                path.unlink()


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside *target*; rename it onto *target* on success.

    Use it for writers that want a path (GeoPackage, Parquet, folium's ``save``).

    Raises
    ------
    OutputError
        *target* exists and is not a regular file, or it cannot be written (read-only or
        full disk, no permission): also for an ``OSError`` raised by the block.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> with atomic_path(out) as tmp:
    ...     _ = tmp.write_text("done")
    >>> out.read_text()
    'done'
    >>> with atomic_path("/dev/null") as tmp:
    ...     pass
    Traceback (most recent call last):
    ...
    frontline.errors.OutputError: /dev/null is not a regular file (a device, pipe or socket): refused, it would be replaced; write to a file
    """
    target = Path(target)
    _refuse_unless_regular(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(
            f"cannot create folder {printable_path(target.parent)}: "
            f"{_HINTS.get(err.errno or 0, err.strerror)}"
        ) from err
    remove_stale_tmps(target.parent, target.name)
    tmp = temporary_path(target)
    try:
        # (created, then removed: the name is ours, and writers such as GeoPackage refuse
        # to open an existing empty file)
        os.close(os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
        tmp.unlink()
    except OSError as err:
        raise _write_error(target, err) from err
    try:
        yield tmp
        _refuse_unless_regular(target)  # (it may have appeared meanwhile)
        os.replace(tmp, target)
    except OutputError:
        raise
    except OSError as err:
        raise _write_error(target, err) from err
    except Exception as err:
        # A writer library's own error (GDAL's for GeoPackage, say): said plainly when
        # the disk is the cause.
        cause = _disk_trouble(target.parent)
        if cause is None:
            raise
        raise _write_error(target, OSError(cause, os.strerror(cause))) from err
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


@contextlib.contextmanager
def atomic_write(
    target: str | os.PathLike[str],
    mode: str = "w",
    *,
    encoding: str | None = "utf-8",
    newline: str | None = None,
) -> Iterator[IO]:
    """Open a temporary file for writing; it replaces *target* only when the block succeeds.

    Raises :class:`~frontline.errors.OutputError` as :func:`atomic_path` does.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "b.csv"
    >>> with atomic_write(out) as f:
    ...     _ = f.write("a,b\\n")
    >>> out.read_text()
    'a,b\\n'
    """
    if "b" in mode:
        encoding = None
    with atomic_path(target) as tmp, open(tmp, mode, encoding=encoding, newline=newline) as f:
        yield f


# Characters whose compatibility form (NFKC, which spreadsheets may apply) starts with
# a formula lead: full-width, small, superscript and subscript = + - @. The test suite
# checks this list against every code point.
_WIDE_LEADS = (
    "\u207a\u207c\u208a\u208c\u2a75\u2a76\ufb29\ufe62\ufe63\ufe66\ufe6b\uff0b\uff0d\uff1d\uff20"
)
# A spreadsheet runs a cell starting with one of these as a formula (tab and CR too).
_FORMULA = re.compile("^'*[=+\\-@\t\r" + _WIDE_LEADS + "]")
_NEUTRALIZED = re.compile("^'+[=+\\-@\t\r" + _WIDE_LEADS + "]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def neutralize_cell(value: Any) -> Any:
    """Make a text cell inert for spreadsheets; other values are returned as they are.

    A cell starting with ``= + - @`` (or a full-width or other compatibility form of
    them, a tab or CR), possibly after apostrophes, gets one more leading apostrophe, so
    :func:`restore_cell` gives back every cell exactly. Bytes that were not UTF-8 (lone
    surrogates from ``surrogateescape``) are written as ``\\xNN``.

    Examples
    --------
    >>> neutralize_cell("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> neutralize_cell("\uff1d1+1"), neutralize_cell("Kherson"), neutralize_cell(3)
    ("'＝1+1", 'Kherson', 3)
    >>> restore_cell(neutralize_cell("'=x"))
    "'=x"
    >>> neutralize_cell(b"caf\\xe9.md".decode("utf-8", "surrogateescape"))
    'caf\\\\xe9.md'
    """
    if not isinstance(value, str):
        return value
    if _SURROGATE.search(value):
        value = printable_text(value)
    return "'" + value if _FORMULA.match(value) else value


def restore_cell(value: Any) -> Any:
    """Undo :func:`neutralize_cell` on a cell read back from a CSV output.

    Examples
    --------
    >>> restore_cell("'=1"), restore_cell("'quoted"), restore_cell(None)
    ('=1', "'quoted", None)
    """
    if isinstance(value, str) and _NEUTRALIZED.match(value):
        return value[1:]
    return value


def printable_text(text: str) -> str:
    """*text* with bytes that were not UTF-8 (``surrogateescape``) written as ``\\xNN``.

    Examples
    --------
    >>> printable_text(b"caf\\xe9".decode("utf-8", "surrogateescape"))
    'caf\\\\xe9'
    """
    if not _SURROGATE.search(text):
        return text
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate that stands for no byte
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def printable_path(path: str | os.PathLike[str]) -> str:
    """A path as text that can be printed and written anywhere (see :func:`printable_text`).

    Examples
    --------
    >>> printable_path(Path(b"/tmp/caf\\xe9.md".decode("utf-8", "surrogateescape")))
    '/tmp/caf\\\\xe9.md'
    """
    return printable_text(os.fspath(path))
