"""Writing a file to a USB stick so that a full or pulled stick never leaves a file that looks valid
(issue 6, item 5).

The bytes go to a temporary file in the destination folder (name starting with ``.`` and ending in
``.partial``, so it never looks like a bundle), are flushed and ``fsync``-ed, the temporary file is
renamed to the final name (atomic on the same file system), the folder is ``fsync``-ed where the OS
allows it (POSIX; Windows cannot open a directory for that), and the final file is read back and
compared with the SHA-256 of what was meant to be written, then handed to a ``verify`` callback.
Only after all of that does :func:`write_file_safely` return.

On any error the temporary file is removed, and a final file that was already renamed into place
but does not verify is removed too. Errors propagate unchanged (``OSError`` for the file system,
:class:`ReadBackError` for a read-back mismatch, whatever ``verify`` raises); the caller turns them
into a message for the clerk.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
from collections.abc import Callable
from pathlib import Path

TEMP_SUFFIX = ".partial"


class ReadBackError(OSError):
    """The file read back from the stick is not the file that was written."""


def temp_name(final_name: str) -> str:
    return f".{final_name}.{secrets.token_hex(4)}{TEMP_SUFFIX}"


def fsync_directory(directory: Path) -> None:
    """Make a rename in ``directory`` durable, where the OS lets a directory be opened (not Windows)."""
    if os.name == "nt":
        return
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems (e.g. certain FAT drivers) refuse fsync on a directory
    finally:
        os.close(fd)


def write_file_safely(dest: Path, data: bytes, *, verify: Callable[[bytes], None] | None = None,
                      overwrite: bool = False) -> str:
    """Write ``data`` to ``dest`` as described in the module docstring; returns the SHA-256 (hex).

    ``verify`` receives the bytes read back from ``dest``; it raises to refuse them. Raises
    ``FileExistsError`` when ``dest`` exists and ``overwrite`` is false.
    """
    expected = hashlib.sha256(data).hexdigest()
    directory = dest.parent
    if not overwrite and dest.exists():
        raise FileExistsError(17, "file exists", str(dest))
    temp = directory / temp_name(dest.name)
    renamed = False
    try:
        with open(temp, "xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if not overwrite and dest.exists():
            raise FileExistsError(17, "file exists", str(dest))
        os.replace(temp, dest)
        renamed = True
        fsync_directory(directory)
        with open(dest, "rb") as handle:
            back = handle.read()
        if hashlib.sha256(back).hexdigest() != expected:
            raise ReadBackError(5, "read-back differs from what was written", str(dest))
        if verify is not None:
            verify(back)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)
        if renamed:
            with contextlib.suppress(OSError):
                dest.unlink(missing_ok=True)
        raise
    return expected


def save_with(dest: Path, save: Callable[[Path], None]) -> None:
    """Let a library write the file (``save(path)``, e.g. openpyxl's ``Workbook.save``) to a temporary file
    beside *dest*, then ``fsync`` it and rename it over *dest*: a crash, a full disk or a file held open by
    Excel/WPS never leaves half a file under the clerk's name. The temporary file is removed on error."""
    temp = dest.parent / temp_name(dest.name)
    try:
        save(temp)
        with open(temp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(temp, dest)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)
        raise
    fsync_directory(dest.parent)
