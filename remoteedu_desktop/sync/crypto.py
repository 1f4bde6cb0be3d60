"""The cryptography of a sync bundle (issue 6, item 2), as small functions over bytes and keys.

- Each bundle gets a fresh random 32-byte *content key*; every data file is sealed with
  AES-256-GCM under it, with its own random 12-byte nonce and AAD = bundle id + member name, so
  a data file cannot be moved to another bundle or renamed to another table unnoticed.
- The content key is *wrapped* to the recipient office's X25519 public key: a fresh ephemeral
  X25519 key pair, the shared secret through HKDF-SHA256 (salt = the bundle id in ASCII,
  info = ``b"remoteedu bundle key v1"``) to a 32-byte wrapping key, and the content key sealed
  with AES-256-GCM under it (AAD = bundle id + ephemeral public key + recipient public key).
- The manifest is signed with the sending office's Ed25519 key; a key is named by its *key id*,
  the first 4 bytes of the SHA-256 of its raw public bytes (the same id as
  :func:`remoteedu_desktop.services.office_keys.key_id`).

No database and no Qt here: the caller hands in the keys.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

KEY_BYTES = 32
NONCE_BYTES = 12
TAG_BYTES = 16
SIGNATURE_BYTES = 64
KEY_ID_BYTES = 4
HKDF_INFO = b"remoteedu bundle key v1"

__all__ = [
    "InvalidTag", "WrappedKey", "decrypt_member", "encrypt_member", "key_id", "new_content_key",
    "raw_public", "sign", "signature_valid", "unwrap_content_key", "wrap_content_key",
]


def raw_public(key: Ed25519PublicKey | X25519PublicKey) -> bytes:
    """The 32 raw bytes of a public key."""
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def key_id(public: bytes | Ed25519PublicKey | X25519PublicKey) -> bytes:
    """First 4 bytes of the SHA-256 of the raw public key."""
    raw = public if isinstance(public, bytes) else raw_public(public)
    return hashlib.sha256(raw).digest()[:KEY_ID_BYTES]


def new_content_key() -> bytes:
    """A fresh random AES-256 key for one bundle."""
    return AESGCM.generate_key(bit_length=256)


def member_aad(bundle_id: str, member: str) -> bytes:
    return bundle_id.encode("ascii") + member.encode("utf-8")


def encrypt_member(content_key: bytes, bundle_id: str, member: str, plaintext: bytes) -> tuple[bytes, bytes]:
    """``(nonce, ciphertext+tag)`` of one data file."""
    nonce = os.urandom(NONCE_BYTES)
    return nonce, AESGCM(content_key).encrypt(nonce, plaintext, member_aad(bundle_id, member))


def decrypt_member(content_key: bytes, bundle_id: str, member: str, nonce: bytes, sealed: bytes) -> bytes:
    """The plaintext of one data file; raises :class:`InvalidTag` if anything was changed."""
    return AESGCM(content_key).decrypt(nonce, sealed, member_aad(bundle_id, member))


@dataclass(frozen=True)
class WrappedKey:
    """The content key sealed to one recipient (all fields travel in the manifest, in hex)."""

    recipient_key_id: bytes
    ephemeral_public: bytes
    nonce: bytes
    sealed_key: bytes


def _wrapping_key(shared: bytes, bundle_id: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=bundle_id.encode("ascii"),
                info=HKDF_INFO).derive(shared)


def _wrap_aad(bundle_id: str, ephemeral_public: bytes, recipient_public: bytes) -> bytes:
    return bundle_id.encode("ascii") + ephemeral_public + recipient_public


def wrap_content_key(content_key: bytes, recipient: X25519PublicKey, bundle_id: str) -> WrappedKey:
    """Seal the content key so that only the holder of the recipient's X25519 private key can open it."""
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = raw_public(ephemeral.public_key())
    recipient_public = raw_public(recipient)
    wrapping = _wrapping_key(ephemeral.exchange(recipient), bundle_id)
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(wrapping).encrypt(nonce, content_key,
                                      _wrap_aad(bundle_id, ephemeral_public, recipient_public))
    return WrappedKey(key_id(recipient_public), ephemeral_public, nonce, sealed)


def unwrap_content_key(wrapped: WrappedKey, recipient_key: X25519PrivateKey, bundle_id: str) -> bytes:
    """The content key; raises :class:`InvalidTag` for the wrong private key or a changed field."""
    recipient_public = raw_public(recipient_key.public_key())
    shared = recipient_key.exchange(X25519PublicKey.from_public_bytes(wrapped.ephemeral_public))
    key = AESGCM(_wrapping_key(shared, bundle_id)).decrypt(
        wrapped.nonce, wrapped.sealed_key, _wrap_aad(bundle_id, wrapped.ephemeral_public, recipient_public))
    if len(key) != KEY_BYTES:
        raise InvalidTag()
    return key


def sign(key: Ed25519PrivateKey, data: bytes) -> bytes:
    return key.sign(data)


def signature_valid(public: Ed25519PublicKey, signature: bytes, data: bytes) -> bool:
    try:
        public.verify(signature, data)
    except InvalidSignature:
        return False
    return True
