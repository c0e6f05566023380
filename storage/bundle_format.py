"""What a bundle file is: the manifest, the zip payload, and the sealed envelope around it.

A plain bundle is a zip: `manifest.json`, `study.yaml`, and the session files under their
data-folder paths. A sealed bundle is that zip encrypted and authenticated for the
researcher's public key:

    header   = MAGIC (16) | version (1) | recipient fingerprint (32) | ephemeral X25519 public key (32)
               | wrap nonce (12) | payload nonce (12)
    wrapped  = AES-256-GCM(kek, wrap nonce, content key, aad=header)            (32 + 16 tag)
    payload  = AES-256-GCM(content key, payload nonce, zip, aad=header+wrapped)  (zip + 16 tag)
    kek      = HKDF-SHA256(X25519(ephemeral, recipient), salt=ephemeral pub | recipient pub,
               info="klaspeil bundle v1 key wrap")

A fresh content key and ephemeral key per bundle; the header is associated data of both
ciphers, so a changed byte anywhere (header, wrapped key, payload) fails authentication.
Unlike ODK's encrypted forms, nothing outside the ciphertext says what is inside.
"""

from __future__ import annotations

import hashlib
import os
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

MAGIC = b"KLASPEIL-SEALED\n"
VERSION = 1
FORMAT = 1
SUFFIX = ".klaspeil"
MANIFEST = "manifest.json"
STUDY = "study.yaml"
HEADER_SIZE = len(MAGIC) + 1 + 32 + 32 + 12 + 12
WRAPPED_SIZE = 32 + 16
WRAP_INFO = b"klaspeil bundle v1 key wrap"
MAX_MEMBER = 64 * 1024 * 1024  # a session file past this is no session (and no zip bomb gets read)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BundledSession(Strict):
    """One session file in a bundle: enough to plan a merge without reading the file again."""

    session_id: str
    path: str  # sessions/<study>/<wave>/<respondent>/<session_id>.json inside the zip
    sha256: str
    size: int
    wave: str
    class_id: str
    audience: str
    finished: bool


class Manifest(Strict):
    kind: Literal["klaspeil-bundle"] = "klaspeil-bundle"
    format: int = FORMAT
    device_id: str
    study: str
    created_at: str
    unfinished_included: bool
    sessions: list[BundledSession]
    counts: dict[str, int] = Field(default_factory=dict)  # sessions, finished, unfinished


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _kek(shared: bytes, ephemeral_raw: bytes, recipient_raw: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(hashes.SHA256(), 32, salt=ephemeral_raw + recipient_raw, info=WRAP_INFO).derive(shared)


def seal(payload: bytes, recipient: X25519PublicKey) -> bytes:
    """Encrypt and authenticate `payload` for `recipient` (see the module's docstring)."""
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    from .keys import fingerprint, raw_public

    ephemeral = X25519PrivateKey.generate()
    ephemeral_raw = raw_public(ephemeral.public_key())
    recipient_raw = raw_public(recipient)
    wrap_nonce, payload_nonce = os.urandom(12), os.urandom(12)
    header = MAGIC + bytes([VERSION]) + fingerprint(recipient) + ephemeral_raw + wrap_nonce + payload_nonce
    content_key = AESGCM.generate_key(bit_length=256)
    kek = _kek(ephemeral.exchange(recipient), ephemeral_raw, recipient_raw)
    wrapped = AESGCM(kek).encrypt(wrap_nonce, content_key, header)
    return header + wrapped + AESGCM(content_key).encrypt(payload_nonce, payload, header + wrapped)


class Unsealed(Exception):
    """Why a sealed bundle cannot be opened; the caller names the file."""


def is_sealed(data: bytes) -> bool:
    return data.startswith(MAGIC)


def unseal(data: bytes, private: X25519PrivateKey | None) -> bytes:
    """The zip inside a sealed bundle; raises Unsealed with the reason."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

    from .keys import fingerprint, raw_public

    if len(data) < HEADER_SIZE + WRAPPED_SIZE + 16:
        raise Unsealed("truncated (shorter than a sealed bundle's header)")
    header = data[:HEADER_SIZE]
    if header[len(MAGIC)] != VERSION:
        raise Unsealed(f"sealed with format version {header[len(MAGIC)]}, this klaspeil reads {VERSION}")
    if private is None:
        raise Unsealed("sealed; give the private key (--key) to open it")
    at = len(MAGIC) + 1
    recipient_print, ephemeral_raw = header[at:at + 32], header[at + 32:at + 64]
    wrap_nonce, payload_nonce = header[at + 64:at + 76], header[at + 76:at + 88]
    public = private.public_key()
    if recipient_print != fingerprint(public):
        raise Unsealed(f"sealed for another key (fingerprint {recipient_print.hex()[:16]}, "
                       f"this key {fingerprint(public).hex()[:16]}) or damaged")
    wrapped = data[HEADER_SIZE:HEADER_SIZE + WRAPPED_SIZE]
    try:
        shared = private.exchange(X25519PublicKey.from_public_bytes(ephemeral_raw))
        kek = _kek(shared, ephemeral_raw, raw_public(public))
        content_key = AESGCM(kek).decrypt(wrap_nonce, wrapped, header)
        return AESGCM(content_key).decrypt(payload_nonce, data[HEADER_SIZE + WRAPPED_SIZE:], header + wrapped)
    except (InvalidTag, ValueError):
        raise Unsealed("damaged or changed after it was made (authentication failed)") from None
