"""Sensitive fields encrypted at rest, and a keyed hash to find a case by ID number.

The key comes from the environment (settings.SENTENCES_KEY; several keys separated by commas,
newest first, so old rows stay readable while a new key is rolled in). It is never stored in
the database or the repo. Any secret string works: each is stretched into a Fernet key with
SHA-256. Fernet (AES-128-CBC + HMAC-SHA256, from `cryptography`) gives a different ciphertext
each time, so equality search goes through `id_hash()` instead.
"""

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models

PREFIX = "fernet:"


def _secrets() -> list[str]:
    return [part.strip() for part in settings.SENTENCES_KEY.split(",") if part.strip()]


@lru_cache(maxsize=8)
def _fernet(key_material: str) -> MultiFernet:
    keys = [
        Fernet(base64.urlsafe_b64encode(hashlib.sha256(("enc:" + s).encode()).digest()))
        for s in key_material.split(",")
        if s.strip()
    ]
    return MultiFernet(keys)


def fernet() -> MultiFernet:
    return _fernet(",".join(_secrets()))


def encrypt(text: str) -> str:
    return PREFIX + fernet().encrypt(text.encode()).decode()


def decrypt(stored: str) -> str:
    if not stored.startswith(PREFIX):
        raise ValueError("not an encrypted value")
    try:
        return fernet().decrypt(stored[len(PREFIX) :].encode()).decode()
    except InvalidToken as exc:  # a wrong key must not show ciphertext as if it were data
        raise ValueError("cannot decrypt with the configured SENTENCES_KEY") from exc


def id_hash(id_number: str) -> str:
    """HMAC-SHA256 of an ID number under the newest key: the searchable column."""
    key = hashlib.sha256(("hash:" + _secrets()[0]).encode()).digest()
    return hmac.new(key, id_number.strip().encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """A text field stored as Fernet ciphertext ("fernet:..."); Python sees the plaintext.

    Not searchable nor sortable in SQL by design; empty strings are stored empty."""

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def to_python(self, value):
        if isinstance(value, str) and value.startswith(PREFIX):
            return decrypt(value)
        return value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))
