"""This office's Ed25519 signing key (certificates now, sync bundles in step 5) and the public
keys of the offices it knows. The private key stays in this database's local settings table and
never travels; peers' public keys come from ``sync_peer``."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..data.models import AppSetting, SyncPeer
from .offices import office_info

SETTING_KEY = "office.signing_key"


@dataclass(frozen=True)
class KnownKey:
    key_id: bytes  #: first 4 bytes of the public key's SHA-256
    office_code: str
    office_name: str
    public_key: Ed25519PublicKey
    own: bool


def key_id(public: bytes) -> bytes:
    return hashlib.sha256(public).digest()[:4]


def fingerprint(public: bytes) -> str:
    """The public key's SHA-256 in groups of four, to compare by phone or on paper."""
    digest = hashlib.sha256(public).hexdigest().upper()
    return " ".join(digest[i:i + 4] for i in range(0, 32, 4))


def _raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def signing_key(session: Session) -> Ed25519PrivateKey:
    """This office's private key, made on first use (in the caller's transaction)."""
    row = session.get(AppSetting, SETTING_KEY)
    if row is not None:
        return Ed25519PrivateKey.from_private_bytes(bytes.fromhex(json.loads(row.value_json)["private"]))
    key = Ed25519PrivateKey.generate()
    from cryptography.hazmat.primitives.serialization import NoEncryption, PrivateFormat

    raw = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    session.add(AppSetting(key=SETTING_KEY, value_json=json.dumps({"private": raw.hex()})))
    session.flush()
    return key


def public_key_bytes(session: Session) -> bytes:
    return _raw_public(signing_key(session).public_key())


def known_keys(session: Session) -> dict[bytes, KnownKey]:
    """key id → key, for this office and every peer whose public key was accepted."""
    office = office_info(session)
    own = signing_key(session).public_key()
    out = {key_id(_raw_public(own)): KnownKey(key_id(_raw_public(own)), office.code, office.name, own, True)}
    for code, name, public in session.execute(
            select(SyncPeer.code, SyncPeer.name, SyncPeer.signing_public_key)
            .where(SyncPeer.signing_public_key.is_not(None))).tuples():
        kid = key_id(public)
        out.setdefault(kid, KnownKey(kid, code, name, Ed25519PublicKey.from_public_bytes(public), False))
    return out
