"""Password hashing with argon2id (argon2-cffi's defaults, RFC 9106's low-memory profile)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

__all__ = ["MAX_PASSWORD", "MIN_PASSWORD", "hash_password", "needs_rehash", "verify_password"]

MIN_PASSWORD = 10
MAX_PASSWORD = 1024  # argon2 takes any length; a cap keeps a request from costing much

_HASHER = PasswordHasher()  # argon2id
# Verifying against this when the account does not exist takes as long as a real
# check, so response times do not tell which user names exist.
_DUMMY_HASH = _HASHER.hash("not a password anyone has")


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _HASHER.check_needs_rehash(password_hash)
