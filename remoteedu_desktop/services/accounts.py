"""Accounts, roles and login (issue 10 item 5): optional, for shared PCs and server databases.

Login is required only when at least one active account exists: a single-PC township office without
accounts keeps working as before, and "the office" (whoever sits at the PC) may do everything. Once
accounts exist:

- passwords are hashed with scrypt (memory-hard; n=2**15, r=8, p=1 is 32 MiB and about 0.1 s), a
  16-byte random salt, and stored as ``scrypt$n$r$p$salt$hash`` (base64) so that the cost can rise
  later: a login with an older, cheaper hash re-hashes it at the current cost. Comparison is in
  constant time (``hmac.compare_digest``);
- 5 wrong passwords in a row lock the account for 15 minutes; a success resets the count. An unknown
  user name gets the same message and costs the same KDF time as a wrong password, so the login form
  does not tell which names exist (unknown names are counted in this process only, see
  :class:`_UnknownNames`);
- roles rank clerk < office_head < county_admin (:func:`require_role`). Only office_head and above
  manage accounts, only a county_admin creates or changes county_admin accounts, and the last active
  office_head/county_admin can be neither deactivated nor demoted (else nobody could manage);
- after a login the caller switches the database's session factory to the account
  (``Database.use_account``), so stamping writes the user name into every audit_log row; changes to
  accounts themselves are audited the same way (the password hash as ``***``).

Functions take the caller's Session; the caller's ``session_scope`` owns the transaction. :func:`login`
returns a :class:`LoginResult` instead of raising, so that the caller commits the failure count of a
refused attempt (a raise would roll it back); ``result.require()`` then raises the refusal.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hmac
import secrets
import threading
import unicodedata
from dataclasses import dataclass

from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..data.database import LOGGED_IN
from ..data.models import Account
from ..data.stamping import utcnow
from ..errors import ValidationError

ROLES: dict[str, str] = {"clerk": "办事员", "office_head": "办公室负责人", "county_admin": "县级管理员"}
_RANK = {"clerk": 0, "office_head": 1, "county_admin": 2}
MANAGER_ROLES = ("office_head", "county_admin")

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 128
MAX_USERNAME_LENGTH = 50
MAX_FAILURES = 5
LOCKOUT = dt.timedelta(minutes=15)

_SCHEME = "scrypt"
_SALT_BYTES = 16
_KEY_BYTES = 32


class PermissionRefused(ValidationError):
    """The current account's role is not enough for what was asked; nothing was written."""


class LoginRefused(ValidationError):
    """A refused login (wrong name or password, locked, deactivated)."""


@dataclass(frozen=True)
class KdfCost:
    """scrypt's parameters. Tests pass a tiny cost through the ``cost`` arguments; the default never drops."""

    n: int = 2**15
    r: int = 8
    p: int = 1

    @property
    def memory(self) -> int:
        """Bytes scrypt needs (128·r·n); 32 MiB at the default."""
        return 128 * self.r * self.n


DEFAULT_COST = KdfCost()


@dataclass(frozen=True)
class AccountInfo:
    id: int
    username: str
    display_name: str
    role: str
    role_label: str
    active: bool
    failed_attempts: int
    locked_until: dt.datetime | None

    def text(self) -> str:
        """"张三（办事员）"."""
        return f"{self.display_name}（{self.role_label}）"

    def locked(self, now: dt.datetime | None = None) -> bool:
        return self.locked_until is not None and self.locked_until > (now or utcnow())

    def may(self, role: str) -> bool:
        return self.active and _RANK[self.role] >= _RANK[role]


@dataclass(frozen=True)
class LoginResult:
    """The outcome of :func:`login`: the account, or the Chinese refusal."""

    account: AccountInfo | None
    message: str = ""
    tries_left: int | None = None
    locked_until: dt.datetime | None = None

    @property
    def ok(self) -> bool:
        return self.account is not None

    def require(self) -> AccountInfo:
        """The account, or raise :class:`LoginRefused` with the message (after the caller committed)."""
        if self.account is None:
            raise LoginRefused(self.message)
        return self.account


# --- passwords -------------------------------------------------------------------------------------

def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _normalize(password: str) -> bytes:
    # NFKC: a full-width "１２３" typed with a Chinese input method is the same password as "123".
    return unicodedata.normalize("NFKC", password).encode("utf-8")


def _derive(password: str, salt: bytes, cost: KdfCost, length: int = _KEY_BYTES) -> bytes:
    # cryptography's scrypt (the same function as hashlib.scrypt, which needs Python's OpenSSL module; the
    # program bundle leaves that out, cryptography carries its own)
    return Scrypt(salt=salt, length=length, n=cost.n, r=cost.r, p=cost.p).derive(_normalize(password))


def check_password_rules(password: str, *, username: str = "", field: str = "密码") -> None:
    """Refuse a password that is too short or too long, or that is the user name."""
    text = unicodedata.normalize("NFKC", password or "")
    if len(text) < MIN_PASSWORD_LENGTH:
        raise ValidationError(f"密码至少需要 {MIN_PASSWORD_LENGTH} 个字符（现在 {len(text)} 个）", field=field)
    if len(text) > MAX_PASSWORD_LENGTH:
        raise ValidationError(f"密码最多 {MAX_PASSWORD_LENGTH} 个字符", field=field)
    if username and text.strip().lower() == username.strip().lower():
        raise ValidationError("密码不能与用户名相同", field=field)


def hash_password(password: str, *, cost: KdfCost = DEFAULT_COST) -> str:
    """``scrypt$n$r$p$salt$hash`` for *password* (the rules are checked by the callers that take input)."""
    salt = secrets.token_bytes(_SALT_BYTES)
    key = _derive(password, salt, cost)
    return f"{_SCHEME}${cost.n}${cost.r}${cost.p}${_b64(salt)}${_b64(key)}"


def _parse(stored: str | None) -> tuple[KdfCost, bytes, bytes] | None:
    try:
        scheme, n, r, p, salt, key = (stored or "").split("$")
        if scheme != _SCHEME:
            return None
        cost = KdfCost(int(n), int(r), int(p))
        if cost.n < 2 or cost.n & (cost.n - 1) or not 1 <= cost.r <= 64 or not 1 <= cost.p <= 16:
            return None
        return cost, base64.b64decode(salt, validate=True), base64.b64decode(key, validate=True)
    except (ValueError, binascii.Error):
        return None


def verify_password(password: str, stored: str | None) -> bool:
    """Whether *password* matches *stored*, compared in constant time; False for a malformed hash."""
    parsed = _parse(stored)
    if parsed is None:
        return False
    cost, salt, expected = parsed
    return hmac.compare_digest(_derive(password, salt, cost, len(expected) or _KEY_BYTES), expected)


def needs_rehash(stored: str | None, cost: KdfCost = DEFAULT_COST) -> bool:
    """True when *stored* was made at a lower cost than *cost* (the parameters rose since)."""
    parsed = _parse(stored)
    if parsed is None:
        return True
    old = parsed[0]
    return old.n * old.r * old.p < cost.n * cost.r * cost.p


_dummy_hashes: dict[KdfCost, str] = {}


def _dummy_hash(cost: KdfCost) -> str:
    """A hash of a random password at *cost*: checked for unknown names so they cost the same time."""
    if cost not in _dummy_hashes:
        _dummy_hashes[cost] = hash_password(secrets.token_urlsafe(16), cost=cost)
    return _dummy_hashes[cost]


# --- reading accounts ------------------------------------------------------------------------------

def _info(row: Account) -> AccountInfo:
    return AccountInfo(id=row.id, username=row.username, display_name=row.display_name, role=row.role,
                       role_label=ROLES.get(row.role, row.role), active=bool(row.active),
                       failed_attempts=row.failed_attempts or 0, locked_until=row.locked_until)


def role_label(role: str) -> str:
    return ROLES.get(role, role)


def _find(session: Session, username: str, *, lock: bool = False) -> Account | None:
    """The account named *username* (any case); *lock*: FOR UPDATE on a server, so that two logins to one
    account at once wait for each other instead of losing a failure count (SQLite ignores it)."""
    name = (username or "").strip()
    if not name:
        return None
    stmt = select(Account).where(func.lower(Account.username) == name.lower())
    return session.scalar(stmt.with_for_update() if lock else stmt)


def _get(session: Session, username: str) -> Account:
    row = _find(session, username)
    if row is None:
        raise ValidationError(f"没有账户“{username}”", field="用户名")
    return row


def list_accounts(session: Session) -> list[AccountInfo]:
    """Every account, active ones first, then by user name."""
    rows = session.scalars(select(Account).order_by(Account.active.desc(), Account.username))
    return [_info(r) for r in rows]


def get_account(session: Session, username: str) -> AccountInfo:
    return _info(_get(session, username))


def login_required(session: Session) -> bool:
    """Whether this database asks for a login: at least one active account exists."""
    return bool(session.scalar(select(func.count()).select_from(Account).where(Account.active.is_(True))))


def current_account(session: Session) -> AccountInfo | None:
    """The account logged in on this session's factory (``Database.use_account``), or None."""
    if not session.info.get(LOGGED_IN):
        return None
    row = _find(session, str(session.info.get("account") or ""))
    return _info(row) if row is not None else None


def _active_managers(session: Session) -> int:
    # FOR UPDATE: two managers demoting each other at once on a server cannot both pass the last-manager rule
    return len(session.scalars(select(Account.id).where(
        Account.active.is_(True), Account.role.in_(MANAGER_ROLES)).order_by(Account.id).with_for_update()).all())


# --- roles -----------------------------------------------------------------------------------------

def permission_refusal(who: Session | AccountInfo | None, role: str, what: str) -> str | None:
    """The Chinese refusal :func:`require_role` would raise, or None when allowed (the UI greys out)."""
    try:
        require_role(who, role, what)
    except PermissionRefused as exc:
        return exc.text()
    return None


def require_role(who: Session | AccountInfo | None, role: str, what: str) -> AccountInfo | None:
    """Refuse *what* unless the account has *role* or a higher one.

    *who* is a Session (its logged-in account; when no active account exists the single user is the
    office and everything is allowed, which returns None) or an :class:`AccountInfo`. The refusal reads
    "导出完整身份证号码需要“办公室负责人”权限，当前账户：张三（办事员）".
    """
    if role not in _RANK:
        raise ValueError(f"unknown role {role!r}")
    need = f"{what}需要“{ROLES[role]}”权限"
    if isinstance(who, Session):
        if not login_required(who):
            return None
        account = current_account(who)
    else:
        account = who
    if account is None:
        raise PermissionRefused(f"{need}，当前没有登录账户，请先登录")
    if not account.active:
        raise PermissionRefused(f"{need}，当前账户 {account.text()} 已停用")
    if _RANK[account.role] < _RANK[role]:
        raise PermissionRefused(f"{need}，当前账户：{account.text()}")
    return account


def _acting_manager(session: Session, what: str) -> AccountInfo | None:
    """The managing account (office_head+), or None when no login is in use (the office itself)."""
    return require_role(session, "office_head", what)


def _may_touch(actor: AccountInfo | None, target: Account, what: str) -> None:
    """An office head cannot manage a county administrator's account."""
    if actor is not None and _RANK[target.role] > _RANK[actor.role]:
        require_role(actor, target.role, f"{what}“{target.display_name}”（{role_label(target.role)}）的账户")


def _keep_a_manager(session: Session, target: Account, what: str) -> None:
    if target.active and target.role in MANAGER_ROLES and _active_managers(session) <= 1:
        raise ValidationError(
            f"“{target.display_name}”是最后一个能管理账户的账户（办公室负责人或县级管理员），不能{what}，"
            "否则就没有人能管理账户了；请先为另一人建立办公室负责人账户", field="账户")


# --- login -----------------------------------------------------------------------------------------

def _local_clock(moment: dt.datetime) -> str:
    return moment.replace(tzinfo=dt.UTC).astimezone().strftime("%H:%M")


def _wrong(left: int) -> str:
    return (f"用户名或密码不正确，还可以再试 {left} 次（连续输错 {MAX_FAILURES} 次，账户将锁定 "
            f"{LOCKOUT.seconds // 60} 分钟）")


def _locked(until: dt.datetime, now: dt.datetime) -> str:
    minutes = max(1, -(-int((until - now).total_seconds()) // 60))
    return (f"连续输错 {MAX_FAILURES} 次，账户已锁定，请在 {_local_clock(until)} 以后（约 {minutes} 分钟后）再试，"
            "或请办公室负责人解锁")


class _UnknownNames:
    """Failure counts of names that have no account, so their messages match a real account's.

    Kept in this process only (a new CLI run starts again); bounded so a flood of names cannot grow it.
    """

    LIMIT = 1000

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seen: dict[tuple[str, str], tuple[int, dt.datetime | None]] = {}

    def fail(self, key: tuple[str, str], now: dt.datetime) -> LoginResult:
        with self._lock:
            count, until = self._seen.get(key, (0, None))
            if until is not None and until > now:
                return LoginResult(None, _locked(until, now), 0, until)
            if until is not None:
                count = 0
            count += 1
            if len(self._seen) >= self.LIMIT and key not in self._seen:
                self._seen.pop(next(iter(self._seen)))
            if count >= MAX_FAILURES:
                until = now + LOCKOUT
                self._seen[key] = (count, until)
                return LoginResult(None, _locked(until, now), 0, until)
            self._seen[key] = (count, None)
            return LoginResult(None, _wrong(MAX_FAILURES - count), MAX_FAILURES - count)

    def forget(self) -> None:
        with self._lock:
            self._seen.clear()


_unknown = _UnknownNames()


def login(session: Session, username: str, password: str, *, now: dt.datetime | None = None,
          cost: KdfCost = DEFAULT_COST) -> LoginResult:
    """Check *username* and *password*; count failures, lock after 5 in a row, reset on success.

    *now* is naive UTC (injected in tests). Every attempt runs the KDF once, whether the name exists,
    is locked or is deactivated, so the time taken does not tell them apart. *cost* is the cost of
    new hashes (a re-hash of an older, cheaper one, and the unknown-name dummy).
    """
    now = now or utcnow()
    name = (username or "").strip()
    if not name:
        return LoginResult(None, "请输入用户名")
    row = _find(session, name, lock=True)
    if row is None:
        verify_password(password, _dummy_hash(cost))
        bind = session.get_bind()
        return _unknown.fail((str(bind.url), name.lower()), now)
    if row.locked_until is not None and row.locked_until > now:
        verify_password(password, _dummy_hash(cost))
        return LoginResult(None, _locked(row.locked_until, now), 0, row.locked_until)
    if row.locked_until is not None:  # the lock ran out: a fresh series of tries
        row.locked_until = None
        row.failed_attempts = 0
    if not verify_password(password, row.password_hash):
        row.failed_attempts = (row.failed_attempts or 0) + 1
        if row.failed_attempts >= MAX_FAILURES:
            row.locked_until = now + LOCKOUT
            session.flush()
            return LoginResult(None, _locked(row.locked_until, now), 0, row.locked_until)
        session.flush()
        left = MAX_FAILURES - row.failed_attempts
        return LoginResult(None, _wrong(left), left)
    if not row.active:  # told only to someone who knows the password
        return LoginResult(None, f"账户“{row.username}”已停用，不能登录；如需使用请联系办公室负责人")
    session.info["account"] = row.username  # the reset count and a re-hash are the account's own changes
    if row.failed_attempts:
        row.failed_attempts = 0
    if needs_rehash(row.password_hash, cost):
        row.password_hash = hash_password(password, cost=cost)
    session.flush()
    return LoginResult(_info(row))


def forget_unknown_names() -> None:
    """Clear this process's failure counts of unknown names (tests)."""
    _unknown.forget()


# --- managing accounts -----------------------------------------------------------------------------

def _check_username(session: Session, username: str) -> str:
    name = (username or "").strip()
    if not name:
        raise ValidationError("请填写用户名", field="用户名")
    if len(name) > MAX_USERNAME_LENGTH:
        raise ValidationError(f"用户名最多 {MAX_USERNAME_LENGTH} 个字符", field="用户名")
    if any(ch.isspace() or not ch.isprintable() for ch in name):
        raise ValidationError(f"用户名“{name}”不能含空格或控制字符", field="用户名")
    if _find(session, name) is not None:
        raise ValidationError(f"用户名“{name}”已被使用（包括已停用的账户）", field="用户名")
    return name


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise ValidationError(f"“{role}”不是账户角色，应为{'、'.join(ROLES.values())}之一", field="角色")
    return role


def create_account(session: Session, username: str, display_name: str, role: str, password: str, *,
                   cost: KdfCost = DEFAULT_COST) -> AccountInfo:
    """A new active account. Office head or higher; a county administrator only by a county administrator.

    With no active account yet (the first one), the office itself creates it, and it must be able to
    manage accounts (office head or county administrator).
    """
    role = _check_role(role)
    first = not login_required(session)
    actor = None if first else _acting_manager(session, "新建账户")
    if first and role not in MANAGER_ROLES:
        raise ValidationError("第一个账户必须是“办公室负责人”或“县级管理员”，否则没有人能管理账户", field="角色")
    if role == "county_admin" and not first:
        require_role(actor or session, "county_admin", "新建县级管理员账户")
    name = _check_username(session, username)
    shown = (display_name or "").strip() or name
    if len(shown) > 50:
        raise ValidationError("姓名最多 50 个字符", field="姓名")
    check_password_rules(password, username=name)
    row = Account(username=name, display_name=shown, role=role, password_hash=hash_password(password, cost=cost),
                  failed_attempts=0, locked_until=None, active=True)
    session.add(row)
    session.flush()
    return _info(row)


def change_password(session: Session, username: str, new_password: str, *, old_password: str | None = None,
                    cost: KdfCost = DEFAULT_COST) -> AccountInfo:
    """Change one's own password (with the old one), or reset another's (office head or higher).

    A reset also unlocks the account. Without login in use the office may reset any password.
    """
    target = _get(session, username)
    actor = current_account(session)
    if actor is not None and actor.username == target.username:
        if old_password is None or not verify_password(old_password, target.password_hash):
            raise ValidationError("原密码不正确", field="原密码")
    else:
        actor = _acting_manager(session, "重设其他账户的密码")
        _may_touch(actor, target, "重设")
    check_password_rules(new_password, username=target.username, field="新密码")
    target.password_hash = hash_password(new_password, cost=cost)
    target.failed_attempts = 0
    target.locked_until = None
    session.flush()
    return _info(target)


def set_role(session: Session, username: str, role: str) -> AccountInfo:
    """Change an account's role; county administrator roles only by a county administrator."""
    role = _check_role(role)
    actor = _acting_manager(session, "更改账户角色")
    target = _get(session, username)
    if target.role == role:
        return _info(target)
    if "county_admin" in (role, target.role) and actor is not None:
        require_role(actor, "county_admin", "授予或取消“县级管理员”角色")
    if role not in MANAGER_ROLES:
        _keep_a_manager(session, target, f"改为{ROLES[role]}")
    target.role = role
    session.flush()
    return _info(target)


def set_active(session: Session, username: str, active: bool) -> AccountInfo:
    """Deactivate (it can no longer log in; its name stays in the audit log) or reactivate an account."""
    actor = _acting_manager(session, "停用或启用账户")
    target = _get(session, username)
    _may_touch(actor, target, "停用或启用")
    if bool(target.active) == active:
        return _info(target)
    if not active:
        _keep_a_manager(session, target, "停用")
    target.active = active
    session.flush()
    return _info(target)


def unlock(session: Session, username: str) -> AccountInfo:
    """End a lock-out now and clear the failure count."""
    _acting_manager(session, "解锁账户")
    target = _get(session, username)
    target.failed_attempts = 0
    target.locked_until = None
    session.flush()
    return _info(target)


__all__ = [
    "DEFAULT_COST", "LOCKOUT", "MAX_FAILURES", "MIN_PASSWORD_LENGTH", "ROLES", "AccountInfo", "KdfCost",
    "LoginRefused", "LoginResult", "PermissionRefused", "change_password", "check_password_rules",
    "create_account", "current_account", "forget_unknown_names", "get_account", "hash_password", "list_accounts",
    "login", "login_required", "needs_rehash", "permission_refusal", "require_role", "role_label", "set_active",
    "set_role", "unlock", "verify_password",
]
