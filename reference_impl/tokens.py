"""Bearer tokens: HS256 JWTs whose subject is a user id."""

from __future__ import annotations

import time

import jwt

ALGORITHM = "HS256"
DEFAULT_LIFETIME_SECONDS = 30 * 24 * 3600


class InvalidToken(Exception):
    """The credentials cannot be trusted; the message says why, for the client."""


def issue(secret: str, user_id: int, *, expires_in: int = DEFAULT_LIFETIME_SECONDS) -> str:
    now = int(time.time())
    claims = {"sub": str(user_id), "iat": now, "exp": now + expires_in}
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def subject(secret: str, token: str) -> int:
    """The user id a valid token speaks for; anything doubtful raises InvalidToken."""
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
    return int(sub)
