"""The bearer tokens of a run: where they come from, and how they stay out of every report.

The tokens belong to real users and the reports end up in CI logs and artifacts that many people read.
So each token gets a shell variable by its position (`TOKEN_1` is the first given), the client keeps
every exchange with each token replaced by its variable (client.py), so curl lines read
`-H "Authorization: Bearer $TOKEN_1"` and stay copy-pasteable after an `export`, and every report text is
masked once more before it is written (a server may echo a token back inside a message the suite quotes).
`--show-secrets` turns the masking off for local debugging, and every report then says so.

Tokens come from `--token` (visible to every process on the machine, and echoed by many CI systems),
`--token-file` (one per line) or the environment (`CONFORMANCE_TOKENS`, whitespace separated).
"""

from __future__ import annotations

import dataclasses
import html
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from urllib.parse import quote, quote_plus

from .exchange import VARIABLE_PREFIX, Exchange, variable_references

TOKENS_ENV = "CONFORMANCE_TOKENS"
# A token shorter than this could not be told apart from the report text it would have to be masked in
# (masking `abc` would mask every `abc`); a bearer token of a real server is far longer.
MIN_TOKEN_LENGTH = 8
SHOWN_NOTICE = (
    "secrets shown (--show-secrets): this output holds the users' bearer tokens in clear; do not share it"
)


class TokenError(ValueError):
    """The tokens cannot be used; the message says what to fix and never holds a token."""


def read_token_file(path: Path) -> list[str]:
    """One token per line; blank lines and lines starting with `#` are left out."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TokenError(f"cannot read the token file {path}: {type(exc).__name__}") from None
    lines = (line.strip() for line in text.splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def gather_tokens(given: Sequence[str], token_file: Path | None, environ: Mapping[str, str]) -> list[str]:
    """The tokens in the order given: `--token` values, then the lines of `--token-file`; the environment's
    `CONFORMANCE_TOKENS` only when neither is given (a variable set for a whole CI job must not add users
    to a run that names its own)."""
    if given or token_file is not None:
        return [*given, *(read_token_file(token_file) if token_file is not None else [])]
    return environ.get(TOKENS_ENV, "").split()


def _forms(token: str) -> set[str]:
    """The spellings a token takes in a URL, a form, a JSON string, HTML or XML."""
    forms = {
        token,
        quote(token, safe=""),
        quote(token),
        quote_plus(token),
        json.dumps(token)[1:-1],
        json.dumps(token, ensure_ascii=False)[1:-1],
    }
    forms |= {html.escape(form, quote=quote_marks) for form in set(forms) for quote_marks in (True, False)}
    return forms


def _reference(variable: str, following: str) -> str:
    """`$TOKEN_1`, or `${TOKEN_1}` where the text after it would otherwise continue the name."""
    return f"${{{variable}}}" if following.isalnum() or following == "_" else f"${variable}"


class Credentials:
    """The tokens of a run, each with its shell variable; `mask` replaces every token by a reference to
    its variable (`$TOKEN_1`, or `${TOKEN_1}` before a letter, digit or underscore)."""

    def __init__(self, tokens: Sequence[str] = (), *, shown: bool = False) -> None:
        for position, token in enumerate(tokens, start=1):
            if len(token) < MIN_TOKEN_LENGTH:
                raise TokenError(
                    f"token #{position} has {len(token)} characters; the suite needs bearer tokens of at "
                    f"least {MIN_TOKEN_LENGTH}, or it could not keep them out of the reports"
                )
        self.tokens = list(tokens)
        self.shown = shown
        self._variables: dict[str, str] = {}
        for position, token in enumerate(tokens, start=1):
            self._variables.setdefault(token, f"{VARIABLE_PREFIX}{position}")
        by_form = {form: variable for token, variable in self._variables.items() for form in _forms(token)}
        # Longest first: a token that contains another is replaced whole.
        ordered = sorted(by_form, key=len, reverse=True)
        self._text_variables = by_form
        self._bytes_variables = {form.encode("utf-8"): variable for form, variable in by_form.items()}
        self._text_pattern = re.compile("|".join(map(re.escape, ordered))) if ordered else None
        self._bytes_pattern = (
            re.compile(b"|".join(re.escape(form.encode("utf-8")) for form in ordered)) if ordered else None
        )

    def __repr__(self) -> str:
        return f"Credentials({len(self.tokens)} tokens, shown={self.shown})"

    @property
    def masking(self) -> bool:
        return bool(self.tokens) and not self.shown

    def variable(self, token: str) -> str:
        """`TOKEN_<n>`, n the position the token was first given at."""
        return self._variables[token]

    def mask(self, text: str) -> str:
        if not self.masking or self._text_pattern is None:
            return text
        variables = self._text_variables
        return self._text_pattern.sub(
            lambda match: _reference(variables[match.group(0)], text[match.end() : match.end() + 1]), text
        )

    def mask_bytes(self, data: bytes) -> bytes:
        if not self.masking or self._bytes_pattern is None:
            return data
        return self._bytes_pattern.sub(
            lambda match: _reference(
                self._bytes_variables[match.group(0)], data[match.end() : match.end() + 1].decode("latin-1")
            ).encode("ascii"),
            data,
        )

    def mask_exchange(self, exchange: Exchange) -> Exchange:
        """The exchange as the reports may show it: no token in the request or the answer."""
        if not self.masking:
            return exchange
        masked = dataclasses.replace(
            exchange,
            url=self.mask(exchange.url),
            request_headers=[(name, self.mask(value)) for name, value in exchange.request_headers],
            request_body=self.mask_bytes(exchange.request_body),
            response_headers=[(name, self.mask(value)) for name, value in exchange.response_headers],
            response_body=self.mask_bytes(exchange.response_body),
            error=None if exchange.error is None else self.mask(exchange.error),
        )
        sent = masked.request_body.decode("utf-8", errors="surrogateescape")
        values = [value for _, value in masked.request_headers]
        found = set(self.variables_in(masked.url, *values, sent))
        masked.variables = tuple(sorted(found, key=lambda name: int(name.removeprefix(VARIABLE_PREFIX))))
        return masked

    def variables_in(self, *texts: str) -> Iterable[str]:
        """The variables referenced in `texts` (what a curl line needs exported)."""
        names = set(self._variables.values())
        for text in texts:
            yield from (name for name in variable_references(text) if name in names)

    def legend(self, holders: Iterable[tuple[str, str]]) -> dict[str, str]:
        """`{"TOKEN_1": "user 17 (manager)"}` from (token, description) pairs: which variable is whose."""
        return {self.variable(token): description for token, description in holders}
