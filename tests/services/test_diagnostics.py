"""The diagnostic zip (issue 9, item 4): logs, versions, settings, schema revision and row counts; no personal data."""

from __future__ import annotations

import json
import logging
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from remoteedu_desktop import logs, paths
from remoteedu_desktop.data.database import Database
from remoteedu_desktop.data.migrate import head_revision
from remoteedu_desktop.services import diagnostics, offices, people

NAME = "欧阳晓梅"
PHONE = "13912345678"


@pytest.fixture
def logged() -> Iterator[Path]:
    level = logging.getLogger().level
    yield logs.setup_logging(paths.data_dir())
    logs.shutdown_logging()
    logging.getLogger().setLevel(level)


def _contents(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def test_zip_holds_logs_versions_settings_and_counts(db: Database, office: offices.OfficeInfo,
                                                     new_person: Callable[..., people.PersonInfo],
                                                     logged: Path, tmp_path: Path) -> None:
    new_person(name="李四")
    logging.getLogger("remoteedu_desktop.test").error("something broke")
    with db.session() as s:
        info = diagnostics.write_diagnostics(tmp_path / "out" / "diag.zip", s, data_dir=paths.data_dir(),
                                             settings={"ui/language": "zh_CN", "geometry": b"\x01\x02"},
                                             extra_versions={"Qt": "6.x"})
    files = _contents(info.path)
    assert set(files) == {"info.json", "settings.json", "logs/remoteedu.log"} == set(info.files)
    data = json.loads(files["info.json"])
    assert data["versions"]["Qt"] == "6.x"
    for name in ("RemoteEdu Desktop", "Python", "PySide6", "SQLAlchemy", "reportlab"):
        assert data["versions"][name] not in ("", "-"), name
    assert data["system"]["system"]
    assert data["database"]["schema_revision"] == head_revision()
    assert data["database"]["row_counts"]["person"] == 1
    assert data["database"]["office_code"] == "360499100"
    assert json.loads(files["settings.json"]) == {"ui/language": "zh_CN", "geometry": "<2 bytes>"}
    assert "something broke" in files["logs/remoteedu.log"]
    assert not any(name.endswith((".sqlite3", ".db")) for name in files)  # never the database
    assert not (tmp_path / "out" / "diag.zip.part").exists()


def test_no_personal_data_in_any_file(db: Database, office: offices.OfficeInfo,
                                      new_person: Callable[..., people.PersonInfo], logged: Path,
                                      tmp_path: Path) -> None:
    person = new_person(name=NAME, phone=PHONE)
    with db.session() as s:
        id_number = people.get_person(s, person.id).id_number
    assert len(id_number) == 18
    # A careless log line: the name is not caught by the log filter, the zip must still drop it.
    log = logging.getLogger("remoteedu_desktop.people")
    log.info("saved %s", NAME)
    log.info("phone %s id %s", PHONE, id_number)
    logs.shutdown_logging()
    with db.session() as s:
        info = diagnostics.write_diagnostics(tmp_path / "diag.zip", s, data_dir=paths.data_dir(),
                                             settings={"last_search": f"{NAME} {id_number}"})
    files = _contents(info.path)
    assert "logs/remoteedu.log" in files and "saved ＊＊" in files["logs/remoteedu.log"]
    raw = info.path.read_bytes()
    for text in files.values():
        for secret in (NAME, id_number, id_number[6:14], PHONE):
            assert secret not in text
    assert NAME.encode() not in raw  # nor stored uncompressed anywhere in the archive


def test_without_a_database(tmp_path: Path) -> None:
    info = diagnostics.write_diagnostics(tmp_path / "d.zip", None, data_dir=tmp_path)
    data = json.loads(_contents(info.path)["info.json"])
    assert data["database"] == {"error": "database not open"}
    assert info.files == ("info.json", "settings.json")


def test_versions_without_distribution_metadata(monkeypatch: pytest.MonkeyPatch) -> None:
    """In a bundle without dist-info, the modules' own version attributes are reported."""
    def missing(name: str) -> str:
        raise diagnostics.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(diagnostics.metadata, "version", missing)
    found = diagnostics.versions()
    import reportlab
    import sqlalchemy

    assert found["SQLAlchemy"] == sqlalchemy.__version__ and found["reportlab"] == reportlab.Version
