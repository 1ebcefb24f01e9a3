"""The cache of verified tokens: a hit never outlives the token's ``exp``, and it stays bounded."""

from __future__ import annotations

import time

import jwt
import pytest

from reference_impl import tokens

SECRET = "a-test-secret-that-is-long-enough-for-hs256"


def test_a_cached_token_is_refused_once_it_expires() -> None:
    token = jwt.encode({"sub": "7", "exp": int(time.time()) + 2}, SECRET, algorithm="HS256")
    assert tokens.subject(SECRET, token) == 7
    assert tokens.subject(SECRET, token) == 7  # from the cache
    time.sleep(max(0.0, jwt.decode(token, options={"verify_signature": False})["exp"] - time.time()) + 0.05)
    with pytest.raises(tokens.InvalidToken, match="expired"):
        tokens.subject(SECRET, token)


def test_the_cache_is_keyed_by_secret_too() -> None:
    token = tokens.issue(SECRET, 8)
    assert tokens.subject(SECRET, token) == 8
    with pytest.raises(tokens.InvalidToken, match="signature"):
        tokens.subject(SECRET + "-other", token)


def test_the_cache_keeps_at_most_its_size() -> None:
    cache = tokens.VerifiedTokens(size=3)
    for user_id in range(10):
        cache.put(SECRET, f"token-{user_id}", user_id, time.time() + 60)
    assert [cache.get(SECRET, f"token-{user_id}") for user_id in range(10)] == [None] * 7 + [7, 8, 9]
