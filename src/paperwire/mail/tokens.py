"""Signed tokens for links sent by email or kept private: confirm, unsubscribe, feed,
notification mail off.

A token is ``<subject>.<mac>``: the subject in URL-safe base64 (a subscriber
or user id) and a truncated HMAC-SHA256 of the purpose and the subject under
the site's mail secret. Tokens do not expire: an unsubscribe link must work
in a years-old email. Changing the secret revokes every token at once.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac

__all__ = ["PURPOSES", "make_token", "read_token"]

PURPOSES = ("confirm", "unsubscribe", "feed", "notifications")
_MAC_BYTES = 16


def make_token(secret: str, purpose: str, subject: str) -> str:
    _check_purpose(purpose)
    return f"{_encode(subject.encode('utf-8'))}.{_encode(_mac(secret, purpose, subject))}"


def read_token(secret: str, purpose: str, token: str) -> str | None:
    """The subject ``token`` was made for, or None if it was not made by us for ``purpose``."""
    _check_purpose(purpose)
    if len(token) > 200 or token.count(".") != 1:
        return None
    encoded_subject, encoded_mac = token.split(".")
    try:
        subject = _decode(encoded_subject).decode("utf-8")
        mac = _decode(encoded_mac)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    if not hmac.compare_digest(mac, _mac(secret, purpose, subject)):
        return None
    return subject


def _mac(secret: str, purpose: str, subject: str) -> bytes:
    message = f"paperwire:{purpose}:{subject}".encode()
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).digest()[:_MAC_BYTES]


def _encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _check_purpose(purpose: str) -> None:
    if purpose not in PURPOSES:
        raise ValueError(f"unknown token purpose {purpose!r}")
