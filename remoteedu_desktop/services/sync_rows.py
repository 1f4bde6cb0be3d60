"""Which rows travel in sync bundles, how a row becomes JSON and back, and who owns what (issue 6, items 2, 3).

- :func:`synced_tables`: every table whose model has the :class:`~remoteedu_desktop.data.models.base.Synced`
  mixin, in foreign-key order (a parent table before the tables that reference it), so that applying a
  bundle table by table never breaks a foreign key.
- :func:`row_to_json` / :func:`json_to_values`: one row ⇄ a JSON object, lossless and canonical (item 2):
  dates, times and datetimes as ISO strings, bytes as ``{"$b64": "…"}``, booleans as ``true``/``false``,
  numbers as numbers, NULL as ``null``. Every column is present in the JSON object; an unknown table or
  column, a missing column or a value of the wrong type is refused with a Chinese message naming the table
  and the column.
- :data:`UP_OWNERSHIP` and :func:`township_owns`: the table-level ownership map used by up bundles (item 3,
  first cut): a row of a township-owned table from the township wins; any other row arriving from a township
  is refused ("县级数据，乡镇不能修改"). A later session refines this per field.
- :func:`county_owns`: the reverse, for down bundles at a township.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from typing import Any, Literal

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Table,
    Text,
    Time,
)
from sqlalchemy import Column as SAColumn

from ..data.models import Base, Synced
from ..errors import ValidationError

B64_TAG = "$b64"
#: Stamp columns: set by the office that changed a row; compared apart from the data (see sync_import).
STAMP_COLUMNS = ("origin", "changed_by", "change_seq", "row_version", "updated_at")

Owner = Literal["township", "county", "township_units", "township_training", "township_training_child"]

#: Table → who owns its rows in an up bundle (issue 6, item 3; refined per field in a later session).
#: ``township``: every row the township sends wins. ``township_units``: org units whose code starts with the
#: township's code, or without a code under such a unit. ``township_training``: training plans the township
#: organised (organizer level township, organiser unit the township's). ``township_training_child``: rows of a
#: plan the township organised. Tables not listed are county data.
UP_OWNERSHIP: dict[str, Owner] = {
    "org_unit": "township_units",
    "person": "township",
    "person_photo": "township",
    "post": "township",
    "post_served_site": "township",
    "training_plan": "township_training",
    "training_session": "township_training_child",
    "enrolment": "township",
    "attendance": "township",
    "activity": "township",
    "activity_tutor": "township",
    "equipment": "township",
    "fault_ticket": "township",
}
#: Fields whose owner is not the row's (issue 6, item 3, per field): the row of a township itself is the
#: township's (address, contact, notes) except what the county decides about it.
COUNTY_FIELDS_OF_TOWNSHIP_UNIT = frozenset({"code", "name", "kind", "parent_id", "active", "sort_order"})
COUNTY_DATA = "县级数据，乡镇不能修改"
TOWNSHIP_DATA = "乡镇数据，县里不能修改"


def _refuse(message: str, table: str, column: str | None = None) -> ValidationError:
    return ValidationError(message, field=f"{table}.{column}" if column else table, where="同步数据")


@cache
def _synced() -> tuple[Table, ...]:
    synced = {m.local_table.name for m in Base.registry.mappers if issubclass(m.class_, Synced)}
    return tuple(t for t in Base.metadata.sorted_tables if t.name in synced)


def synced_tables() -> tuple[Table, ...]:
    """Every travelling table, in foreign-key order (``Base.metadata.sorted_tables``)."""
    return _synced()


def synced_table_names() -> tuple[str, ...]:
    return tuple(t.name for t in _synced())


@cache
def _by_name() -> dict[str, Table]:
    return {t.name: t for t in _synced()}


def table(name: str) -> Table:
    """The travelling table called *name*; an unknown or local-only table is refused."""
    found = _by_name().get(name)
    if found is None:
        raise _refuse(f"未知的同步表“{name}”（本程序版本不认识，或该表不参与同步）", name)
    return found


def self_references(t: Table) -> tuple[str, ...]:
    """Columns of *t* that reference *t* itself (org_unit.parent_id, certificate.replaces_id)."""
    return tuple(fk.parent.name for fk in t.foreign_keys if fk.column.table is t)


def references(t: Table) -> dict[str, str]:
    """column → referenced table, for every foreign key of *t*."""
    return dict(_references(t))


@cache
def _references(t: Table) -> tuple[tuple[str, str], ...]:
    return tuple((fk.parent.name, fk.column.table.name) for fk in t.foreign_keys)


def unit_references(t: Table) -> tuple[str, ...]:
    """Columns of *t* that reference ``org_unit`` (computed once per table)."""
    return tuple(column for column, target in _references(t) if target == "org_unit")


def _kind(column: SAColumn[Any]) -> str:
    type_ = column.type
    for cls, kind in ((Boolean, "bool"), (DateTime, "datetime"), (Date, "date"), (Time, "time"),
                      (LargeBinary, "bytes"), (BigInteger, "int"), (Integer, "int"), (Float, "float"),
                      (Numeric, "float"), (Text, "str"), (String, "str")):
        if isinstance(type_, cls):
            return kind
    raise TypeError(f"column {column.table.name}.{column.name}: no sync encoding for {type_!r}")


def _encode(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind == "bytes":
        return {B64_TAG: base64.b64encode(bytes(value)).decode("ascii")}
    if kind in ("date", "time"):
        return value.isoformat()
    if kind == "datetime":
        return value.isoformat(timespec="microseconds")
    if kind == "bool":
        return bool(value)
    if kind == "int":
        return int(value)
    if kind == "float":
        return float(value)
    return str(value)


def row_to_json(table_name: str, row: Mapping[str, Any]) -> dict[str, Any]:
    """Every column of the travelling table *table_name* from *row* (a Core row mapping or a dict), as a
    JSON-ready dict with canonical values. The same row always gives the same dict (issue 6, item 2)."""
    out: dict[str, Any] = {}
    for name, kind, plain in _codec(table_name):
        try:
            value = row[name]
        except KeyError:  # a dict, or a Core row mapping (its NoSuchColumnError is a KeyError)
            raise _refuse(f"缺少字段 {name}", table_name, name) from None
        # the common case first: text, integers and NULL go as they are (the same as _encode)
        out[name] = value if value is None or type(value) is plain else _encode(kind, value)
    return out


#: The Python type a JSON value of each kind has when it needs no conversion either way.
_PLAIN: dict[str, type] = {"str": str, "int": int, "float": float, "bool": bool}


@cache
def _codec(table_name: str) -> tuple[tuple[str, str, type | None], ...]:
    """(column, kind, plain type) of every column of the table, worked out once (speed: issue 6, item 11)."""
    return tuple((c.name, _kind(c), _PLAIN.get(_kind(c))) for c in table(table_name).columns)


def _decoder(kind: str, table_name: str, column: str) -> Callable[[Any], Any]:
    """:func:`_decode` for one column; for date-times a shortcut for the common good value (a text
    ``fromisoformat`` reads, without time zone) that gives the same result, everything else to :func:`_decode`."""
    if kind == "datetime":
        def decode_datetime(value: Any) -> Any:
            if type(value) is str:
                try:
                    moment = dt.datetime.fromisoformat(value)
                except ValueError:
                    moment = None
                if moment is not None and moment.tzinfo is None:
                    return moment
            return _decode(kind, value, table_name, column)
        return decode_datetime
    return lambda value: _decode(kind, value, table_name, column)


@cache
def _decoders(table_name: str) -> tuple[tuple[str, type | None, Callable[[Any], Any]], ...]:
    return tuple((name, plain, _decoder(kind, table_name, name)) for name, kind, plain in _codec(table_name))


@cache
def _column_names(table_name: str) -> frozenset[str]:
    return frozenset(c.name for c in table(table_name).columns)


def _decode(kind: str, value: Any, table_name: str, column: str) -> Any:
    if value is None:
        return None

    def bad(what: str) -> ValidationError:
        return _refuse(f"字段值不对：应为{what}，收到 {str(value)[:40]!r}", table_name, column)

    try:
        if kind == "bytes":
            if not isinstance(value, dict) or set(value) != {B64_TAG} or not isinstance(value[B64_TAG], str):
                raise bad("二进制数据（{\"$b64\": …}）")
            return base64.b64decode(value[B64_TAG], validate=True)
        if kind == "bool":
            if not isinstance(value, bool):
                raise bad("true/false")
            return value
        if kind == "int":
            if isinstance(value, bool) or not isinstance(value, int):
                raise bad("整数")
            return value
        if kind == "float":
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise bad("数字")
            return float(value)
        if not isinstance(value, str):
            raise bad("文字")
        if kind == "date":
            return dt.date.fromisoformat(value)
        if kind == "time":
            return dt.time.fromisoformat(value)
        if kind == "datetime":
            moment = dt.datetime.fromisoformat(value)
            if moment.tzinfo is not None:
                raise bad("不带时区的时间")
            return moment
        return value
    except ValidationError:
        raise
    except ValueError as exc:
        raise bad({"date": "日期", "time": "时刻", "datetime": "日期时间", "bytes": "base64"}.get(kind, kind)) from exc


def encode_value(table_name: str, column: str, value: Any) -> Any:
    """One column's value as canonical sync JSON (the conflict queue keeps values this way)."""
    return _encode(_kind(table(table_name).c[column]), value)


def decode_value(table_name: str, column: str, value: Any) -> Any:
    return _decode(_kind(table(table_name).c[column]), value, table_name, column)


def json_to_values(table_name: str, obj: Mapping[str, Any]) -> dict[str, Any]:
    """The column values for the travelling table *table_name* from a bundle row: every column present,
    no unknown key, every value of the column's type. Refused with the table and column named."""
    codec = _codec(table_name)
    names = _column_names(table_name)
    if len(obj) != len(names) or not names.issuperset(obj):
        if unknown := sorted(set(obj) - names):
            raise _refuse(f"未知字段 {unknown[0]}（本程序版本不认识）", table_name, unknown[0])
        for name, _, _ in codec:
            if name not in obj:
                raise _refuse(f"缺少字段 {name}", table_name, name)
    # NULL, text, integers, numbers and booleans of the right JSON type are taken as they are (what _decode
    # returns for them); everything else goes through _decode, which converts or refuses
    values: dict[str, Any] = {
        name: value if (value := obj[name]) is None or type(value) is plain else decode(value)
        for name, plain, decode in _decoders(table_name)}
    if not isinstance(values["id"], str) or not values["id"]:
        raise _refuse("缺少记录编号", table_name, "id")
    for name, low, high in _int_ranges(table_name):  # a bigger number overflowed the driver mid-import (fuzzing)
        value = values[name]
        if value is not None and not low <= value <= high:
            raise _refuse(f"字段值不对：整数超出范围（{low} 至 {high}），收到 {str(value)[:40]}", table_name, name)
    for name, width in _text_widths(table_name):  # SQLite stores a longer text, PostgreSQL refuses it (issue 10)
        value = values[name]
        if value is not None and len(value) > width:
            raise _refuse(f"字段值不对：文字过长（最多 {width} 个字符），收到 {len(value)} 个", table_name, name)
    return values


@cache
def _text_widths(table_name: str) -> tuple[tuple[str, int], ...]:
    """(column, most characters) of every text column with a width (VARCHAR(n)): what every database holds."""
    return tuple((c.name, c.type.length) for c in table(table_name).columns
                 if _kind(c) == "str" and isinstance(c.type, String) and c.type.length)


@cache
def _int_ranges(table_name: str) -> tuple[tuple[str, int, int], ...]:
    """(column, lowest, highest) of every integer column: what the column type holds on every database."""
    ranges = []
    for c in table(table_name).columns:
        if _kind(c) == "int":
            bits = 63 if isinstance(c.type, BigInteger) else 31
            ranges.append((c.name, -(2 ** bits), 2 ** bits - 1))
    return tuple(ranges)


def township_owns(table_name: str, values: Mapping[str, Any], township_code: str,
                  unit_code: Callable[[str | None], str | None],
                  plan_owned: Callable[[str | None], bool]) -> bool:
    """Whether the township *township_code* owns this row (issue 6, item 3, table level).

    ``unit_code(id)`` gives the code of an org unit (None when unknown or without a code), looking at the
    bundle and the local database; ``plan_owned(id)`` whether a training plan is the township's."""
    rule = UP_OWNERSHIP.get(table_name)
    if rule is None:
        return False
    if rule == "township":
        return True
    if rule == "township_units":
        code = values.get("code")
        if code is None:  # a site without a code: owned when its parent is the township's
            parent = unit_code(values.get("parent_id"))
            return parent is not None and parent.startswith(township_code)
        return str(code).startswith(township_code) and values.get("kind") != "county"
    if rule == "township_training":
        organiser = unit_code(values.get("organizer_unit_id"))
        return values.get("organizer_level") == "township" and organiser == township_code
    return plan_owned(values.get("plan_id"))


def county_owns(table_name: str, values: Mapping[str, Any], township_code: str,
                unit_code: Callable[[str | None], str | None], plan_owned: Callable[[str | None], bool],
                session_plan: Callable[[str | None], str | None]) -> bool:
    """Whether a row arriving in a down bundle at *township_code* is the county's (issue 6, item 3): every row
    the township does not own (:func:`township_owns`), except that enrolments and attendance follow their
    training: in a county-run training they are the county's (the county records them for its trainings; an
    up bundle may still carry the township's own records of them, settled per field in a later session).
    ``session_plan(id)`` gives the training plan of a training session."""
    if table_name == "enrolment":
        return not plan_owned(values.get("plan_id"))
    if table_name == "attendance":
        return not plan_owned(session_plan(values.get("session_id")))
    return not township_owns(table_name, values, township_code, unit_code, plan_owned)


def field_owners(table_name: str, values: Mapping[str, Any], township_code: str) -> dict[str, str]:
    """Fields of this row owned by another level than the row (issue 6, item 3): ``{field: "county"|"township"}``;
    empty when the whole row has one owner. The township's own org unit row is the township's, but its code,
    name, kind, parent, active flag and order are the county's."""
    if table_name == "org_unit" and values.get("kind") == "township" and values.get("code") == township_code:
        return dict.fromkeys(COUNTY_FIELDS_OF_TOWNSHIP_UNIT, "county")
    return {}


# --- reading stored rows straight from SQLite (exports) -----------------------------------------------

def _stored_datetime(value: str) -> str:
    # SQLAlchemy stores "YYYY-MM-DD HH:MM:SS.ffffff"; bulk paths may have left the microseconds out
    if len(value) == 26 and value[10] == " ":
        return f"{value[:10]}T{value[11:]}"
    return dt.datetime.fromisoformat(value).isoformat(timespec="microseconds")


def _stored_bytes(value: bytes) -> dict[str, str]:
    return {B64_TAG: base64.b64encode(bytes(value)).decode("ascii")}


_STORED: dict[str, Callable[[Any], Any]] = {
    "bool": bool, "int": int, "float": float, "str": str, "date": str,
    "datetime": _stored_datetime, "time": lambda v: dt.time.fromisoformat(v).isoformat(), "bytes": _stored_bytes,
}


@cache
def stored_codec(table_name: str) -> tuple[tuple[str, ...], tuple[tuple[str, Callable[[Any], Any]], ...]]:
    """Column names and the columns whose value as SQLite stores it (what the driver returns) needs converting
    to its canonical JSON value (booleans, date-times, times, bytes; text, integers, reals and dates are stored
    as they travel): the same result as :func:`row_to_json` of the SQLAlchemy row, without turning dates into
    Python objects and back (exports of thousands of rows)."""
    t = table(table_name)
    names = tuple(c.name for c in t.columns)
    convert = tuple((c.name, _STORED[_kind(c)]) for c in t.columns if _kind(c) in ("bool", "datetime", "time", "bytes"))
    return names, convert


def stored_rows_to_json(table_name: str, rows: Iterable[tuple[Any, ...]]) -> list[dict[str, Any]]:
    """:func:`row_to_json` for raw SQLite rows in :func:`stored_codec` column order."""
    names, convert = stored_codec(table_name)
    out = []
    for row in rows:
        obj = dict(zip(names, row, strict=True))
        for name, f in convert:
            value = obj[name]
            if value is not None:
                obj[name] = f(value)
        out.append(obj)
    return out
