"""This office's keys (issue 6, item 1): made once and kept, never the same for two offices, and one
fingerprint over both public keys that is short enough to read over the phone."""

from __future__ import annotations

import re
from collections.abc import Callable

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey
from sqlalchemy import func, select

from remoteedu_desktop.data.database import Database, open_database
from remoteedu_desktop.data.models import AppSetting, SyncPeer
from remoteedu_desktop.services import office_keys, offices


def test_the_exchange_key_is_made_once_and_kept(db: Database, office: offices.OfficeInfo) -> None:
    with db.session() as s:
        assert s.get(AppSetting, office_keys.EXCHANGE_SETTING_KEY) is None
        first = office_keys.exchange_public_bytes(s)
        signing = office_keys.public_key_bytes(s)
    with db.session() as s:
        assert office_keys.exchange_public_bytes(s) == first
        assert office_keys.public_key_bytes(s) == signing
        assert len(first) == 32 and first != signing
        assert s.scalar(select(func.count()).select_from(AppSetting).where(
            AppSetting.key.in_([office_keys.SETTING_KEY, office_keys.EXCHANGE_SETTING_KEY]))) == 2
        private = office_keys.exchange_key(s)
    assert private.public_key().public_bytes_raw() == first


def test_a_rolled_back_session_keeps_no_key(db: Database, office: offices.OfficeInfo) -> None:
    try:
        with db.session() as s:
            office_keys.exchange_public_bytes(s)
            raise RuntimeError("roll back")
    except RuntimeError:
        pass
    with db.session() as s:
        assert s.get(AppSetting, office_keys.EXCHANGE_SETTING_KEY) is None


def test_two_offices_have_different_keys_and_can_agree_a_secret(database_url: Callable[..., str]) -> None:
    a, b = (open_database(database_url(f"{n}.sqlite3")) for n in "ab")
    try:
        with a.session() as sa, b.session() as sb:
            assert office_keys.exchange_public_bytes(sa) != office_keys.exchange_public_bytes(sb)
            assert office_keys.own_fingerprint(sa) != office_keys.own_fingerprint(sb)
            pub_a = X25519PublicKey.from_public_bytes(office_keys.exchange_public_bytes(sa))
            pub_b = X25519PublicKey.from_public_bytes(office_keys.exchange_public_bytes(sb))
            assert office_keys.exchange_key(sa).exchange(pub_b) == office_keys.exchange_key(sb).exchange(pub_a)
    finally:
        a.dispose()
        b.dispose()


def test_the_fingerprint_covers_both_keys_in_a_short_and_a_long_form(db: Database, office: offices.OfficeInfo) -> None:
    with db.session() as s:
        fp = office_keys.own_fingerprint(s)
        signing, exchange = office_keys.public_key_bytes(s), office_keys.exchange_public_bytes(s)
    with db.session() as s:
        assert office_keys.own_fingerprint(s) == fp
    assert re.fullmatch(r"[0-9A-F]{64}", fp.hex)
    assert re.fullmatch(r"[0-9A-F]{4}(-[0-9A-F]{4}){3}", fp.short)
    assert re.fullmatch(r"[0-9A-F]{4}( [0-9A-F]{4}){15}", fp.long)
    assert fp.long.replace(" ", "").startswith(fp.short.replace("-", ""))
    assert office_keys.office_fingerprint(signing, exchange) == fp
    # Either key changed (or the two swapped) gives another fingerprint.
    other = bytes(32)
    assert office_keys.office_fingerprint(other, exchange) != fp
    assert office_keys.office_fingerprint(signing, other) != fp
    assert office_keys.office_fingerprint(exchange, signing) != fp


def test_a_typed_fingerprint_matches_whatever_the_case_spaces_or_dashes(db: Database, office: offices.OfficeInfo) -> None:
    with db.session() as s:
        fp = office_keys.own_fingerprint(s)
    for typed in (fp.short, fp.short.lower(), fp.short.replace("-", " "), fp.short.replace("-", "—"),
                  f" {fp.short.replace('-', '')} ", fp.long, fp.long.lower()):
        assert fp.matches(typed), typed
    wrong = fp.short[:-1] + ("0" if fp.short[-1] != "0" else "1")
    for typed in (wrong, fp.short[:-1], fp.short + "0", "", fp.long[:-1]):
        assert not fp.matches(typed), typed


def test_only_accepted_peer_keys_are_signers(db: Database, office: offices.OfficeInfo,
                                            database_url: Callable[..., str]) -> None:
    other = open_database(database_url("county.sqlite3"))
    try:
        with other.session() as s:
            offices.init_office(s, level="county", code="360499", name="青山县")
            signing, exchange = office_keys.public_key_bytes(s), office_keys.exchange_public_bytes(s)
    finally:
        other.dispose()
    with db.session() as s:
        assert office_keys.peer_signers(s) == {}
        assert office_keys.peer_keys(s, "360499") is None
        s.add(SyncPeer(code="360499", name="青山县", level="county"))
    with db.session() as s:
        assert office_keys.peer_keys(s, "360499") is None, "a peer without keys has none to use"
        peer = s.scalar(select(SyncPeer))
        assert peer is not None
        peer.signing_public_key, peer.exchange_public_key = signing, exchange
    with db.session() as s:
        keys = office_keys.peer_keys(s, "360499")
        assert keys is not None and keys.name == "青山县" and keys.level == "county"
        assert keys.signing.public_bytes_raw() == signing and keys.exchange.public_bytes_raw() == exchange
        signers = office_keys.peer_signers(s)
        assert list(signers) == [office_keys.key_id(signing)]
        assert office_keys.key_id(office_keys.public_key_bytes(s)) not in signers
