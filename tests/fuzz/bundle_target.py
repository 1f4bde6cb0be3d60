"""Fuzz target 1: a township's up bundle imported at its county (``remoteedu sync import [--dry-run]``).

Prepared once (:func:`prepare`): a county and a township enrolled with each other and keys accepted (as in
``tests/services/test_sync_import.py``), the township holding sites, people, posts, a training with a sitting,
enrolment and attendance, equipment and an activity; its real up bundle, written by ``sync_export.export_up``; the
bundle's decrypted tables (the county can read them) and the township's real signing key.

Each input (:func:`one_input`) is one of:

- ``bytes``: the real bundle file with bytes flipped, cut, inserted, removed or repeated;
- ``container``: the real members in a zip of the canonical layout (or a zip from :mod:`zipfile`) with members
  renamed (path traversal, absolute, backslash, control characters), dropped, repeated, added, reordered,
  compressed, or a deflate bomb within the size limits;
- ``manifest``: the manifest changed field by field (wrong types, missing and extra fields, huge strings, bad
  dates, negative or huge sequences, other offices, formats, unknown tables, wrong hashes) or as raw bytes
  (non-UTF-8, duplicate keys, NaN), then signed with the township's real key, so that it passes the signature;
- ``rows``: the tables changed row by row (wrong types, missing and extra columns, huge strings, bad dates, lone
  surrogates, NUL, huge and negative numbers, duplicate or unsorted ids, references to nowhere, unknown tables,
  tombstones, rare hanzi and emoji), their JSON lines, compression, counts — written with the real keys;
- ``valid``: the real rows with harmless changes (names in rare hanzi, notes with emoji): must be imported.

The input then goes through ``sync_import.preview`` (the dry run) and ``sync_import.apply`` on a fresh copy of the
county's database, and :mod:`.oracle` judges the result.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import io
import json
import random
import shutil
import uuid
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey
from sqlalchemy import select

from remoteedu_desktop.data.database import open_database
from remoteedu_desktop.data.models import (
    Attendance,
    Enrolment,
    OrgUnit,
    Person,
    SyncLedger,
    SyncPeer,
    TrainingPlan,
    TrainingSession,
)
from remoteedu_desktop.errors import ValidationError
from remoteedu_desktop.services import (
    activities,
    equipment,
    office_keys,
    offices,
    people,
    posts,
    sync_export,
    sync_import,
    sync_rows,
)
from remoteedu_desktop.services import sync_enrolment as se
from remoteedu_desktop.services.id_number import check_digit
from remoteedu_desktop.sync import bundle_format as bf
from remoteedu_desktop.sync import crypto, zip_layout

from .oracle import Broken, Outcome, Slot, changed_tables, chinese, integrity_problem, snapshot

COUNTY, TOWNSHIP = "360499", "360499100"
TODAY = dt.date(2026, 6, 30)
Row = dict[str, Any]


@dataclass
class World:
    base: Path
    county_db: Path  #: the prepared county database (one file)
    bundle: bytes  #: the real up bundle
    bundle_name: str
    manifest: dict[str, Any]  #: its manifest as JSON
    readme: bytes
    tables: dict[str, list[Row]]  #: its decrypted rows
    signing_key: Ed25519PrivateKey  #: the township's
    recipient: X25519PublicKey  #: the county's exchange key


def _id_number(n: int, birth: dt.date) -> str:
    first17 = f"{COUNTY}{birth:%Y%m%d}{n:03d}"
    return first17 + check_digit(first17)


def _seed_township(db_path: Path) -> None:
    db = open_database(f"sqlite:///{db_path}", account="town_clerk")
    try:
        with db.session() as s:
            township = s.scalar(select(OrgUnit).where(OrgUnit.code == TOWNSHIP))
            assert township is not None
            villages = []
            for n, name in enumerate(("石门村", "𠀀家村", "新村"), start=201):
                v = OrgUnit(kind="village", code=f"{TOWNSHIP}{n}", name=name, parent_id=township.id)
                s.add(v)
                villages.append(v)
            s.flush()
            folks = []
            for n, name in enumerate(("张三", "李四", "王五", "赵六", "钱七"), start=1):
                folks.append(people.add_person(s, people.PersonInput(
                    name=name, id_number=_id_number(2 * n + 1, dt.date(1970 + n, n, 10 + n)),
                    phone=f"1380000000{n}", notes="备注 ✓" if n == 2 else None), today=TODAY))
            for slot, person in zip("AB", folks[:2], strict=True):
                posts.assign_post(s, person_id=person.id, unit_id=villages[0].id, role="village_manager",
                                  slot=slot, start_date=dt.date(2026, 1, 1), today=TODAY)
            posts.assign_post(s, person_id=folks[2].id, unit_id=township.id, role="township_tutor",
                              start_date=dt.date(2025, 3, 1), today=TODAY)
            plan = TrainingPlan(title="站点管理员培训", year=2026, organizer_level="township",
                                organizer_unit_id=township.id, target_role="village_manager",
                                target_level="village", kind="regular", mode="lecture", planned_hours=4)
            s.add(plan)
            s.flush()
            sitting = TrainingSession(plan_id=plan.id, date=dt.date(2026, 3, 1), start_time=dt.time(9, 0),
                                      hours=2.5, place="镇会议室")
            s.add(sitting)
            s.flush()
            for person in folks[:2]:
                s.add(Enrolment(plan_id=plan.id, person_id=person.id))
                s.add(Attendance(session_id=sitting.id, person_id=person.id, present=True, hours=2.5))
            equipment.add_equipment(s, equipment.EquipmentInput(site_id=villages[0].id, kind="receiver",
                                                                model="DVB-S2", serial_no="SN-001"), today=TODAY)
            activities.add_activity(s, activities.ActivityInput(
                site_id=villages[0].id, date=dt.date(2026, 4, 2), channel="expert_lecture", title="果树修剪",
                participants=30, hours=2.0, tutor_ids=(folks[2].id,)), today=TODAY)
            gone = s.get(Person, folks[4].id)
            assert gone is not None
            gone.deleted = True  # a tombstone travels too
    finally:
        db.dispose()


def prepare(base: Path) -> World:
    """The county, the township and the township's real bundle, made once under *base* (emptied first)."""
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir(parents=True)
    county = open_database(f"sqlite:///{base / 'county' / 'county.sqlite3'}", account="county_clerk")
    township_file = base / "township" / "township.sqlite3"
    township = open_database(f"sqlite:///{township_file}", account="town_clerk")
    try:
        with county.session() as s:
            offices.init_office(s, level="county", code=COUNTY, name="青山县")
            se.add_township_office(s, TOWNSHIP, "龙潭镇")
            enrolment = se.enrolment_file(s, TOWNSHIP)
        with township.session() as s:
            se.install_enrolment(s, enrolment, where="龙潭镇.json")
            keys = office_keys.public_key_bytes(s), office_keys.exchange_public_bytes(s)
            fp = office_keys.own_fingerprint(s)
        with county.session() as s:
            se.pending_peer_key(s, TOWNSHIP, *keys)
            se.accept_peer(s, TOWNSHIP, fp.short)
        township.dispose()
        _seed_township(township_file)
        township = open_database(f"sqlite:///{township_file}", account="town_clerk")
        stick = base / "stick"
        stick.mkdir(exist_ok=True)
        with township.session() as s:
            result = sync_export.export_up(s, stick)
            signing = office_keys.signing_key(s)
        with county.session() as s:
            exchange = office_keys.exchange_key(s)
            signers = office_keys.peer_signers(s)
        opened = bf.read_bundle(result.path, signers=signers, recipient_key=exchange, expected_target=COUNTY)
        tables = {t: copy.deepcopy(opened.rows(t)) for t in opened.tables}
        with zipfile.ZipFile(result.path) as zf:
            readme = zf.read(bf.README)
        county_path = county.path
        assert county_path is not None
    finally:
        county.dispose()
        township.dispose()
    prepared = base / "county-prepared.sqlite3"
    snapshot(county_path, prepared)
    return World(base, prepared, result.path.read_bytes(), result.path.name, json.loads(opened.manifest.raw),
                 readme, tables, signing, exchange.public_key())


# --- building bundles with the real keys -----------------------------------------------------------------------

def encode_rows(rows: list[Row], *, ascii_only: bool = False) -> bytes:
    """JSON lines in the given order (the canonical writer would refuse duplicates; the fuzzer must not)."""
    lines = []
    for row in rows:
        try:
            lines.append(json.dumps(row, sort_keys=True, separators=(",", ":"), ensure_ascii=ascii_only,
                                    allow_nan=True).encode("utf-8"))
        except UnicodeEncodeError:  # a lone surrogate: only the escaped form is UTF-8
            lines.append(json.dumps(row, sort_keys=True, separators=(",", ":"), allow_nan=True).encode("ascii"))
    return b"".join(line + b"\n" for line in lines)


def counts_of(rows: list[Row]) -> dict[str, int]:
    dead = sum(1 for r in rows if isinstance(r, dict) and r.get("deleted") is True)
    return {"changes": len(rows) - dead, "tombstones": dead}


@dataclass
class Draft:
    """A bundle about to be built: every part can be changed before :meth:`build`."""

    world: World
    plains: dict[str, bytes]  #: table → JSON lines
    counts: dict[str, dict[str, int]]
    bundle_id: str
    compress: Callable[[bytes], bytes] = lambda plain: zlib.compress(plain, 1)
    readme: bytes = b""
    manifest_edit: Callable[[dict[str, Any]], dict[str, Any] | bytes] | None = None
    members_edit: Callable[[list[tuple[str, bytes]]], list[tuple[str, bytes]]] | None = None

    def build(self) -> bytes:
        key = crypto.new_content_key()
        members: list[tuple[str, bytes]] = []
        files: dict[str, dict[str, Any]] = {}
        for table in sorted(self.plains):
            name = bf.data_member(table)
            nonce, sealed = crypto.encrypt_member(key, self.bundle_id, name, self.compress(self.plains[table]))
            members.append((name, sealed))
            files[name] = {"sha256": hashlib.sha256(sealed).hexdigest(), "size": len(sealed), "nonce": nonce.hex()}
        readme = self.readme or self.world.readme
        files[bf.README] = {"sha256": hashlib.sha256(readme).hexdigest(), "size": len(readme)}
        wrapped = crypto.wrap_content_key(key, self.world.recipient, self.bundle_id)
        value = copy.deepcopy(self.world.manifest)
        value.update(bundle_id=self.bundle_id, tables=self.counts, files=files, encryption={
            **value["encryption"], "recipient_key_id": wrapped.recipient_key_id.hex(),
            "ephemeral_public_key": wrapped.ephemeral_public.hex(), "wrap_nonce": wrapped.nonce.hex(),
            "wrapped_key": wrapped.sealed_key.hex()})
        edited = self.manifest_edit(value) if self.manifest_edit else value
        raw = edited if isinstance(edited, bytes) else bf.canonical_json(edited) if _canonical_ok(edited) \
            else json.dumps(edited, sort_keys=True, separators=(",", ":")).encode("utf-8")
        all_members = [(bf.MANIFEST, raw), (bf.SIGNATURE, crypto.sign(self.world.signing_key, raw)),
                       (bf.README, readme), *members]
        if self.members_edit:
            all_members = self.members_edit(all_members)
        return zip_layout.build(all_members)


def _canonical_ok(value: Any) -> bool:
    try:
        bf.canonical_json(value)
        return True
    except (TypeError, ValueError, UnicodeEncodeError):
        return False


def draft(world: World, tables: dict[str, list[Row]] | None = None) -> Draft:
    tables = world.tables if tables is None else tables
    return Draft(world, {t: encode_rows(rows) for t, rows in tables.items()},
                 {t: counts_of(rows) for t, rows in tables.items()}, world.manifest["bundle_id"])


# --- mutations ---------------------------------------------------------------------------------------------------

RARE = ["𠀀", "𪚥", "䶮", "㐀", "龘", "🙂", "👨‍👩‍👧", "\u200b", "\u202e", "\ufeff", "é", "ｱ", "\x00", "\x1f", "\u2028",
        "\ud800", "\udfff", "\\", "../", "'; DROP TABLE person; --", "%s%n", "\U0010ffff"]
WEIRD_VALUES: list[Any] = [
    None, True, False, 0, -1, 1, 2 ** 31, 2 ** 63, 2 ** 64, -(2 ** 63) - 1, 10 ** 40, 1.5, -0.0, 1e308,
    float("nan"), float("inf"), "", " ", "x" * 70_000, "长" * 5000, "2024-02-30", "2024-13-01", "0000-00-00",
    "2024-01-01T25:00:00", "2024-01-01T00:00:00+08:00", "9999-12-31", "yesterday", "12:61", "1e5", "NaN",
    "\x00", "\ud800", "𠀀𪚥🙂", [], [1, 2], {}, {"$b64": "!!"}, {"$b64": "AAAA"}, {"a": {"b": {"c": [None]}}},
    "5f0c3c52-8d1e-4c55-9a51-6a0d2f3b7e11", "../../etc/passwd", "C:\\Windows", "360499100", "360499", "a" * 300,
]


def _uuid(rng: random.Random) -> str:
    """A uuid4 from the input's own random source, so that ``--replay`` makes the same input."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _weird(rng: random.Random) -> Any:
    if rng.random() < 0.15:
        return "".join(rng.choice(RARE) for _ in range(rng.randint(1, 6)))
    return copy.deepcopy(rng.choice(WEIRD_VALUES))


def mutate_bytes(rng: random.Random, data: bytes, steps: list[str]) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.choice((1, 1, 1, 2, 3, 5))):
        op = rng.choice(("flip", "flip", "byte", "truncate", "insert", "delete", "repeat", "append", "zero",
                         "splice_header"))
        n = len(buf)
        at = rng.randrange(max(n, 1))
        if op == "flip" and n:
            buf[at] ^= 1 << rng.randrange(8)
        elif op == "byte" and n:
            buf[at] = rng.randrange(256)
        elif op == "truncate":
            del buf[rng.randrange(n + 1):]
        elif op == "insert":
            buf[at:at] = rng.randbytes(rng.choice((1, 2, 4, 17, 300)))
        elif op == "delete":
            del buf[at:at + rng.choice((1, 2, 4, 30, 1000))]
        elif op == "repeat":
            piece = buf[at:at + rng.choice((1, 4, 46, 500))]
            buf[at:at] = piece
        elif op == "append":
            buf += rng.choice((b"\x00" * 10, b"PK\x05\x06" + bytes(18), rng.randbytes(64), data[:100]))
        elif op == "zero":
            buf[at:at + 16] = bytes(len(buf[at:at + 16]))
        elif op == "splice_header" and n > 30:  # a local header field: sizes, flags, method, name length
            pos = rng.choice((6, 8, 18, 22, 26, 28))
            buf[pos:pos + 2] = rng.randbytes(2)
        steps.append(f"bytes:{op}@{at}")
    return bytes(buf)


BAD_NAMES = ["../manifest.json", "/etc/passwd", "C:/x.txt", "data\\person.jsonl.enc", "data/../manifest.json",
             "data/./person.jsonl.enc", "data/Person.jsonl.enc", "data/person.jsonl", "data/x\x01.jsonl.enc",
             "", "说明.TXT", "manifest.json/", "data/" + "a" * 70 + ".jsonl.enc", "data/zz_unknown.jsonl.enc",
             "extra.txt", "data/person.jsonl.enc.exe", "\u202etxt.exe", "data/𠀀.jsonl.enc"]


def mutate_container(rng: random.Random, world: World, steps: list[str]) -> bytes:
    with zipfile.ZipFile(io.BytesIO(world.bundle)) as zf:
        members = [(i.filename, zf.read(i)) for i in zf.infolist()]
    op = rng.choice(("rename", "drop", "repeat", "extra", "reorder", "deflate", "bomb", "stored_bomb",
                     "encrypted_flag", "many"))
    steps.append(f"container:{op}")
    if op == "rename":
        k = rng.randrange(len(members))
        members[k] = (rng.choice(BAD_NAMES), members[k][1])
    elif op == "drop":
        del members[rng.randrange(len(members))]
    elif op == "repeat":
        members.insert(rng.randrange(len(members) + 1), rng.choice(members))
    elif op == "extra":
        members.append((rng.choice(BAD_NAMES[9:] + ["data/zz_unknown.jsonl.enc"]), rng.randbytes(rng.randrange(64))))
    elif op == "reorder":
        rng.shuffle(members)
    elif op == "many":
        members += [(f"data/t{n}.jsonl.enc", b"") for n in range(rng.choice((10, 300)))]
    if op in ("deflate", "bomb", "encrypted_flag"):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for name, body in members:
                zf.writestr(name, body)
            if op == "bomb":
                zf.writestr("data/zz_bomb.jsonl.enc", b"\x00" * rng.choice((5_000, 2_000_000, 40_000_000)))
        data = bytearray(out.getvalue())
        if op == "encrypted_flag":
            data[6] |= 1
        return bytes(data)
    if op == "stored_bomb":  # a central directory that claims a huge member
        data = bytearray(zip_layout.build(members))
        end = data.rfind(b"PK\x01\x02")
        data[end + 24:end + 28] = (rng.choice((300 * 1024 * 1024, 2 ** 32 - 1))).to_bytes(4, "little")
        return bytes(data)
    try:
        return zip_layout.build(members)
    except (ValueError, UnicodeEncodeError):
        return world.bundle[: len(world.bundle) // 2]


def _bad_field(rng: random.Random, value: dict[str, Any], steps: list[str]) -> None:
    """One field of the manifest (or of one of its objects) changed, removed or added."""
    target = value
    path = []
    while isinstance(target, dict) and target and rng.random() < 0.45:
        key = rng.choice(sorted(target))
        if not isinstance(target[key], dict):
            break
        target, path = target[key], [*path, key]
    if not isinstance(target, dict):
        return
    op = rng.choice(("set", "set", "set", "delete", "add"))
    key = rng.choice(sorted(target)) if target else "x"
    if op == "delete":
        target.pop(key, None)
    elif op == "add":
        key = rng.choice(("extra", "tables", "__proto__", "signer_key_id", "zz"))
        target[key] = _weird(rng)
    else:
        target[key] = _weird(rng)
    steps.append(f"manifest:{op} {'.'.join([*path, key])}")


MANIFEST_SPECIALS: list[tuple[str, Callable[[dict[str, Any]], None]]] = [
    ("sequence 0", lambda v: v.update(sequence=0)),
    ("sequence -1", lambda v: v.update(sequence=-1)),
    ("sequence 2", lambda v: v.update(sequence=2)),
    ("sequence huge", lambda v: v.update(sequence=10 ** 30)),
    ("sequence 2**63", lambda v: v.update(sequence=2 ** 63)),
    ("sequence text", lambda v: v.update(sequence="1")),
    ("format 2", lambda v: v.update(format=2, min_reader_format=2)),
    ("format 2 readable", lambda v: v.update(format=2)),
    ("min reader > format", lambda v: v.update(min_reader_format=5)),
    ("direction down", lambda v: v.update(direction="down")),
    ("level county", lambda v: v["source"].update(level="county")),
    ("other township", lambda v: v["source"].update(code="360499101")),
    ("other county", lambda v: v["target"].update(code="360500")),
    ("source name long", lambda v: v["source"].update(name="龙" * 100_000)),
    ("source name blank", lambda v: v["source"].update(name="   ")),
    ("schema unknown", lambda v: v.update(schema_revision="ffffffffffff")),
    ("created_at bad", lambda v: v.update(created_at="2026-02-30T00:00:00Z")),
    ("created_at tz", lambda v: v.update(created_at="2026-06-30T00:00:00+08:00")),
    ("previous sha", lambda v: v.update(previous_sha256="0" * 64)),
    ("previous sha bad", lambda v: v.update(previous_sha256="XYZ")),
    ("bundle id upper", lambda v: v.update(bundle_id=v["bundle_id"].upper())),
    ("bundle id other", lambda v: v.update(bundle_id="0b9f2f4e-3a51-4d0e-8c3e-5a7f0d9b1c22")),
    ("unknown table", lambda v: v["tables"].update(zz_unknown={"changes": 0, "tombstones": 0})),
    ("bad table name", lambda v: v["tables"].update({"../x": {"changes": 0, "tombstones": 0}})),
    ("counts negative", lambda v: v["tables"]["person"].update(changes=-1)),
    ("counts huge", lambda v: v["tables"]["person"].update(changes=2 ** 70)),
    ("file size wrong", lambda v: v["files"][bf.README].update(size=v["files"][bf.README]["size"] + 1)),
    ("file missing", lambda v: v["files"].pop(bf.data_member("person"))),
    ("file nonce short", lambda v: v["files"][bf.data_member("person")].update(nonce="00")),
    ("cipher other", lambda v: v["encryption"].update(cipher="ROT13")),
    ("signer other", lambda v: v.update(signer_key_id="0" * len(v["signer_key_id"]))),
    ("recipient other", lambda v: v["encryption"].update(recipient_key_id="0" * 16)),
    ("program not text", lambda v: v.update(program=[1])),
    ("tables list", lambda v: v.update(tables=[])),
]


def mutate_manifest(rng: random.Random, world: World, steps: list[str]) -> bytes:
    d = draft(world)
    choice = rng.random()
    if choice < 0.15:  # raw bytes: not UTF-8, duplicate keys, NaN, nesting, not an object
        raw_kind = rng.choice(("latin1", "dupkey", "nan", "deep", "array", "bom", "trailing", "empty"))
        steps.append(f"manifest:raw {raw_kind}")

        def raw(value: dict[str, Any]) -> bytes:
            text = bf.canonical_json(value)
            return {"latin1": text.replace(b"\xe9\xbe\x99", b"\xe9\xbe"),  # a broken UTF-8 sequence
                    "dupkey": text[:-1] + b',"format":1}',
                    "nan": text.replace(b'"format":1', b'"format":NaN'),
                    "deep": b"[" * 100_000 + b"]" * 100_000,
                    "array": b"[" + text + b"]",
                    "bom": b"\xef\xbb\xbf" + text,
                    "trailing": text + b"\n{}",
                    "empty": b""}[raw_kind]

        d.manifest_edit = raw
        if raw_kind == "latin1" and b"\xe9\xbe\x99" not in bf.canonical_json(world.manifest):
            d.manifest_edit = lambda value: b"\xff" + bf.canonical_json(value)
    elif choice < 0.55:
        label, special = rng.choice(MANIFEST_SPECIALS)
        steps.append(f"manifest:{label}")

        def edit(value: dict[str, Any]) -> dict[str, Any]:
            special(value)
            return value

        d.manifest_edit = edit
    else:
        def edit(value: dict[str, Any]) -> dict[str, Any]:
            for _ in range(rng.choice((1, 1, 2, 3))):
                _bad_field(rng, value, steps)
            return value

        d.manifest_edit = edit
    return d.build()


def _referencing_columns(table: str) -> dict[str, str]:
    try:
        return sync_rows.references(sync_rows.table(table))
    except ValidationError:
        return {}


def _row_op(rng: random.Random, tables: dict[str, list[Row]], steps: list[str]) -> None:
    names = sorted(t for t, rows in tables.items() if rows)
    table = rng.choice(names)
    rows = tables[table]
    k = rng.randrange(len(rows))
    row = rows[k]
    if not isinstance(row, dict):  # an earlier step made it a non-object: that is the mutation
        steps.append(f"rows:skip {table}")
        return
    cols = sorted(row)
    op = rng.choice(("type", "type", "type", "drop_col", "extra_col", "huge", "date", "fk", "dup_id", "dup_row",
                     "unsorted", "id", "tombstone", "deleted_bad", "empty_table", "drop_table", "unknown_table",
                     "not_object", "stamps", "unicode", "int_edge"))
    col = rng.choice(cols) if cols else "id"
    detail = f"{table}.{col}"
    if op == "type":
        row[col] = _weird(rng)
    elif op == "drop_col":
        row.pop(col, None)
    elif op == "extra_col":
        row[rng.choice(("zz_new", "id2", "Name", ""))] = _weird(rng)
    elif op == "huge":
        row[col] = rng.choice(("x", "龙", "🙂")) * rng.choice((10_000, 300_000, 2_000_000))
    elif op == "date":
        row[col] = rng.choice(("2026-02-29", "2026-00-10", "26-1-1", "2026-06-30T24:00:00", "1900-01-01",
                               "0001-01-01", "9999-12-31T23:59:59.999999", "2026-06-30 09:00:00",
                               "2026-06-30T09:00:00Z", "2026-W01"))
    elif op == "fk":
        refs = _referencing_columns(table)
        if refs:
            col = rng.choice(sorted(refs))
            detail = f"{table}.{col}"
        row[col] = rng.choice((_uuid(rng), "", "nowhere", rows[0].get("id") if isinstance(rows[0], dict) else ""))
    elif op == "dup_id":
        other = copy.deepcopy(rng.choice([r for r in rows if isinstance(r, dict)]))
        other["id"] = row.get("id")
        rows.insert(k, other)
    elif op == "dup_row":
        other = copy.deepcopy(row)
        other["id"] = _uuid(rng)
        rows.append(other)
        rows.sort(key=lambda r: str(r.get("id")) if isinstance(r, dict) else "")
    elif op == "unsorted":
        rng.shuffle(rows)
    elif op == "id":
        row["id"] = rng.choice(("", None, 7, "../../x", "𠀀", _uuid(rng).upper(), "a" * 5000))
        rows.sort(key=lambda r: str(r.get("id")) if isinstance(r, dict) else "")
    elif op == "tombstone":
        row["deleted"] = True
    elif op == "deleted_bad":
        row["deleted"] = rng.choice((1, "true", None, 0))
    elif op == "empty_table":
        rows.clear()
    elif op == "drop_table":
        del tables[table]
    elif op == "unknown_table":
        tables[rng.choice(("zz_unknown", "sqlite_master", "alembic_version", "local_office", "sync_ledger"))] = \
            [{"id": _uuid(rng), "x": 1}]
    elif op == "not_object":
        rows[k] = rng.choice(([1, 2], "text", 3, None))
    elif op == "stamps":
        row[rng.choice(sync_rows.STAMP_COLUMNS)] = rng.choice(("360499101", "360499", -5, 2 ** 62, None, ""))
    elif op == "unicode":
        row[col] = "".join(rng.choice(RARE) for _ in range(rng.randint(1, 8)))
    elif op == "int_edge":
        row[col] = rng.choice((2 ** 63, -(2 ** 63) - 1, 2 ** 100, -1, 0))
    steps.append(f"rows:{op} {detail}")


def _plain_op(rng: random.Random, d: Draft, steps: list[str]) -> None:
    table = rng.choice(sorted(d.plains))
    plain = d.plains[table]
    op = rng.choice(("not_utf8", "no_newline", "blank_line", "not_json", "array_line", "nan", "deep", "padding",
                     "bomb", "crlf", "bom", "zlib_garbage", "zlib_cut", "zlib_trailing", "raw_deflate", "gzip",
                     "empty_stream", "counts_stale"))
    steps.append(f"rows:{op} {table}")
    if op == "not_utf8":
        d.plains[table] = plain + b'{"id":"\xff\xfe"}\n'
    elif op == "no_newline":
        d.plains[table] = plain.rstrip(b"\n")
    elif op == "blank_line":
        d.plains[table] = b"\n" + plain
    elif op == "not_json":
        d.plains[table] = plain + b"{id: 1}\n"
    elif op == "array_line":
        d.plains[table] = plain + b"[]\n"
    elif op == "nan":
        d.plains[table] = b'{"id":"zzzz","x":NaN}\n' + plain
    elif op == "deep":
        d.plains[table] = b'{"id":"zzzz","x":' + b"[" * 50_000 + b"]" * 50_000 + b"}\n"
        d.counts[table] = {"changes": 1, "tombstones": 0}
    elif op == "padding":  # a line padded to almost a MiB: compresses very well, within every limit
        d.plains[table] = plain.replace(b"}\n", b"}" + b" " * 900_000 + b"\n", 1)
    elif op == "bomb":  # well over the ratio limit
        d.plains[table] = b" " * rng.choice((3_000_000, 60_000_000)) + plain
    elif op == "crlf":
        d.plains[table] = plain.replace(b"\n", b"\r\n")
    elif op == "bom":
        d.plains[table] = b"\xef\xbb\xbf" + plain
    elif op == "zlib_garbage":
        d.compress = lambda p: rng.randbytes(40)
    elif op == "zlib_cut":
        d.compress = lambda p: zlib.compress(p)[:-5]
    elif op == "zlib_trailing":
        d.compress = lambda p: zlib.compress(p) + b"extra"
    elif op == "raw_deflate":
        d.compress = lambda p: zlib.compress(p)[2:-4]
    elif op == "gzip":
        d.compress = lambda p: zlib.compressobj(wbits=31).compress(p) + zlib.compressobj(wbits=31).flush()
    elif op == "empty_stream":
        d.compress = lambda p: b""
    elif op == "counts_stale":
        c = d.counts[table]
        d.counts[table] = {"changes": c["changes"] + rng.choice((-1, 1)), "tombstones": c["tombstones"]}


def mutate_rows(rng: random.Random, world: World, steps: list[str]) -> bytes:
    tables = copy.deepcopy(world.tables)
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        _row_op(rng, tables, steps)
    d = draft(world, tables)
    if rng.random() < 0.25:
        _plain_op(rng, d, steps)
    if rng.random() < 0.1:  # counts as the manifest had them before the change
        d.counts = {t: c for t, c in draft(world).counts.items() if t in d.plains} | \
                   {t: c for t, c in d.counts.items() if t not in world.tables}
        steps.append("rows:counts_from_original")
    return d.build()


HARMLESS = ["𠀀𪚥", "王🙂", "李\u200b四", "欧阳娜娜", "Ａｂｃ", "龘" * 50, "né", "阿卜杜热合曼·买买提"]


def mutate_valid(rng: random.Random, world: World, steps: list[str]) -> bytes:
    tables = copy.deepcopy(world.tables)
    for _ in range(rng.randint(0, 3)):
        table = rng.choice(("person", "equipment", "activity", "training_session"))
        rows = [r for r in tables.get(table, []) if not r.get("deleted")]
        if not rows:
            continue
        row = rng.choice(rows)
        column = {"person": "notes", "equipment": "notes", "activity": "notes", "training_session": "place"}[table]
        row[column] = rng.choice(HARMLESS)
        steps.append(f"valid:{table}.{column}")
    if not steps:
        steps.append("valid:as exported")
    d = draft(world, tables)
    if rng.random() < 0.5:
        d.bundle_id = _uuid(rng)
    return d.build()


FAMILIES: dict[str, Callable[[random.Random, World, list[str]], bytes]] = {
    "bytes": lambda rng, world, steps: mutate_bytes(rng, world.bundle, steps),
    "container": mutate_container,
    "manifest": mutate_manifest,
    "rows": mutate_rows,
    "valid": mutate_valid,
}
WEIGHTS = {"bytes": 3, "container": 1, "manifest": 2, "rows": 4, "valid": 1}


def make_input(rng: random.Random, world: World) -> tuple[bytes, str, list[str]]:
    family = rng.choices(sorted(WEIGHTS), weights=[WEIGHTS[f] for f in sorted(WEIGHTS)])[0]
    steps: list[str] = []
    data = FAMILIES[family](rng, world, steps)
    name = world.bundle_name
    if rng.random() < 0.05:
        name = rng.choice(("x.zip", "数据包 (1).zip", "TWN-360499100-UP-000001-20260630 - 副本.zip", "a" * 200 + ".zip"))
        steps.append(f"name:{name[:20]}")
    return data, name, steps


# --- the oracle for one input ------------------------------------------------------------------------------------

def _check_refusal(exc: ValidationError, where: str, what: str) -> str:
    if not chinese(exc.message):
        raise Broken("crash", f"{what}: refusal without a Chinese message: {exc.text()!r}")
    if not (exc.where or exc.field):
        raise Broken("crash", f"{what}: refusal that names no place (file or field): {exc.text()!r}")
    if exc.where and where not in exc.where and exc.where not in where:
        raise Broken("crash", f"{what}: refusal names another place {exc.where!r}, not {where!r}")
    return exc.message


#: Tables a refused import may change: the ledger records the refusal (quarantine), and a bundle signed with
#: another key leaves that key pending in ``sync_peer`` (sync_import.apply, KeyNotAccepted).
REFUSAL_MAY_CHANGE = {"sync_ledger", "sync_peer"}


def judge(slot: Slot, data: bytes, name: str, *, dry_run: bool = False) -> Outcome:
    """Dry run, then import, on a fresh copy of the county; the promises of issue 10, item 4. With *dry_run*
    only ``sync import --dry-run`` (every check and the whole merge, rolled back): faster, for the tests' volume."""
    if dry_run:
        slot.pristine()
    else:
        slot.restore()
    stick = slot.work / "stick"
    shutil.rmtree(stick, ignore_errors=True)
    stick.mkdir()
    path = stick / name
    path.write_bytes(data)
    before = slot.digests
    db = slot.open()
    slot.dirty = True  # until the dry run is shown to have written nothing
    try:
        preview_message = None
        try:
            with db.session() as s:
                preview = sync_import.preview(s, path)
            if preview.status != "preview":
                raise Broken("crash", f"dry run of a new bundle says {preview.status}")
        except ValidationError as exc:
            preview_message = _check_refusal(exc, name, "dry run")
        moved = changed_tables(before, slot.after())
        if moved:
            raise Broken("partial", f"the dry run changed tables {moved}")
        if dry_run:
            slot.dirty = False
            return Outcome("refused", preview_message) if preview_message else Outcome("imported", "")
        report = sync_import.apply(db, path)
        after = slot.after()
        moved = changed_tables(before, after)
        if report.status == "refused":
            message = report.message or ""
            if not chinese(message):
                raise Broken("crash", f"import refused without a Chinese message: {message!r}")
            if preview_message is None:
                raise Broken("crash", f"the dry run passed but the import was refused: {message}")
            allowed = REFUSAL_MAY_CHANGE if sync_import.CONFIRM_FINGERPRINT in message else {"sync_ledger"}
            if set(moved) - allowed:
                raise Broken("partial", f"a refused import changed tables {sorted(set(moved) - allowed)} ({message})")
            if report.quarantine is None or not report.quarantine.is_file():
                raise Broken("partial", f"a refused bundle was not kept in quarantine ({message})")
            with db.session() as s:
                applied = s.scalar(select(SyncLedger).where(SyncLedger.status == "applied").limit(1))
            if applied is not None:
                raise Broken("partial", f"a refused import left an applied ledger row ({message})")
            kind, text = "refused", message
        elif report.status == "applied":
            if preview_message is not None:
                raise Broken("crash", f"the dry run refused ({preview_message}) but the import applied")
            _check_applied(db, report, path)
            kind, text = "imported", ""
        else:
            raise Broken("crash", f"import of a new bundle says {report.status}")
    finally:
        db.engine.dispose()
    problem = integrity_problem(slot.file)
    if problem:
        raise Broken("partial", problem)
    return Outcome(kind, text)


def _check_applied(db: Any, report: sync_import.ImportReport, path: Path) -> None:
    """An import is consistent: the ledger and the peer say so, every record is accounted for and every new
    record is in the database as the bundle has it."""
    records = sum(sum(c.values()) for c in report.counts().values())
    if records != sum(report.manifest_counts.values()):
        raise Broken("partial", f"records reported {records} != manifest {sum(report.manifest_counts.values())}")
    with db.session() as s:
        ledger = s.scalar(select(SyncLedger).where(SyncLedger.bundle_id == report.bundle_id))
        if ledger is None or ledger.status != "applied" or ledger.sha256 != hashlib.sha256(path.read_bytes()).hexdigest():
            raise Broken("partial", "the ledger does not record the applied bundle")
        peer = s.scalar(select(SyncPeer).where(SyncPeer.code == report.source_code))
        if peer is None or peer.last_received_seq != report.sequence:
            raise Broken("partial", "the peer's received sequence is not the bundle's")
        check = sync_import.check_bundle(s, path)
        if check.already is None:
            raise Broken("partial", "the applied bundle is not recognised as already imported")
        conn = s.connection()
        for r in report.records:
            if r.status != "new" or r.table not in check.values:
                continue
            t = sync_rows.table(r.table)
            got = conn.execute(select(t).where(t.c.id == r.id)).mappings().first()
            want = next((v for v in check.values[r.table] if v["id"] == r.id), None)
            if got is None or want is None:
                continue  # an org unit matched by code lives under the county's id
            diff = [c for c in want if c not in sync_rows.STAMP_COLUMNS and got[c] != want[c]]
            if diff:
                raise Broken("partial", f"new {r.table} {r.id[:8]} stored differently: {diff}")


def make_slot(world: World, work: Path) -> Slot:
    return Slot(world.county_db, work, "county_clerk")


__all__ = ["World", "judge", "make_input", "make_slot", "prepare"]
