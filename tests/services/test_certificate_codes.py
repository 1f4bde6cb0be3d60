"""Offline verification codes (R11): Ed25519-signed, every changed character fails."""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Callable

import pytest

from remoteedu_desktop.data.database import Database, open_database
from remoteedu_desktop.data.models import SyncPeer
from remoteedu_desktop.errors import ValidationError
from remoteedu_desktop.services import certificate_codes, office_keys, offices

DAY = dt.date(2026, 11, 29)
ALPHABET = string.ascii_uppercase + "234567"


def _code(db: Database, name: str = "欧阳𬌗㐀") -> str:
    with db.session() as s:
        return certificate_codes.make_code(s, number="3604992026SG0001", name=name, kind="on_duty", issue_date=DAY)


def test_round_trip_reads_back_the_content(db: Database, office: offices.OfficeInfo) -> None:
    code = _code(db)
    assert code.startswith("RE1-") and set(code[4:]) <= set(ALPHABET + "-")  # QR alphanumeric mode
    with db.session() as s:
        result = certificate_codes.verify(s, code)
    assert result.genuine
    assert result.content is not None
    assert (result.content.number, result.content.name, result.content.kind, result.content.issue_date) == (
        "3604992026SG0001", "欧阳𬌗㐀", "on_duty", DAY)
    assert result.issuer == "龙潭镇"
    assert result.status is None and "没有这本证书" in result.message


def test_the_same_content_always_gives_the_same_code(db: Database, office: offices.OfficeInfo) -> None:
    assert _code(db) == _code(db)
    assert _code(db) != _code(db, name="欧阳𬌗")


def test_typing_is_forgiving_about_case_spaces_and_look_alike_digits(db: Database, office: offices.OfficeInfo) -> None:
    code = _code(db)
    typed = code.lower().replace("-", " ")
    with db.session() as s:
        assert certificate_codes.verify(s, typed).genuine
        if "O" in code:
            assert certificate_codes.verify(s, code.replace("O", "0")).genuine


def test_every_changed_character_fails(db: Database, office: offices.OfficeInfo) -> None:
    code = _code(db)
    positions = [i for i, ch in enumerate(code) if ch != "-" and i >= 4]
    with db.session() as s:
        for i in positions:
            other = ALPHABET[(ALPHABET.index(code[i]) + 7) % len(ALPHABET)]
            result = certificate_codes.verify(s, code[:i] + other + code[i + 1:])
            assert not result.genuine, f"changed character at {i} still verified"


def test_garbage_gets_a_clear_message(db: Database, office: offices.OfficeInfo) -> None:
    with db.session() as s:
        for text, part in [("hello", "RE1"), ("RE1-!!!!", "无效字符"), ("RE1-AEASM", "不完整")]:
            result = certificate_codes.verify(s, text)
            assert not result.genuine and part in result.message
    with pytest.raises(ValidationError):
        certificate_codes.decode("RE1-AAAA")


def test_a_peer_office_code_verifies_once_its_public_key_is_known(
        db: Database, office: offices.OfficeInfo, database_url: Callable[..., str]) -> None:
    other = open_database(database_url("county.sqlite3"))
    try:
        with other.session() as s:
            offices.init_office(s, level="county", code="360499", name="青山县")
            code = certificate_codes.make_code(s, number="3604992026PR0007", name="李四", kind="appointment",
                                               issue_date=DAY)
            public = office_keys.public_key_bytes(s)
    finally:
        other.dispose()
    with db.session() as s:
        unknown = certificate_codes.verify(s, code)
        assert not unknown.genuine and "密钥未知" in unknown.message
        s.add(SyncPeer(code="360499", name="青山县", level="county", signing_public_key=public,
                       fingerprint=office_keys.fingerprint(public)))
    with db.session() as s:
        known = certificate_codes.verify(s, code)
    assert known.genuine and known.issuer == "青山县"


def test_the_signing_key_is_made_once_and_kept(db: Database, office: offices.OfficeInfo) -> None:
    with db.session() as s:
        first = office_keys.public_key_bytes(s)
    with db.session() as s:
        assert office_keys.public_key_bytes(s) == first
        assert len(office_keys.fingerprint(first).split()) == 8
