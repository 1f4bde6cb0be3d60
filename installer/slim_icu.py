"""A slim ICU data library for the Linux bundle (used by remoteedu.spec).

PySide6's Linux wheels link QtCore to ICU, whose data library ``libicudata.so.NN`` is 32 MB: every
locale of the world. The program speaks Chinese and English, so this keeps the locale data of
``root``, ``en*`` and ``zh*`` (plus everything that is not a locale: normalization, break rules,
time zones, the collation base) and leaves out the charset converters (Python, not Qt, reads and
writes our files). About 9 MB remain. Windows builds use the system's ICU and never need this.

Needs ``icupkg`` (Debian/Ubuntu: icu-devtools) and a C compiler; without them, or if anything goes
wrong, :func:`slim_icudata` returns None and the spec keeps the original library.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

KEPT_LOCALES = ("root", "en", "zh")
_LOCALE = re.compile(r"^[a-z]{2,3}(_[A-Za-z0-9]*)*$")  # de__PHONEBOOK too
_MISSING = re.compile(r"depends on missing item (\S+)")
_ASSEMBLY = """\
    .section .rodata
    .globl {symbol}
    .type {symbol}, @object
    .balign 16
{symbol}:
    .incbin "{data}"
    .size {symbol}, . - {symbol}
    .section .note.GNU-stack,"",@progbits
"""


def removable(items: list[str]) -> list[str]:
    """The items of other locales' data and the charset converters."""
    out = []
    for item in items:
        stem, _, ext = item.rsplit("/", 1)[-1].rpartition(".")
        other_locale = ext == "res" and stem not in ("res_index", "pool") and bool(_LOCALE.match(stem)) \
            and not stem.startswith(KEPT_LOCALES)
        if ext == "cnv" or other_locale:
            out.append(item)
    return out


def _symbol(library: Path) -> tuple[str, int, int]:
    """(name, file offset, size) of the icudtNN_dat symbol."""
    out = subprocess.run(["nm", "-DS", "--defined-only", str(library)], capture_output=True, text=True,
                         check=True).stdout
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 4 and re.fullmatch(r"icudt\d+_dat", parts[3]):
            name, address, size = parts[3], int(parts[0], 16), int(parts[1], 16)
            break
    else:
        raise ValueError("no icudt*_dat symbol")
    headers = subprocess.run(["objdump", "-h", str(library)], capture_output=True, text=True, check=True).stdout
    for line in headers.splitlines():
        parts = line.split()
        if len(parts) >= 6 and parts[1] == ".rodata":
            vma, offset = int(parts[3], 16), int(parts[5], 16)
            return name, address - vma + offset, size
    raise ValueError("no .rodata section")


def slim_icudata(library: str | Path, workdir: str | Path) -> Path | None:
    """A slim copy of *library* (libicudata.so.NN) built in *workdir*, or None when it cannot be built."""
    library, workdir = Path(library), Path(workdir)
    tools = {name: shutil.which(name) for name in ("icupkg", "cc", "nm", "objdump", "strip")}
    if not all(tools.values()):
        print(f"slim_icu: missing {[n for n, t in tools.items() if not t]}; keeping the full ICU data")
        return None
    try:
        symbol, offset, size = _symbol(library)
        package = symbol.removesuffix("_dat") + "l"  # icudt73l: the item names' prefix inside the data
        workdir.mkdir(parents=True, exist_ok=True)
        (workdir / "full").mkdir(exist_ok=True)
        full = workdir / "full" / f"{package}.dat"  # icupkg wants the package's own file name
        with library.open("rb") as f:
            f.seek(offset)
            full.write_bytes(f.read(size))
        items = subprocess.run(["icupkg", "-l", str(full)], capture_output=True, text=True, check=True).stdout.split()
        remove = set(removable(items))
        out_dir = workdir / "out"
        out_dir.mkdir(exist_ok=True)
        slim = out_dir / f"{package}.dat"  # icupkg names the items after the output file: keep the name
        for _ in range(30):  # put back what a kept item depends on, until icupkg agrees
            listing = workdir / "remove.txt"
            listing.write_text("\n".join(sorted(remove)) + "\n", encoding="utf-8")
            slim.unlink(missing_ok=True)
            result = subprocess.run(["icupkg", "-r", str(listing), str(full), str(slim)], capture_output=True,
                                    text=True, check=False)
            missing = set(_MISSING.findall(result.stdout + result.stderr))
            if not missing and result.returncode == 0 and slim.is_file():
                break
            if not missing:
                raise RuntimeError(result.stderr.strip() or result.stdout.strip())
            remove -= missing
        else:
            raise RuntimeError("icupkg kept finding missing items")
        source = workdir / "icudata.S"
        source.write_text(_ASSEMBLY.format(symbol=symbol, data=slim.as_posix()), encoding="utf-8")
        target = workdir / library.name
        subprocess.run(["cc", "-shared", "-nostdlib", f"-Wl,-soname,{library.name}", "-o", str(target),
                        str(source)], check=True, capture_output=True)
        subprocess.run(["strip", str(target)], check=True)
        print(f"slim_icu: {library.name} {library.stat().st_size >> 20} MB -> {target.stat().st_size >> 20} MB "
              f"({len(remove)} of {len(items)} items left out)")
        return target
    except (OSError, ValueError, RuntimeError, subprocess.CalledProcessError) as exc:
        print(f"slim_icu: {exc}; keeping the full ICU data")
        return None
