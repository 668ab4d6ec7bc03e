"""Encryption at rest for ID numbers and phones, and a keyed digest so uniqueness is checkable."""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet
from django.conf import settings


@lru_cache(maxsize=1)
def _fernet() -> Fernet:
    return Fernet(settings.FIELD_ENCRYPTION_KEY.encode())


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode() if value else ""


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode() if token else ""


def blind_index(value: str) -> str:
    """HMAC of the normalised value: equal numbers collide, the number itself stays hidden."""
    key = hashlib.sha256(b"id-index:" + settings.FIELD_ENCRYPTION_KEY.encode()).digest()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()
