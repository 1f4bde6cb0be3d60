"""The program's log file (issue 9, item 4): ``logs/remoteedu.log`` in the data folder, rotated.

Set up once at start (:func:`setup_logging`). The log never holds personal data: every record passes
:class:`PersonalDataFilter`, which masks 18-character ID numbers and 11-digit mobile numbers before the
line is written, whatever the code that logged it put in the message or its arguments.
"""

from __future__ import annotations

import logging
import re
from logging.handlers import RotatingFileHandler
from pathlib import Path

LOG_DIRNAME = "logs"
LOG_FILENAME = "remoteedu.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"

#: 17 digits + digit or X (GB 11643), not inside a longer run of digits.
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[0-9Xx])(?![0-9A-Za-z])")
#: A mainland mobile number: 1, then 3–9, then 9 digits, not inside a longer run of digits.
_PHONE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")

_handler: RotatingFileHandler | None = None


def mask_personal_data(text: str) -> str:
    """The text with ID numbers shown as ``360499********123X`` and phones as ``138****5678``."""
    text = _ID_NUMBER.sub(lambda m: f"{m.group(1)}{'*' * 8}{m.group(2)}", text)
    return _PHONE.sub(lambda m: f"{m.group(1)}****{m.group(2)}", text)


class PersonalDataFilter(logging.Filter):
    """Masks ID numbers and phone numbers in the record's message (and in its traceback text)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: keep what there is rather than lose the record
            message = str(record.msg)
        record.msg = mask_personal_data(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_personal_data(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_personal_data(record.stack_info)
        return True


def log_dir(data_dir: Path) -> Path:
    return data_dir / LOG_DIRNAME


def log_files(data_dir: Path) -> list[Path]:
    """The current log file and its rotated predecessors that exist, newest first."""
    base = log_dir(data_dir) / LOG_FILENAME
    candidates = [base] + [base.with_name(f"{LOG_FILENAME}.{n}") for n in range(1, BACKUP_COUNT + 1)]
    return [p for p in candidates if p.is_file()]


def setup_logging(data_dir: Path, *, level: int = logging.INFO, max_bytes: int = MAX_BYTES,
                  backup_count: int = BACKUP_COUNT) -> Path:
    """Send the root logger to ``<data_dir>/logs/remoteedu.log`` (UTF-8, rotated); return the file.

    Calling it again (another data folder, a test) replaces the handler this module installed."""
    global _handler
    folder = log_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_FILENAME
    root = logging.getLogger()
    if _handler is not None:
        root.removeHandler(_handler)
        _handler.close()
    handler = RotatingFileHandler(path, maxBytes=max_bytes, backupCount=backup_count, encoding="utf-8")
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(PersonalDataFilter())
    root.addHandler(handler)
    root.setLevel(level)
    _handler = handler
    logging.captureWarnings(True)
    return path


def shutdown_logging() -> None:
    """Close the log file (tests, and before a restore replaces the data folder)."""
    global _handler
    if _handler is not None:
        logging.getLogger().removeHandler(_handler)
        _handler.close()
        _handler = None
