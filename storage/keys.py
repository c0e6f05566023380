"""The researcher's key pair: bundles are sealed for the public key, opened with the private one.

X25519 (cryptography). The private key is stored as PKCS#8 PEM encrypted with a passphrase
(BestAvailableEncryption), so a copied key file alone opens nothing. The public key is a small
PEM file; `study.yaml` may carry it inline as one line, `x25519:<base64 of the 32 raw bytes>`,
so that every fieldwork laptop seals its bundles without a key file of its own.
"""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

from .atomic import write_atomically
from .errors import StorageError

if TYPE_CHECKING:  # cryptography loads when a key is used, not with storage
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

PRIVATE_FILE = "klaspeil_private.pem"
PUBLIC_FILE = "klaspeil_public.pem"
INLINE_PREFIX = "x25519:"
MIN_PASSPHRASE = 8


class KeyProblem(StorageError):
    """A key file or passphrase that cannot be used; the message names the file."""


def fingerprint(public: X25519PublicKey) -> bytes:
    """32 bytes that name a public key: SHA-256 of its raw bytes (in a sealed bundle's header)."""
    return hashlib.sha256(raw_public(public)).digest()


def short_fingerprint(public: X25519PublicKey) -> str:
    return fingerprint(public).hex()[:16]


def raw_public(public: X25519PublicKey) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def inline_text(public: X25519PublicKey) -> str:
    """The one-line form for study.yaml's `bundle_recipient`."""
    return INLINE_PREFIX + base64.b64encode(raw_public(public)).decode("ascii")


def generate(out: Path, passphrase: str) -> tuple[Path, Path, X25519PublicKey]:
    """Write a new key pair into `out`; never replaces a key that is there (it would orphan bundles)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    if len(passphrase) < MIN_PASSPHRASE:
        raise KeyProblem(f"{out}: passphrase too short (at least {MIN_PASSPHRASE} characters)")
    private_path, public_path = out / PRIVATE_FILE, out / PUBLIC_FILE
    for path in (private_path, public_path):
        if path.exists():
            raise KeyProblem(f"{path}: a key is already there; bundles sealed for it would become unreadable, "
                            "so it is never replaced (choose another folder)")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise KeyProblem(f"{out}: cannot create the key folder ({error.strerror})") from None
    private = X25519PrivateKey.generate()
    public = private.public_key()
    sealed = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase.encode("utf-8")),
    )
    pem = public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    note = f"# klaspeil bundle key, fingerprint {short_fingerprint(public)}\n# for study.yaml: bundle_recipient: {inline_text(public)}\n"
    write_atomically(private_path, sealed, mode=0o600)
    write_atomically(public_path, note.encode("ascii") + pem, mode=0o644)
    return private_path, public_path, public


def load_private(path: Path, passphrase: str) -> X25519PrivateKey:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise KeyProblem(f"{path}: cannot read the private key ({error.strerror})") from None
    if b"ENCRYPTED PRIVATE KEY" not in data:
        raise KeyProblem(f"{path}: not a klaspeil private key (expected an encrypted PEM from `klaspeil keygen`)")
    try:
        key = serialization.load_pem_private_key(data, password=passphrase.encode("utf-8"))
    except (ValueError, TypeError):
        # cryptography says ValueError for a wrong passphrase and for a damaged file alike
        raise KeyProblem(f"{path}: wrong passphrase (or the key file is damaged)") from None
    if not isinstance(key, X25519PrivateKey):
        raise KeyProblem(f"{path}: not an X25519 key (made by `klaspeil keygen`?)")
    return key


def parse_public(text: str, where: str) -> X25519PublicKey:
    """A public key from PEM text or the inline `x25519:` form; `where` names it in errors."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

    text = text.strip()
    if text.startswith(INLINE_PREFIX):
        try:
            raw = base64.b64decode(text[len(INLINE_PREFIX):], validate=True)
            return X25519PublicKey.from_public_bytes(raw)
        except ValueError:
            raise KeyProblem(f"{where}: not a valid x25519 public key (32 bytes in base64 after 'x25519:')") from None
    if "BEGIN PUBLIC KEY" in text:
        pem = text[text.index("-----BEGIN PUBLIC KEY"):].encode("ascii", "replace")
        try:
            key = serialization.load_pem_public_key(pem)
        except ValueError:
            raise KeyProblem(f"{where}: damaged public key PEM") from None
        if not isinstance(key, X25519PublicKey):
            raise KeyProblem(f"{where}: not an X25519 public key (made by `klaspeil keygen`?)")
        return key
    raise KeyProblem(f"{where}: not a public key (a PEM file from `klaspeil keygen` or 'x25519:...')")


def load_public(path: Path) -> X25519PublicKey:
    try:
        text = Path(path).read_text(encoding="ascii", errors="replace")
    except OSError as error:
        raise KeyProblem(f"{path}: cannot read the public key ({error.strerror})") from None
    return parse_public(text, str(path))


def recipient_of(setting: str, base: Path, where: str) -> X25519PublicKey:
    """`bundle_recipient` of a study: inline key text, or a path (relative to the data folder)."""
    stripped = setting.strip()
    if stripped.startswith(INLINE_PREFIX) or "BEGIN PUBLIC KEY" in stripped:
        return parse_public(stripped, where)
    path = Path(os.path.expanduser(stripped))
    return load_public(path if path.is_absolute() else base / path)
