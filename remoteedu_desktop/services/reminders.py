"""What to remind the clerk of when the program starts (issue 8, item 4).

Five kinds, each counted per township (the county office sees one line per township, a township office
its own lines): appointment terms ending (聘任证书, R11), on-duty certificates expiring (上岗证书, R11),
village sites missing post A or B (R3), faults open for too long (R9), and a peer office that has not
exchanged a sync bundle for too long. The thresholds (days) live in ``app_setting`` under
``reminders.*`` with defaults; :func:`reminder_thresholds` reads them, :func:`set_reminder_thresholds`
stores them. Read-only apart from that setter.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..data.models import AppSetting, Certificate, OrgUnit, Post, SyncPeer
from ..errors import ValidationError
from .faults import open_faults
from .org_tree import TreeNode, org_tree
from .sync_views import last_exchanges

#: Kinds, in the order the dialog lists them within a severity.
KIND_APPOINTMENT = "appointment_ending"
KIND_CERTIFICATE = "certificate_expiring"
KIND_VACANT = "post_vacant"
KIND_FAULT = "fault_open"
KIND_SYNC = "sync_stale"
KINDS = (KIND_VACANT, KIND_FAULT, KIND_APPOINTMENT, KIND_CERTIFICATE, KIND_SYNC)

SEVERITY_WARNING = "warning"  # a rule is broken now (R3), or something is overdue
SEVERITY_INFO = "info"  # coming up: act in the next weeks

#: Main-window page keys (ui/pages.py) that hold the records behind each kind.
PAGE_OF_KIND = {KIND_APPOINTMENT: "certificates", KIND_CERTIFICATE: "certificates", KIND_VACANT: "sites",
                KIND_FAULT: "activities", KIND_SYNC: "sync"}

SETTING_EXPIRING = "reminders.expiring_days"
SETTING_FAULT = "reminders.fault_days"
SETTING_SYNC = "reminders.sync_days"
#: A certificate expiring this close is a warning rather than a note.
URGENT_DAYS = 14


@dataclass(frozen=True)
class ReminderThresholds:
    expiring_days: int = 60  #: appointment terms and certificates ending within this many days
    fault_days: int = 7  #: faults open for more than this many days (R9: "clear faults promptly")
    sync_days: int = 30  #: no bundle sent to or received from a peer for more than this many days


_SETTINGS = ((SETTING_EXPIRING, "expiring_days", "证书到期提醒天数"), (SETTING_FAULT, "fault_days", "故障超期天数"),
             (SETTING_SYNC, "sync_days", "数据交换超期天数"))
_MAX_DAYS = 3650


@dataclass(frozen=True)
class Reminder:
    kind: str
    severity: str  #: SEVERITY_WARNING or SEVERITY_INFO
    text: str  #: one Chinese line for the clerk
    unit_id: str | None  #: the township (or None: the whole office) to select when opening the page
    page: str  #: main-window page key
    count: int


def _read_days(session: Session, key: str, default: int) -> int:
    row = session.get(AppSetting, key)
    if row is None:
        return default
    try:
        value = json.loads(row.value_json)
    except ValueError:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= _MAX_DAYS:
        return default  # a damaged setting falls back to the default rather than silencing reminders
    return value


def reminder_thresholds(session: Session) -> ReminderThresholds:
    """The stored thresholds, each falling back to its default when unset or unusable."""
    defaults = ReminderThresholds()
    return ReminderThresholds(**{attr: _read_days(session, key, getattr(defaults, attr))
                                 for key, attr, _label in _SETTINGS})


def set_reminder_thresholds(session: Session, thresholds: ReminderThresholds) -> ReminderThresholds:
    """Store the thresholds (each 1–3650 days); a ValidationError names the first bad one, nothing written."""
    for _key, attr, label in _SETTINGS:
        value = getattr(thresholds, attr)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= _MAX_DAYS:
            raise ValidationError(f"应为 1 至 {_MAX_DAYS} 之间的整数天数，现为“{value}”", field=label)
    for key, attr, _label in _SETTINGS:
        text = json.dumps(getattr(thresholds, attr))
        row = session.get(AppSetting, key)
        if row is None:
            session.add(AppSetting(key=key, value_json=text))
        else:
            row.value_json = text
    session.flush()
    return thresholds


class _Townships:
    """unit id → its township (a township is its own; a county or unknown unit → None), from the tree."""

    def __init__(self, nodes: list[TreeNode]) -> None:
        self.nodes = {n.id: n for n in nodes}
        self.order = {n.id: i for i, n in enumerate(nodes)}

    def of(self, unit_id: str | None) -> str | None:
        seen: set[str] = set()
        while unit_id and unit_id not in seen:
            seen.add(unit_id)
            node = self.nodes.get(unit_id)
            if node is None:
                return None
            if node.kind == "township":
                return node.id
            unit_id = node.parent_id
        return None

    def name(self, township_id: str | None) -> str:
        node = self.nodes.get(township_id or "")
        return node.name if node else "本单位"


def _certificate_reminders(session: Session, towns: _Townships, today: dt.date, days: int) -> list[Reminder]:
    until = today + dt.timedelta(days=days)
    rows = session.execute(
        select(Certificate.kind, Certificate.valid_until, Post.unit_id)
        .outerjoin(Post, Post.id == Certificate.post_id)
        .where(Certificate.deleted.is_(False), Certificate.status == "valid",
               Certificate.valid_until.is_not(None), Certificate.valid_until >= today,
               Certificate.valid_until <= until)).tuples().all()
    counts: Counter[tuple[str, str | None]] = Counter()
    urgent: Counter[tuple[str, str | None]] = Counter()
    for kind, valid_until, unit_id in rows:
        key = (kind, towns.of(unit_id))
        counts[key] += 1
        if valid_until is not None and (valid_until - today).days <= URGENT_DAYS:
            urgent[key] += 1
    out = []
    for (kind, township), n in counts.items():
        where = towns.name(township)
        if kind == "appointment":
            text = f"{where}：{n} 份聘任证书的聘期将在 {days} 天内届满"
            rkind = KIND_APPOINTMENT
        else:
            text = f"{where}：{n} 份上岗证书将在 {days} 天内到期"
            rkind = KIND_CERTIFICATE
        if urgent[(kind, township)]:
            text += f"（其中 {urgent[(kind, township)]} 份在 {URGENT_DAYS} 天内）"
        severity = SEVERITY_WARNING if urgent[(kind, township)] else SEVERITY_INFO
        out.append(Reminder(rkind, severity, text + "，请及时续聘或换发（R11）", township, PAGE_OF_KIND[rkind], n))
    return out


def _vacancy_reminders(towns: _Townships) -> list[Reminder]:
    """R3: each village site has post A and post B; active sites missing either, per township."""
    sites: Counter[str | None] = Counter()
    slots: Counter[str | None] = Counter()
    for node in towns.nodes.values():
        if node.kind == "village" and node.active and (node.missing_a or node.missing_b):
            township = towns.of(node.id)
            sites[township] += 1
            slots[township] += int(node.missing_a) + int(node.missing_b)
    return [Reminder(KIND_VACANT, SEVERITY_WARNING,
                     f"{towns.name(t)}：{n} 个村站点缺少A岗或B岗管理员（共空缺 {slots[t]} 个岗位，R3）",
                     t, PAGE_OF_KIND[KIND_VACANT], n) for t, n in sites.items()]


def _fault_reminders(session: Session, towns: _Townships, today: dt.date, days: int) -> list[Reminder]:
    """R9: technicians clear faults promptly; faults open longer than *days* days, per township."""
    now = dt.datetime.combine(today, dt.time(23, 59, 59))
    counts: Counter[str | None] = Counter()
    oldest: dict[str | None, int] = {}
    for fault in open_faults(session, now=now):
        if fault.age_days > days:
            township = towns.of(fault.site_id)
            counts[township] += 1
            oldest[township] = max(oldest.get(township, 0), fault.age_days)
    return [Reminder(KIND_FAULT, SEVERITY_WARNING,
                     f"{towns.name(t)}：{n} 个故障超过 {days} 天未解决（最久 {oldest[t]} 天，R9）",
                     t, PAGE_OF_KIND[KIND_FAULT], n) for t, n in counts.items()]


def _sync_reminders(session: Session, towns: _Townships, today: dt.date, days: int) -> list[Reminder]:
    """Peers (accepted enrolments) with no bundle written to or imported from them for more than *days* days."""
    exchanges = last_exchanges(session)
    units_by_code = dict(session.execute(select(OrgUnit.code, OrgUnit.id).where(
        OrgUnit.deleted.is_(False), OrgUnit.code.is_not(None))).tuples().all())
    out = []
    for peer in session.scalars(select(SyncPeer).where(SyncPeer.accepted_at.is_not(None))
                                .order_by(SyncPeer.code)):
        exchange = exchanges.get(peer.code)
        last = exchange.last_at if exchange else None
        since = last or peer.accepted_at
        if since is None:
            continue
        age = (today - since.date()).days
        if age <= days:
            continue
        unit_id = towns.of(units_by_code.get(peer.code))
        if last is None:
            text = f"与{peer.name}登记 {age} 天来从未交换过数据包，请发送或导入数据包"
        else:
            text = f"与{peer.name}已 {age} 天未交换数据包（上次 {last:%Y-%m-%d}），请发送或导入数据包"
        out.append(Reminder(KIND_SYNC, SEVERITY_INFO, text, unit_id, PAGE_OF_KIND[KIND_SYNC], 1))
    return out


def reminders(session: Session, *, today: dt.date | None = None,
              thresholds: ReminderThresholds | None = None) -> list[Reminder]:
    """Everything to remind the clerk of, warnings first, then by kind and township in tree order."""
    today = today or dt.date.today()
    limits = thresholds or reminder_thresholds(session)
    towns = _Townships(org_tree(session))
    found = [*_vacancy_reminders(towns), *_fault_reminders(session, towns, today, limits.fault_days),
             *_certificate_reminders(session, towns, today, limits.expiring_days),
             *_sync_reminders(session, towns, today, limits.sync_days)]
    big = len(towns.order)
    found.sort(key=lambda r: (r.severity != SEVERITY_WARNING, KINDS.index(r.kind),
                              towns.order.get(r.unit_id or "", big)))  # stable: peers stay in code order
    return found


__all__ = ["KINDS", "PAGE_OF_KIND", "Reminder", "ReminderThresholds", "reminder_thresholds", "reminders",
           "set_reminder_thresholds"]
