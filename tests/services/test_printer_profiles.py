"""Printer calibration profiles (R11): one JSON file per PC, atomic, range-checked, a damaged file refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from remoteedu_desktop.errors import ValidationError
from remoteedu_desktop.printing.certificate_render import Calibration
from remoteedu_desktop.services.printer_profiles import (
    PrinterProfile,
    delete_profile,
    from_measurements,
    load_profiles,
    profile_for,
    profiles_path,
    save_profile,
)
from remoteedu_desktop.sync import safe_write


def test_profiles_round_trip_through_the_file_in_the_data_dir(_isolated_home: Path) -> None:
    assert load_profiles() == {}
    save_profile(PrinterProfile("HP LaserJet 1020", dx_mm=1.5, dy_mm=-2.25, sx=1.0, sy=0.995))
    save_profile(PrinterProfile("默认打印机", dx_mm=-0.5))
    assert profiles_path() == _isolated_home / "printer_profiles.json"
    assert profiles_path().exists()
    # no temporary file left beside it
    assert [p.name for p in _isolated_home.iterdir() if p.name.startswith(".printer_profiles")] == []
    loaded = load_profiles()
    assert set(loaded) == {"HP LaserJet 1020", "默认打印机"}
    hp = loaded["HP LaserJet 1020"]
    assert (hp.dx_mm, hp.dy_mm, hp.sx, hp.sy) == (1.5, -2.25, 1.0, 0.995)
    assert hp.calibration == Calibration(1.5, -2.25, 1.0, 0.995)
    assert "默认打印机" in profiles_path().read_text(encoding="utf-8")  # readable Chinese, not \u escapes

    save_profile(PrinterProfile("默认打印机", dx_mm=3.0, sy=1.01))  # replaces, the other one stays
    assert profile_for("默认打印机").dx_mm == 3.0
    assert profile_for("HP LaserJet 1020").dy_mm == -2.25

    assert delete_profile("默认打印机") is True
    assert delete_profile("默认打印机") is False
    assert set(load_profiles()) == {"HP LaserJet 1020"}


def test_an_uncalibrated_printer_gets_the_identity() -> None:
    profile = profile_for("新打印机")
    assert profile.printer == "新打印机"
    assert profile.is_identity and profile.calibration.is_identity


@pytest.mark.parametrize(("kwargs", "words"), [
    ({"dx_mm": 30.5}, "水平偏移"),
    ({"dy_mm": -31}, "垂直偏移"),
    ({"sx": 0.89}, "水平缩放"),
    ({"sy": 1.2}, "垂直缩放"),
    ({"dx_mm": float("nan")}, "水平偏移"),
])
def test_out_of_range_values_are_refused_in_chinese(kwargs: dict[str, float], words: str) -> None:
    with pytest.raises(ValidationError) as err:
        PrinterProfile("打印机甲", **kwargs)
    assert words in err.value.text() and "超出范围" in err.value.text() and "打印机甲" in err.value.text()
    assert not profiles_path().exists()


def test_limits_themselves_are_allowed() -> None:
    save_profile(PrinterProfile("边界", dx_mm=30, dy_mm=-30, sx=0.9, sy=1.1))
    assert profile_for("边界").sy == 1.1


def test_an_empty_printer_name_is_refused() -> None:
    with pytest.raises(ValidationError, match="打印机名称不能为空"):
        PrinterProfile("   ")


@pytest.mark.parametrize("content", [
    "{not json",
    "[]",
    json.dumps({"version": 1, "profiles": {"甲": {"dx_mm": "abc"}}}),
    json.dumps({"version": 1, "profiles": {"甲": {"dx_mm": 99}}}),
    json.dumps({"version": 1, "profiles": {"甲": 5}}),
    json.dumps({"version": 99, "profiles": {}}),
])
def test_a_damaged_file_gives_a_clear_chinese_error_and_is_not_overwritten(content: str) -> None:
    path = profiles_path()
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        load_profiles()
    assert "打印机校准文件已损坏" in err.value.text() and str(path) in err.value.text()
    with pytest.raises(ValidationError):
        save_profile(PrinterProfile("乙"))
    assert path.read_text(encoding="utf-8") == content  # the clerk's file is never silently replaced


def test_a_failed_write_keeps_the_old_file(monkeypatch: pytest.MonkeyPatch) -> None:
    save_profile(PrinterProfile("甲", dx_mm=1))
    before = profiles_path().read_text(encoding="utf-8")

    def boom(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(safe_write.os, "replace", boom)
    with pytest.raises(OSError):
        save_profile(PrinterProfile("乙", dx_mm=2))
    assert profiles_path().read_text(encoding="utf-8") == before
    assert [p.name for p in profiles_path().parent.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize(("k", "e"), [(1.0, 1.8), (1.0, -2.4), (1.006, 0.7), (0.994, -1.3)])
def test_from_measurements_makes_the_crosshairs_land_on_their_coordinates(k: float, e: float) -> None:
    """A printer that puts a drawn position p at k·p + e: measure the calibration page printed without
    correction, compute the profile, and every point of the template then lands within 0.05 mm."""
    width, height, margin = 297.0, 210.0, 20.0

    def paper(cal: Calibration, x: float) -> float:  # where template position x ends up on paper
        return k * (x * cal.sx + cal.dx_mm) + e

    start = PrinterProfile("甲")
    measured_left = paper(start.calibration, margin)
    measured_across = paper(start.calibration, width - margin) - measured_left
    measured_top = paper(start.calibration, margin)
    measured_down = paper(start.calibration, height - margin) - measured_top
    fixed = from_measurements(start, width_mm=width, height_mm=height, left_mm=measured_left,
                              top_mm=measured_top, across_mm=measured_across, down_mm=measured_down)
    for x in (0.0, 20.0, 148.5, 277.0):
        assert paper(fixed.calibration, x) == pytest.approx(x, abs=0.05)
    if k == 1.0:  # a pure shift: the correction is the opposite of the measured error, scale untouched
        assert fixed.dx_mm == pytest.approx(-e) and fixed.sx == 1.0

    # measured again on a page printed with the first correction: a second round changes (almost) nothing
    again = from_measurements(fixed, width_mm=width, height_mm=height,
                              left_mm=paper(fixed.calibration, margin), top_mm=paper(fixed.calibration, margin),
                              across_mm=paper(fixed.calibration, width - margin) - paper(fixed.calibration, margin),
                              down_mm=None)
    assert again.dx_mm == pytest.approx(fixed.dx_mm, abs=0.02) and again.sx == pytest.approx(fixed.sx, abs=1e-4)


def test_from_measurements_refuses_a_zero_distance() -> None:
    with pytest.raises(ValidationError, match="必须大于 0"):
        from_measurements(PrinterProfile("甲"), width_mm=297, height_mm=210, left_mm=20, top_mm=20, across_mm=0)
