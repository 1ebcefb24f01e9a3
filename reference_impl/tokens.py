"""Bearer tokens: HS256 JWTs whose subject is a user id."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict

import jwt

ALGORITHM = "HS256"
DEFAULT_LIFETIME_SECONDS = 30 * 24 * 3600


class InvalidToken(Exception):
    """The credentials cannot be trusted; the message says why, for the client."""


def issue(secret: str, user_id: int, *, expires_in: int = DEFAULT_LIFETIME_SECONDS) -> str:
    now = int(time.time())
    claims = {"sub": str(user_id), "iat": now, "exp": now + expires_in}
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


# Verified tokens, kept so that a client sending the same token again skips the HMAC and JSON work.
VERIFIED_CACHE_SIZE = 4096


class VerifiedTokens:
    """A bounded cache of tokens that verified: (secret, token) → (user id, exp).

    A hit is only used before the token's ``exp``; after it the token is verified again (and
    refused). Only good tokens are kept, so a flood of bad ones cannot evict them to any effect
    beyond a re-verification. Least recently used entries go first.
    """

    def __init__(self, size: int = VERIFIED_CACHE_SIZE) -> None:
        self.size = size
        self._entries: OrderedDict[tuple[str, str], tuple[int, float]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, secret: str, token: str) -> int | None:
        key = (secret, token)
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            user_id, expires = entry
            if time.time() >= expires:
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return user_id

    def put(self, secret: str, token: str, user_id: int, expires: float) -> None:
        with self._lock:
            self._entries[(secret, token)] = (user_id, expires)
            self._entries.move_to_end((secret, token))
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)


_verified = VerifiedTokens()


def subject(secret: str, token: str) -> int:
    """The user id a valid token speaks for; anything doubtful raises InvalidToken.

    A token that verified before is taken from a bounded cache until its ``exp``.
    """
    cached = _verified.get(secret, token)
    if cached is not None:
        return cached
    user_id, expires = _verify(secret, token)
    _verified.put(secret, token, user_id, expires)
    return user_id


def _verify(secret: str, token: str) -> tuple[int, float]:
    """The subject and expiry of a token whose signature and claims all check out."""
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            options={"require": ["exp", "sub"], "verify_sub": True},
        )
    except jwt.ExpiredSignatureError as exc:
        raise InvalidToken("The token has expired.") from exc
    except jwt.InvalidAlgorithmError as exc:
        raise InvalidToken(f"The token must be signed with {ALGORITHM}.") from exc
    except jwt.InvalidSignatureError as exc:
        raise InvalidToken("The token signature does not verify.") from exc
    except jwt.MissingRequiredClaimError as exc:
        raise InvalidToken(f"The token lacks the '{exc.claim}' claim.") from exc
    except jwt.InvalidTokenError as exc:
        raise InvalidToken(f"The token is not a valid JWT: {exc}.") from exc
    sub = claims["sub"]
    if not (isinstance(sub, str) and sub.isascii() and sub.isdigit() and 0 < int(sub) < 2**63):
        raise InvalidToken("The token subject is not a user id.")
    return int(sub), float(int(claims["exp"]))  # PyJWT compares the integer part too
