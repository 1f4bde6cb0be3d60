"""Accounts, roles and login (services/accounts.py, issue 10 item 5).

Hashes made here use a tiny scrypt cost passed through ``cost=`` (the default is never lowered); the
default's format and memory are checked once. Lock-out timing uses an injected ``now``.
"""

from __future__ import annotations

import base64
import datetime as dt
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from remoteedu_desktop.data.database import Database
from remoteedu_desktop.data.models import Account, AuditLog
from remoteedu_desktop.errors import ValidationError
from remoteedu_desktop.services import accounts as acc
from remoteedu_desktop.services import people
from remoteedu_desktop.services.personnel_file import personnel_file_data
from remoteedu_desktop.services.staff_export import export_roster

FAST = acc.KdfCost(n=2**4, r=8, p=1)
T0 = dt.datetime(2026, 6, 30, 8, 0, 0)
PASSWORD = "correct horse"


@pytest.fixture(autouse=True)
def _fresh_unknown_names() -> Iterator[None]:
    acc.forget_unknown_names()
    yield
    acc.forget_unknown_names()


@pytest.fixture
def add(db: Database) -> Callable[..., acc.AccountInfo]:
    """Create an account (as the current session user) with the fast cost."""
    def make(username: str, role: str = "clerk", display: str | None = None, password: str = PASSWORD
             ) -> acc.AccountInfo:
        with db.session() as s:
            return acc.create_account(s, username, display or username, role, password, cost=FAST)
    return make


@pytest.fixture
def office_with_accounts(db: Database, add: Callable[..., acc.AccountInfo]) -> Database:
    """head (office head, created by the office itself) and zhang (张三, clerk, created by head)."""
    add("head", "office_head", "王主任")
    db.use_account("head")
    add("zhang", "clerk", "张三")
    return db


def log_in(db: Database, username: str, password: str = PASSWORD, now: dt.datetime = T0) -> acc.LoginResult:
    with db.session() as s:
        result = acc.login(s, username, password, now=now, cost=FAST)
    if result.account is not None:
        db.use_account(result.account.username)
    return result


# --- hashing -------------------------------------------------------------------------------------------

def test_default_hash_is_scrypt_with_at_least_16_mb_and_a_16_byte_salt() -> None:
    assert acc.DEFAULT_COST.memory >= 16 * 2**20
    stored = acc.hash_password(PASSWORD)  # the real cost, once
    scheme, n, r, p, salt, key = stored.split("$")
    assert (scheme, n, r, p) == ("scrypt", str(2**15), "8", "1")
    assert len(base64.b64decode(salt)) == 16 and len(base64.b64decode(key)) == 32
    assert len(stored) <= 200  # fits account.password_hash
    assert acc.verify_password(PASSWORD, stored)
    assert not acc.verify_password(PASSWORD + "x", stored)
    assert not acc.needs_rehash(stored)


def test_same_password_gives_different_hashes_and_malformed_hashes_never_verify() -> None:
    a, b = acc.hash_password(PASSWORD, cost=FAST), acc.hash_password(PASSWORD, cost=FAST)
    assert a != b and acc.verify_password(PASSWORD, a) and acc.verify_password(PASSWORD, b)
    for bad in (None, "", "plain", "md5$1$2$3$aa$bb", a.replace("scrypt$16$", "scrypt$15$"), a + "!"):
        assert not acc.verify_password(PASSWORD, bad)
    # a full-width password typed with a Chinese input method is the same password
    assert acc.verify_password("ｃｏｒｒｅｃｔ　ｈｏｒｓｅ", a)


def test_password_rules_say_what_is_wrong_in_chinese() -> None:
    with pytest.raises(ValidationError) as exc:
        acc.check_password_rules("1234567")
    assert exc.value.text() == "【密码】密码至少需要 8 个字符（现在 7 个）"
    with pytest.raises(ValidationError, match="不能与用户名相同"):
        acc.check_password_rules("zhangsan1", username="ZhangSan1")
    acc.check_password_rules("12345678")


def test_an_older_cheaper_hash_is_upgraded_at_the_next_login(db: Database, add: Callable[..., acc.AccountInfo]
                                                          ) -> None:
    add("head", "office_head")
    higher = acc.KdfCost(n=2**5, r=8, p=1)
    with db.session() as s:
        result = acc.login(s, "head", PASSWORD, now=T0, cost=higher)
    assert result.ok
    with db.session() as s:
        stored = s.scalar(select(Account.password_hash).where(Account.username == "head"))
    assert stored is not None and stored.startswith("scrypt$32$8$1$")
    assert acc.verify_password(PASSWORD, stored)


# --- login and lock-out --------------------------------------------------------------------------------

def test_login_is_optional_until_an_active_account_exists(db: Database, add: Callable[..., acc.AccountInfo]
                                                         ) -> None:
    with db.session() as s:
        assert not acc.login_required(s)
        assert acc.require_role(s, "county_admin", "任何事") is None  # the single user is the office
    add("head", "office_head", "王主任")
    with db.session() as s:
        assert acc.login_required(s)
        assert acc.current_account(s) is None  # not logged in yet


def test_login_succeeds_and_the_account_is_on_every_new_session(office_with_accounts: Database) -> None:
    db = office_with_accounts
    result = log_in(db, "ZHANG ")  # names are matched without case and surrounding spaces
    assert result.ok and result.message == ""
    assert result.require().text() == "张三（办事员）"
    with db.session() as s:
        current = acc.current_account(s)
    assert current is not None and current.username == "zhang"
    assert db.account == "zhang"


def test_five_wrong_passwords_lock_for_15_minutes_and_say_until_when(office_with_accounts: Database) -> None:
    db = office_with_accounts
    for n in range(1, 5):
        result = log_in(db, "zhang", "wrong password", now=T0 + dt.timedelta(seconds=n))
        assert not result.ok and result.tries_left == 5 - n
        assert f"用户名或密码不正确，还可以再试 {5 - n} 次" in result.message
    fifth = log_in(db, "zhang", "wrong password", now=T0 + dt.timedelta(seconds=5))
    assert fifth.tries_left == 0 and fifth.locked_until == T0 + dt.timedelta(seconds=5, minutes=15)
    assert "账户已锁定" in fifth.message and "约 15 分钟后" in fifth.message
    # locked: even the right password is refused, and the lock does not grow
    later = log_in(db, "zhang", PASSWORD, now=T0 + dt.timedelta(minutes=10))
    assert not later.ok and "账户已锁定" in later.message and "约 6 分钟后" in later.message
    assert later.locked_until == fifth.locked_until
    with pytest.raises(acc.LoginRefused, match="账户已锁定"):
        later.require()
    with db.session() as s:
        assert acc.get_account(s, "zhang").locked(T0 + dt.timedelta(minutes=10))
    # after the 15 minutes the right password works, and a wrong one starts a fresh count
    assert log_in(db, "zhang", "wrong", now=T0 + dt.timedelta(minutes=16)).tries_left != 0
    ok = log_in(db, "zhang", PASSWORD, now=T0 + dt.timedelta(minutes=16, seconds=1))
    assert ok.ok
    with db.session() as s:
        info = acc.get_account(s, "zhang")
    assert info.failed_attempts == 0 and info.locked_until is None


def test_a_success_resets_the_count_of_failures(office_with_accounts: Database) -> None:
    db = office_with_accounts
    for n in range(4):
        log_in(db, "zhang", "wrong password", now=T0 + dt.timedelta(seconds=n))
    assert log_in(db, "zhang", PASSWORD, now=T0 + dt.timedelta(seconds=5)).ok
    result = log_in(db, "zhang", "wrong password", now=T0 + dt.timedelta(seconds=6))
    assert result.tries_left == 4  # a fresh series, not locked


def test_unknown_user_gets_the_same_messages_as_a_wrong_password(office_with_accounts: Database) -> None:
    db = office_with_accounts
    for n in range(6):
        now = T0 + dt.timedelta(seconds=n)
        known = log_in(db, "zhang", "wrong password", now=now)
        unknown = log_in(db, "nobody", "wrong password", now=now)
        assert (known.message, known.tries_left, known.locked_until) == \
            (unknown.message, unknown.tries_left, unknown.locked_until)


def test_unknown_user_still_costs_the_kdf_time(office_with_accounts: Database) -> None:
    db = office_with_accounts
    cost = acc.KdfCost(n=2**13, r=8, p=1)  # about 40 ms: far above a lookup without the KDF
    stored = acc.hash_password(PASSWORD, cost=cost)

    def timed(fn: Callable[[], object]) -> float:
        start = time.perf_counter()
        fn()
        return time.perf_counter() - start

    kdf, unknown = [], []
    with db.session() as s:
        for _ in range(5):  # interleaved, best of five: a busy machine slows both alike
            kdf.append(timed(lambda: acc.verify_password("x", stored)))
            unknown.append(timed(lambda: acc.login(s, "nobody", "x", now=T0, cost=cost)))
    # without the KDF an unknown name would answer in about a millisecond
    assert min(unknown) >= 0.4 * min(kdf), (unknown, kdf)


def test_a_deactivated_account_cannot_log_in(office_with_accounts: Database) -> None:
    db = office_with_accounts
    with db.session() as s:
        acc.set_active(s, "zhang", False)
    db.use_account(None)
    result = log_in(db, "zhang", PASSWORD)
    assert not result.ok and "已停用" in result.message
    wrong = log_in(db, "zhang", "wrong password")
    assert "已停用" not in wrong.message  # only someone who knows the password learns it


def test_empty_user_name_is_refused_without_a_count(office_with_accounts: Database) -> None:
    result = log_in(office_with_accounts, "  ", PASSWORD)
    assert not result.ok and result.message == "请输入用户名"


# --- roles ---------------------------------------------------------------------------------------------

def test_require_role_refuses_with_the_role_and_the_account(office_with_accounts: Database) -> None:
    db = office_with_accounts
    log_in(db, "zhang")
    with db.session() as s:
        with pytest.raises(acc.PermissionRefused) as exc:
            acc.require_role(s, "office_head", "导出完整身份证号码")
        assert exc.value.text() == "导出完整身份证号码需要“办公室负责人”权限，当前账户：张三（办事员）"
        assert acc.permission_refusal(s, "clerk", "查看") is None
        zhang = acc.current_account(s)
    assert zhang is not None and not zhang.may("office_head") and zhang.may("clerk")
    log_in(db, "head")
    with db.session() as s:
        head = acc.require_role(s, "office_head", "导出完整身份证号码")
        assert head is not None and head.username == "head"
        assert "需要“县级管理员”权限，当前账户：王主任（办公室负责人）" in str(
            acc.permission_refusal(s, "county_admin", "新建县级管理员账户"))


def test_the_os_user_name_is_not_a_login(office_with_accounts: Database) -> None:
    """A session whose account merely equals an account's name (the OS user) is not logged in."""
    db = office_with_accounts
    db.factory.configure(info={"account": "head"})  # what make_session_factory does with the OS user
    with db.session() as s:
        assert acc.current_account(s) is None
        with pytest.raises(acc.PermissionRefused, match="当前没有登录账户"):
            acc.require_role(s, "office_head", "导出完整身份证号码")


def test_first_account_must_be_able_to_manage(db: Database, add: Callable[..., acc.AccountInfo]) -> None:
    with pytest.raises(ValidationError, match="第一个账户必须是"):
        add("zhang", "clerk")
    with db.session() as s:
        assert acc.list_accounts(s) == []


def test_only_managers_manage_and_only_county_admins_make_county_admins(
        office_with_accounts: Database, add: Callable[..., acc.AccountInfo]) -> None:
    db = office_with_accounts
    log_in(db, "zhang")
    with pytest.raises(acc.PermissionRefused, match="新建账户需要“办公室负责人”权限，当前账户：张三（办事员）"):
        add("li", "clerk")
    log_in(db, "head")
    with pytest.raises(acc.PermissionRefused, match="新建县级管理员账户需要“县级管理员”权限"):
        add("county", "county_admin")
    with pytest.raises(acc.PermissionRefused, match="县级管理员"), db.session() as s:
        acc.set_role(s, "zhang", "county_admin")
    with pytest.raises(ValidationError, match="已被使用"):
        add("ZHANG", "clerk")
    with pytest.raises(ValidationError, match="不是账户角色"):
        add("li", "boss")
    with db.session() as s:
        names = [a.username for a in acc.list_accounts(s)]
    assert names == ["head", "zhang"]


def test_the_last_manager_can_be_neither_deactivated_nor_demoted(
        office_with_accounts: Database, add: Callable[..., acc.AccountInfo]) -> None:
    db = office_with_accounts
    log_in(db, "head")
    with pytest.raises(ValidationError, match="最后一个能管理账户的账户"), db.session() as s:
        acc.set_active(s, "head", False)
    with pytest.raises(ValidationError, match="不能改为办事员"), db.session() as s:
        acc.set_role(s, "head", "clerk")
    add("li", "office_head", "李副主任")
    with db.session() as s:
        assert acc.set_role(s, "head", "clerk").role == "clerk"  # li still manages
    with db.session() as s:
        assert [a.username for a in acc.list_accounts(s) if a.role in acc.MANAGER_ROLES and a.active] == ["li"]


def test_an_office_head_cannot_touch_a_county_admin(db: Database, add: Callable[..., acc.AccountInfo]) -> None:
    add("county", "county_admin", "县管理员")
    db.use_account("county")
    add("head", "office_head", "王主任")
    log_in(db, "head")
    refusal = "重设“县管理员”（县级管理员）的账户需要“县级管理员”权限"
    with pytest.raises(acc.PermissionRefused, match=refusal), db.session() as s:
        acc.change_password(s, "county", "new password!", cost=FAST)
    with pytest.raises(acc.PermissionRefused), db.session() as s:
        acc.set_active(s, "county", False)


def test_own_password_needs_the_old_one_and_a_manager_resets_others(office_with_accounts: Database) -> None:
    db = office_with_accounts
    log_in(db, "zhang")
    with pytest.raises(ValidationError, match="原密码不正确"), db.session() as s:
        acc.change_password(s, "zhang", "new password 1", old_password="wrong", cost=FAST)
    with pytest.raises(ValidationError, match="新密码.*至少需要 8 个字符"), db.session() as s:
        acc.change_password(s, "zhang", "short", old_password=PASSWORD, cost=FAST)
    with pytest.raises(acc.PermissionRefused, match="重设其他账户的密码"), db.session() as s:
        acc.change_password(s, "head", "new password 1", cost=FAST)
    with db.session() as s:
        acc.change_password(s, "zhang", "new password 1", old_password=PASSWORD, cost=FAST)
    assert not log_in(db, "zhang", PASSWORD).ok
    assert log_in(db, "zhang", "new password 1").ok
    # a reset by the office head also ends a lock-out
    for n in range(5):
        log_in(db, "zhang", "wrong password", now=T0 + dt.timedelta(seconds=n))
    log_in(db, "head")
    with db.session() as s:
        info = acc.change_password(s, "zhang", "reset password", cost=FAST)
    assert info.locked_until is None and info.failed_attempts == 0
    assert log_in(db, "zhang", "reset password", now=T0 + dt.timedelta(seconds=10)).ok


def test_unlock_ends_a_lock_out(office_with_accounts: Database) -> None:
    db = office_with_accounts
    for n in range(5):
        log_in(db, "zhang", "wrong password", now=T0 + dt.timedelta(seconds=n))
    assert "锁定" in log_in(db, "zhang", PASSWORD, now=T0 + dt.timedelta(minutes=1)).message
    log_in(db, "head")
    with db.session() as s:
        acc.unlock(s, "zhang")
    assert log_in(db, "zhang", PASSWORD, now=T0 + dt.timedelta(minutes=1)).ok


# --- audit log -----------------------------------------------------------------------------------------

def test_a_change_after_login_is_audited_under_the_account(office_with_accounts: Database,
                                                            new_person: Callable[..., people.PersonInfo]) -> None:
    db = office_with_accounts
    log_in(db, "zhang")
    person = new_person(name="李四")
    with db.session() as s:
        rows = s.scalars(select(AuditLog).where(AuditLog.table_name == "person",
                                                AuditLog.record_id == person.id)).all()
    assert rows and {r.account for r in rows} == {"zhang"}
    db.use_account(None)  # back to the computer's user: no longer "zhang"
    assert db.account != "zhang"


def test_account_management_is_audited_without_the_password(office_with_accounts: Database) -> None:
    db = office_with_accounts
    log_in(db, "head")
    with db.session() as s:
        acc.set_role(s, "zhang", "office_head")
        acc.change_password(s, "zhang", "another password", cost=FAST)
    with db.session() as s:
        rows = s.scalars(select(AuditLog).where(AuditLog.table_name == "account")).all()
    created = [r for r in rows if r.action == "insert"]
    assert {r.account for r in created} == {"clerk1", "head"}  # head by the office, zhang by head
    role = [r for r in rows if r.field == "role"]
    assert [(r.account, r.old_value, r.new_value) for r in role] == [("head", "clerk", "office_head")]
    hashes = [r for r in rows if r.field == "password_hash"]
    assert hashes and all(r.old_value == "***" and r.new_value == "***" for r in hashes)
    assert all("scrypt$" not in (r.new_value or "") + (r.old_value or "") for r in rows)


# --- the export gate -----------------------------------------------------------------------------------

def test_unmasked_export_needs_an_office_head_when_login_is_in_use(
        db: Database, add: Callable[..., acc.AccountInfo], office: object,
        new_person: Callable[..., people.PersonInfo], tmp_path: Path) -> None:
    new_person(name="李四")
    with db.session() as s:  # no accounts: the single user is the office, allowed as before
        assert export_roster(s, tmp_path / "before.xlsx", unmasked=True) == 1
    add("head", "office_head", "王主任")
    db.use_account("head")
    add("zhang", "clerk", "张三")
    log_in(db, "zhang")
    target = tmp_path / "clerk.xlsx"
    with pytest.raises(acc.PermissionRefused) as exc, db.session() as s:
        export_roster(s, target, unmasked=True)
    assert exc.value.text() == "导出完整身份证号码需要“办公室负责人”权限，当前账户：张三（办事员）"
    assert not target.exists()
    with db.session() as s:
        assert export_roster(s, tmp_path / "masked.xlsx") == 1  # masked stays open to clerks
        person_id = new_person(s, name="王五").id
    with pytest.raises(acc.PermissionRefused, match="人员档案需要“办公室负责人”权限"), db.session() as s:
        personnel_file_data(s, person_id)
    log_in(db, "head")
    with db.session() as s:
        assert export_roster(s, tmp_path / "head.xlsx", unmasked=True) == 2
        assert personnel_file_data(s, person_id).name == "王五"
    with db.session() as s:
        audit = s.scalars(select(AuditLog).where(AuditLog.field == "unmasked_export")).all()
    assert [r.account for r in audit] == ["clerk1", "head"]


def test_a_restore_keeps_the_login(tmp_path: Path) -> None:
    """Restoring a backup reopens the database: the account logged in before still signs the changes."""
    from remoteedu_desktop.data.database import open_database
    from remoteedu_desktop.services.backups import restore_steps
    from remoteedu_desktop.services.progress import run_to_end

    db = open_database(f"sqlite:///{tmp_path / 'office.sqlite3'}")
    with db.session() as s:
        acc.create_account(s, "head", "王主任", "office_head", PASSWORD, cost=FAST)
    copy = db.backup("manual", tmp_path / "backups", keep=None)
    db.use_account("head")
    outcome = run_to_end(restore_steps(db, copy))
    try:
        assert outcome.database.logged_in and outcome.database.account == "head"
        with outcome.database.session() as s:
            current = acc.current_account(s)
        assert current is not None and current.username == "head"
    finally:
        outcome.database.dispose()


def test_two_managers_demoting_each_other_at_once_leave_one_on_a_server(database_url: Callable[..., str],
                                                                         backend: str) -> None:
    """On PostgreSQL the last-manager rule holds under concurrency: the second change waits for the row
    locks of the first, then sees one manager left and is refused."""
    import threading

    from remoteedu_desktop.data.database import open_database

    if backend != "postgresql":
        pytest.skip("row locks matter on a server; a SQLite file has one writer at a time")
    url = database_url()
    first, second = open_database(url, account="setup"), open_database(url, account="setup")
    try:
        with first.session() as s:
            acc.create_account(s, "head", "王主任", "office_head", PASSWORD, cost=FAST)
        first.use_account("head")
        with first.session() as s:
            acc.create_account(s, "li", "李副主任", "office_head", PASSWORD, cost=FAST)
        second.use_account("li")
        outcome: dict[str, str] = {}

        def demote_head() -> None:
            try:
                with second.session() as s2:
                    acc.set_role(s2, "head", "clerk")
                outcome["done"] = "yes"
            except ValidationError as exc:
                outcome["refused"] = exc.text()

        s1 = first.factory()
        try:
            acc.set_role(s1, "li", "clerk")  # flushed, not committed: holds the managers' row locks
            other = threading.Thread(target=demote_head)
            other.start()
            other.join(0.5)
            assert other.is_alive()  # waiting for the locks
            s1.commit()
        finally:
            s1.close()
        other.join(20)
        assert "最后一个能管理账户的账户" in outcome.get("refused", ""), outcome
        with first.session() as s:
            assert [a.username for a in acc.list_accounts(s) if a.role in acc.MANAGER_ROLES] == ["head"]
    finally:
        first.dispose()
        second.dispose()


def test_hashing_needs_no_openssl_module_of_python() -> None:
    """The program bundle leaves Python's OpenSSL modules (_hashlib, _ssl) out: passwords still hash and verify
    (cryptography's scrypt), and give the same hash as hashlib.scrypt would."""
    import subprocess
    import sys

    code = (
        "import sys; sys.modules['_hashlib'] = None; sys.modules['_ssl'] = None\n"
        "from remoteedu_desktop.services import accounts as a\n"
        "h = a.hash_password('正确的密码123', cost=a.KdfCost(n=2**10, r=8, p=1))\n"
        "assert a.verify_password('正确的密码123', h) and not a.verify_password('wrong-pass', h)\n"
        "print(h.split('$')[0])\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "scrypt"
