"""Per-printer calibration profiles (R11, issue 5 § print calibration).

A profile belongs to this PC, not to the office database: the same printer name on two PCs is two
different machines with two different paper paths. It is kept as JSON in
``paths.data_dir()/printer_profiles.json``::

    {"version": 1, "profiles": {"HP LaserJet": {"dx_mm": 1.5, "dy_mm": -0.5, "sx": 1.0, "sy": 0.998}}}

Offsets are in mm (positive: the print lands further right / further down than the template says it
should, so the renderer moves it back by ``x * sx + dx``), scales are factors near 1. The file is
written atomically (a temporary file, then ``os.replace``) so a crash never leaves half a file; a
damaged file is refused with a Chinese message that names it, and never silently replaced.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import paths
from ..errors import ValidationError
from ..printing.certificate_render import Calibration
from ..sync.safe_write import write_file_safely

FILENAME = "printer_profiles.json"
FILE_VERSION = 1
MAX_OFFSET_MM = 30.0
MIN_SCALE, MAX_SCALE = 0.9, 1.1
MAX_NAME = 200


def profiles_path() -> Path:
    return paths.data_dir() / FILENAME


@dataclass(frozen=True)
class PrinterProfile:
    """Where this printer really puts the paper: the correction applied before printing."""

    printer: str
    dx_mm: float = 0.0
    dy_mm: float = 0.0
    sx: float = 1.0
    sy: float = 1.0

    def __post_init__(self) -> None:
        name = (self.printer or "").strip()
        if not name:
            raise ValidationError("打印机名称不能为空", field="打印机")
        if len(name) > MAX_NAME:
            raise ValidationError(f"打印机名称太长（最多 {MAX_NAME} 个字符）", field="打印机")
        object.__setattr__(self, "printer", name)
        for label, value in (("水平偏移", self.dx_mm), ("垂直偏移", self.dy_mm)):
            if not isinstance(value, (int, float)) or not math.isfinite(value) or abs(value) > MAX_OFFSET_MM:
                raise ValidationError(
                    f"打印机“{name}”的{label} {value} mm 超出范围（-{MAX_OFFSET_MM:g} 至 {MAX_OFFSET_MM:g} mm）",
                    field=label, rule="R11")
        for label, value in (("水平缩放", self.sx), ("垂直缩放", self.sy)):
            if not isinstance(value, (int, float)) or not math.isfinite(value) \
                    or not (MIN_SCALE <= value <= MAX_SCALE):
                raise ValidationError(
                    f"打印机“{name}”的{label} {value} 超出范围（{MIN_SCALE:g} 至 {MAX_SCALE:g}）",
                    field=label, rule="R11")
        for attr in ("dx_mm", "dy_mm", "sx", "sy"):
            object.__setattr__(self, attr, float(getattr(self, attr)))

    @property
    def calibration(self) -> Calibration:
        return Calibration(dx_mm=self.dx_mm, dy_mm=self.dy_mm, sx=self.sx, sy=self.sy)

    @property
    def is_identity(self) -> bool:
        return self.calibration.is_identity

    def to_dict(self) -> dict[str, float]:
        return {"dx_mm": self.dx_mm, "dy_mm": self.dy_mm, "sx": self.sx, "sy": self.sy}


def from_measurements(current: PrinterProfile, *, width_mm: float, height_mm: float,
                      left_mm: float, top_mm: float, across_mm: float | None = None,
                      down_mm: float | None = None, margin_mm: float = 20.0) -> PrinterProfile:
    """The corrected profile from a ruler on the calibration page printed with *current*.

    *left_mm*/*top_mm*: the top-left crosshair's centre (drawn at ``margin_mm``, ``margin_mm``) measured
    from the paper's left and top edges; *across_mm*/*down_mm*: the measured distance between the left
    and right crosshairs (drawn ``width_mm - 2·margin`` apart) and between the top and bottom ones.
    The printer maps a drawn position ``p`` to ``k·p + e`` on paper; the page was drawn with
    ``x·sx0 + dx0``. The new correction makes ``k·(x·sx + dx) + e = x``: ``sx = sx0/r`` and
    ``dx = dx0 − (measured − r·margin)·sx0/r`` with ``r = measured distance / nominal distance``.
    """
    def axis(s0: float, d0: float, measured: float, span_nominal: float, span_measured: float | None,
             label: str) -> tuple[float, float]:
        if span_measured is not None and span_measured <= 0:
            raise ValidationError(f"量得的{label}距离必须大于 0", field=label)
        r = (span_measured / span_nominal) if span_measured else 1.0
        scale = s0 / r
        offset = d0 - (measured - r * margin_mm) * s0 / r
        return round(scale, 4), round(offset, 2)

    sx, dx = axis(current.sx, current.dx_mm, left_mm, width_mm - 2 * margin_mm, across_mm, "左右十字间")
    sy, dy = axis(current.sy, current.dy_mm, top_mm, height_mm - 2 * margin_mm, down_mm, "上下十字间")
    return PrinterProfile(current.printer, dx_mm=dx, dy_mm=dy, sx=sx, sy=sy)


def _damaged(path: Path, why: str) -> ValidationError:
    return ValidationError(f"打印机校准文件已损坏（{why}）。请修复或删除该文件后重新校准。",
                           field="打印机校准", where=str(path))


def load_profiles() -> dict[str, PrinterProfile]:
    """Every saved profile by printer name; ``{}`` when none was saved yet. A damaged file raises."""
    path = profiles_path()
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise _damaged(path, f"无法读取：{exc}") from exc
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise _damaged(path, f"不是有效的 JSON：第 {getattr(exc, 'lineno', '?')} 行") from exc
    if not isinstance(data, dict) or not isinstance(data.get("profiles"), dict):
        raise _damaged(path, "缺少 profiles")
    version = data.get("version", FILE_VERSION)
    if not isinstance(version, int) or version > FILE_VERSION:
        raise _damaged(path, f"版本“{version}”不是本程序能读的（由更新版本的程序写入？）")
    out: dict[str, PrinterProfile] = {}
    for name, values in data["profiles"].items():
        if not isinstance(values, dict):
            raise _damaged(path, f"打印机“{name}”的数据格式不对")
        try:
            profile = PrinterProfile(printer=name, **_numbers(values))
        except (TypeError, ValueError) as exc:
            why = exc.text() if isinstance(exc, ValidationError) else str(exc)
            raise _damaged(path, f"打印机“{name}”：{why}") from exc
        out[profile.printer] = profile
    return out


def _numbers(values: dict[str, Any]) -> dict[str, float]:
    known = ("dx_mm", "dy_mm", "sx", "sy")
    out: dict[str, float] = {}
    for key in known:
        if key in values:
            value = values[key]
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"{key} 不是数字")
            out[key] = float(value)
    return out


def _write(profiles: dict[str, PrinterProfile]) -> None:
    path = profiles_path()
    data = {"version": FILE_VERSION,
            "profiles": {name: profiles[name].to_dict() for name in sorted(profiles)}}
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    write_file_safely(path, text.encode("utf-8"), overwrite=True)


def save_profile(profile: PrinterProfile) -> None:
    """Add or replace the profile of ``profile.printer`` (the other printers' profiles stay)."""
    profiles = load_profiles()
    profiles[profile.printer] = profile
    _write(profiles)


def delete_profile(printer: str) -> bool:
    """Forget *printer*'s profile; False when it had none."""
    profiles = load_profiles()
    if profiles.pop(printer.strip(), None) is None:
        return False
    _write(profiles)
    return True


def profile_for(printer: str) -> PrinterProfile:
    """The saved profile of *printer*, or the identity (no correction) when it was never calibrated."""
    return load_profiles().get(printer.strip()) or PrinterProfile(printer=printer)


__all__ = ["FILENAME", "MAX_OFFSET_MM", "MAX_SCALE", "MIN_SCALE", "PrinterProfile", "delete_profile", "from_measurements",
           "load_profiles", "profile_for", "profiles_path", "save_profile"]
