"""This office's keys and the public keys of the offices it knows (issue 6, item 1).

- an Ed25519 signing key (certificate codes, enrolment files, sync bundles), AppSetting
  ``office.signing_key``;
- an X25519 exchange key (sync bundles are encrypted to it), AppSetting ``office.exchange_key``.

Both are made on first use, in the caller's transaction, and never travel: only their public halves
leave this database. Peers' public keys come from ``sync_peer``; a peer key there is trusted (a key
received but not yet accepted is kept elsewhere, see :mod:`.sync_enrolment`).

The *office fingerprint* covers both public keys, so one short string read over the phone confirms
the pair: :func:`office_fingerprint`."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..data.models import AppSetting, SyncPeer
from ..sync.crypto import key_id, raw_public
from .offices import office_info

SETTING_KEY = "office.signing_key"
EXCHANGE_SETTING_KEY = "office.exchange_key"
#: Domain separation for the office fingerprint, so it never equals a hash made for another purpose.
_FINGERPRINT_CONTEXT = b"remoteedu office fingerprint v1\0"


@dataclass(frozen=True)
class KnownKey:
    key_id: bytes  #: first 4 bytes of the public key's SHA-256
    office_code: str
    office_name: str
    public_key: Ed25519PublicKey
    own: bool


def fingerprint(public: bytes) -> str:
    """The public key's SHA-256 in groups of four, to compare by phone or on paper."""
    digest = hashlib.sha256(public).hexdigest().upper()
    return " ".join(digest[i:i + 4] for i in range(0, 32, 4))


def signing_key(session: Session) -> Ed25519PrivateKey:
    """This office's private key, made on first use (in the caller's transaction)."""
    row = session.get(AppSetting, SETTING_KEY)
    if row is not None:
        return Ed25519PrivateKey.from_private_bytes(bytes.fromhex(json.loads(row.value_json)["private"]))
    key = Ed25519PrivateKey.generate()
    raw = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    session.add(AppSetting(key=SETTING_KEY, value_json=json.dumps({"private": raw.hex()})))
    session.flush()
    return key


def public_key_bytes(session: Session) -> bytes:
    return raw_public(signing_key(session).public_key())


def known_keys(session: Session) -> dict[bytes, KnownKey]:
    """key id → key, for this office and every peer whose public key was accepted."""
    office = office_info(session)
    own = signing_key(session).public_key()
    out = {key_id(raw_public(own)): KnownKey(key_id(raw_public(own)), office.code, office.name, own, True)}
    for code, name, public in session.execute(
            select(SyncPeer.code, SyncPeer.name, SyncPeer.signing_public_key)
            .where(SyncPeer.signing_public_key.is_not(None))).tuples():
        kid = key_id(public)
        out.setdefault(kid, KnownKey(kid, code, name, Ed25519PublicKey.from_public_bytes(public), False))
    return out


def public_signing_key(session: Session) -> Ed25519PublicKey:
    return signing_key(session).public_key()


# --- the X25519 exchange key (issue 6, item 1) -------------------------------------------------------

def exchange_key(session: Session) -> X25519PrivateKey:
    """This office's X25519 private key, made on first use (in the caller's transaction).

    Bundles sent to this office are encrypted to its public half; the private key never travels."""
    row = session.get(AppSetting, EXCHANGE_SETTING_KEY)
    if row is not None:
        return X25519PrivateKey.from_private_bytes(bytes.fromhex(json.loads(row.value_json)["private"]))
    key = X25519PrivateKey.generate()
    raw = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    session.add(AppSetting(key=EXCHANGE_SETTING_KEY, value_json=json.dumps({"private": raw.hex()})))
    session.flush()
    return key


def exchange_public_bytes(session: Session) -> bytes:
    """The raw 32 bytes of this office's X25519 public key."""
    return exchange_key(session).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


# --- the office fingerprint: both public keys in one string to compare by phone ---------------------

@dataclass(frozen=True)
class OfficeFingerprint:
    """SHA-256 over both public keys of an office.

    ``short`` (``XXXX-XXXX-XXXX-XXXX``, 64 bits) is read over the phone; ``long`` (16 groups of four)
    goes on paper; ``hex`` (64 upper-case hex digits) is what ``sync_peer.fingerprint`` stores.
    """

    hex: str

    @property
    def short(self) -> str:
        return "-".join(self.hex[i:i + 4] for i in range(0, 16, 4))

    @property
    def long(self) -> str:
        return " ".join(self.hex[i:i + 4] for i in range(0, 64, 4))

    def matches(self, typed: str) -> bool:
        """Whether *typed* is this fingerprint's short or long form (case, spaces and dashes ignored)."""
        clean = normalise_fingerprint(typed)
        return len(clean) in (16, 64) and self.hex.startswith(clean)

    def __str__(self) -> str:
        return self.short


def office_fingerprint(signing_public: bytes, exchange_public: bytes) -> OfficeFingerprint:
    """The fingerprint of an office's two raw public keys (32 bytes each)."""
    if len(signing_public) != 32 or len(exchange_public) != 32:
        raise ValueError("office public keys are 32 bytes each")
    digest = hashlib.sha256(_FINGERPRINT_CONTEXT + signing_public + exchange_public).hexdigest().upper()
    return OfficeFingerprint(digest)


def own_fingerprint(session: Session) -> OfficeFingerprint:
    """This office's fingerprint (making its keys on first use)."""
    return office_fingerprint(public_key_bytes(session), exchange_public_bytes(session))


def normalise_fingerprint(typed: str) -> str:
    """Upper-case hex digits only: a clerk may type ``ab12 cd34-…`` or with full-width dashes."""
    return "".join(ch for ch in typed.upper() if ch in "0123456789ABCDEF")


# --- accepted peers' keys, for reading and writing bundles -------------------------------------------

@dataclass(frozen=True)
class PeerKeys:
    code: str
    name: str
    level: str
    signing: Ed25519PublicKey
    exchange: X25519PublicKey


def peer_keys(session: Session, code: str) -> PeerKeys | None:
    """The accepted public keys of peer *code*, or None while it has none (not enrolled, or pending)."""
    peer = session.scalar(select(SyncPeer).where(SyncPeer.code == code))
    if peer is None or peer.signing_public_key is None or peer.exchange_public_key is None:
        return None
    return PeerKeys(peer.code, peer.name, peer.level, Ed25519PublicKey.from_public_bytes(peer.signing_public_key),
                    X25519PublicKey.from_public_bytes(peer.exchange_public_key))


def peer_signers(session: Session) -> dict[bytes, Ed25519PublicKey]:
    """key id → public key of every peer whose keys are accepted (not this office's own): the signers
    whose bundles this office reads."""
    return {kid: known.public_key for kid, known in known_keys(session).items() if not known.own}
