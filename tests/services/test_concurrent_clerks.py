"""Issue 10 item 1: several clerks on one database (a PostgreSQL server, or one SQLite file) at once.

Numbering stays gap-free and unique (R11), and no clerk's save silently overwrites another's: a row saved by
someone else since it was read is refused with a clear Chinese message, and the other clerk's value stays.
Each test runs on SQLite and, when a test server is set, on PostgreSQL (the ``db`` fixture).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
from pg_server import BACKENDS_WITH_PG8000
from sqlalchemy import select, text

from remoteedu_desktop.data.database import Database, open_database
from remoteedu_desktop.data.models import AuditLog, CertificateSerial, Person
from remoteedu_desktop.errors import ConcurrentEditError
from remoteedu_desktop.services import certificate_numbers, people, person_views, site_views, units


@pytest.fixture(params=BACKENDS_WITH_PG8000)
def backend(request: pytest.FixtureRequest) -> str:
    """SQLite, PostgreSQL through psycopg, and PostgreSQL through pg8000 (the Windows bundle's driver)."""
    return str(request.param)


@pytest.fixture
def other_clerk(db: Database) -> Iterator[Database]:
    """A second program on the same database, as another clerk."""
    second = open_database(db.engine.url.render_as_string(hide_password=False), account="clerk2")
    yield second
    second.dispose()


def test_save_over_another_clerks_save_is_refused(db: Database, other_clerk: Database, office: object,
                                                   new_person: Callable[..., people.PersonInfo]) -> None:
    person = new_person(name="王芳", phone="13800001111")
    with db.session() as s:
        opened_by_clerk1 = person_views.person_detail(s, person.id)  # clerk1 opens the editor
    with other_clerk.session() as s:  # clerk2 opens, edits and saves first
        shown = person_views.person_detail(s, person.id)
        people.update_person(s, person.id, expected_version=shown.row_version, phone="13900002222")

    with pytest.raises(ConcurrentEditError) as caught, db.session() as s:
        people.update_person(s, person.id, expected_version=opened_by_clerk1.row_version, phone="13700003333")
    message = caught.value.text()
    assert "其他用户" in message and "未保存" in message and "王芳" in message
    with db.session() as s:
        assert s.get(Person, person.id).phone == "13900002222"  # clerk2's save stands
        accounts = s.scalars(select(AuditLog.account).where(AuditLog.field == "phone")).all()
    assert accounts == ["clerk2"]

    with db.session() as s:  # reopened, clerk1 can save
        fresh = person_views.person_detail(s, person.id)
        people.update_person(s, person.id, expected_version=fresh.row_version, phone="13700003333")


def test_site_editor_version_is_checked(db: Database, other_clerk: Database, office: object,
                                        new_village: Callable[..., units.UnitInfo]) -> None:
    site = new_village("上村")
    with db.session() as s:
        stale = site_views.site_detail(s, site.id).row_version
    with other_clerk.session() as s:
        units.update_unit(s, site.id, name="上村", address="村委会二楼", expected_version=stale)
    with pytest.raises(ConcurrentEditError, match="上村"), db.session() as s:
        units.update_unit(s, site.id, name="上村", address="村小学", expected_version=stale)
    with db.session() as s:
        assert site_views.site_detail(s, site.id).address == "村委会二楼"


def test_interleaved_flushes_lose_no_edit(db: Database, other_clerk: Database, office: object,
                                          new_person: Callable[..., people.PersonInfo]) -> None:
    """Two open transactions change the same person: the second to write is refused by the row version."""
    person = new_person(name="李强")
    with pytest.raises(ConcurrentEditError, match="未保存"), other_clerk.session() as s2:
        second = s2.get(Person, person.id)  # clerk2 has the person loaded …
        with db.session() as s1:  # … when clerk1 changes and saves it
            s1.get(Person, person.id).job_title = "村支书"
        second.notes = "新备注"  # clerk2's change goes out with the old row version: refused at commit
    with db.session() as s:
        saved = s.get(Person, person.id)
        assert (saved.job_title, saved.notes) == ("村支书", None)


def test_lock_wait_ends_with_a_clear_message(db: Database, other_clerk: Database, office: object,
                                             new_person: Callable[..., people.PersonInfo]) -> None:
    """A clerk whose save waits on another's long transaction (an import) gets "busy", not a frozen window."""
    person = new_person(name="赵敏")
    holder = db.factory()
    try:
        people.update_person(holder, person.id, job_title="文书")  # flushed: holds the write lock
        with pytest.raises(ConcurrentEditError, match="数据库正忙"), other_clerk.session() as s:
            if db.engine.dialect.name == "sqlite":
                s.execute(text("PRAGMA busy_timeout = 200"))
            else:
                s.execute(text("SET LOCAL lock_timeout = '200ms'"))
            people.update_person(s, person.id, notes="等待")
    finally:
        holder.rollback()
        holder.close()


def test_simultaneous_certificate_numbers_are_unique_and_gap_free(db: Database, other_clerk: Database,
                                                                  office: object) -> None:
    """R11: eight clerks taking numbers at once get 1…N exactly, each once."""
    taken: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def clerk(database: Database) -> None:
        try:
            for _ in range(5):
                with database.session() as s:
                    serial = certificate_numbers.next_serial(s, "on_duty", 2026)
                with lock:
                    taken.append(serial)
        except BaseException as exc:  # reported below: a thread's failure must fail the test
            errors.append(exc)

    threads = [threading.Thread(target=clerk, args=(db if i % 2 else other_clerk,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert sorted(taken) == list(range(1, 41))
    with db.session() as s:
        assert s.scalar(select(CertificateSerial.last_serial).where(CertificateSerial.kind == "on_duty")) == 40
