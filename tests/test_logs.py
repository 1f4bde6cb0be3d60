"""The log file (issue 9, item 4): in the data folder, rotated, and never holding an ID number or a phone."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from remoteedu_desktop import logs

ID_NUMBER = "36049919800517001X"
PHONE = "13812345678"


@pytest.fixture
def logged(tmp_path: Path) -> Iterator[Path]:
    level = logging.getLogger().level
    yield tmp_path
    logs.shutdown_logging()
    logging.getLogger().setLevel(level)


def test_setup_writes_utf8_to_the_data_folder(logged: Path) -> None:
    path = logs.setup_logging(logged)
    assert path == logged / "logs" / "remoteedu.log"
    logging.getLogger("remoteedu_desktop.test").info("已导入 %d 人", 3)
    logs.shutdown_logging()
    text = path.read_text(encoding="utf-8")
    assert "INFO remoteedu_desktop.test" in text and "已导入 3 人" in text


def test_setting_up_twice_keeps_one_handler(logged: Path) -> None:
    logs.setup_logging(logged)
    logs.setup_logging(logged)
    logging.getLogger("x").warning("once")
    logs.shutdown_logging()
    assert (logged / "logs" / "remoteedu.log").read_text(encoding="utf-8").count("once") == 1


def test_rotation_keeps_a_bounded_number_of_files(logged: Path) -> None:
    logs.setup_logging(logged, max_bytes=2000, backup_count=3)
    for n in range(400):
        logging.getLogger("bulk").info("line %04d %s", n, "x" * 40)
    files = logs.log_files(logged)
    assert [f.name for f in files] == ["remoteedu.log", "remoteedu.log.1", "remoteedu.log.2", "remoteedu.log.3"]
    assert all(f.stat().st_size <= 2000 for f in files)
    logs.shutdown_logging()
    assert "line 0399" in files[0].read_text(encoding="utf-8")
    assert "line 0000" not in "".join(f.read_text(encoding="utf-8") for f in files)  # the oldest rotated away


def test_mask_personal_data() -> None:
    assert logs.mask_personal_data(f"身份证 {ID_NUMBER}，电话{PHONE}。") == "身份证 360499********001X，电话138****5678。"
    assert logs.mask_personal_data("360499198005170013") == "360499********0013"
    # unit codes (6/9/12 digits), counts and dates are left alone
    for text in ("360499100201", "360499100", "2026-06-30", "共 12345678901234567890 行"):
        assert logs.mask_personal_data(text) == text


def test_the_log_file_never_holds_an_id_number_or_a_phone(logged: Path) -> None:
    path = logs.setup_logging(logged)
    log = logging.getLogger("remoteedu_desktop.people")
    log.info("added person %s phone %s", ID_NUMBER, PHONE)
    log.warning(f"duplicate {ID_NUMBER}")
    try:
        raise ValueError(f"bad id {ID_NUMBER} / {PHONE}")
    except ValueError:
        log.exception("import failed")
    logs.shutdown_logging()
    text = path.read_text(encoding="utf-8")
    assert "360499********001X" in text and "138****5678" in text and "Traceback" in text
    assert ID_NUMBER not in text and PHONE not in text


def test_filter_keeps_a_record_with_a_bad_format_string() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "%d people " + PHONE, ("not a number",), None)
    assert logs.PersonalDataFilter().filter(record)
    assert record.getMessage() == "%d people 138****5678"
