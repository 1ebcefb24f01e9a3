"""How the access admonitions' Markdown is cut up: paragraphs, sentences, list items, examples.

A sentence never spans paragraphs; `<br/>` ends one like a blank line. Sentences are read *normalised*
(lower case, no Markdown marks) and shown as written.
"""

from __future__ import annotations

import json
import re

_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
#: A fenced example after "it will return:" (an empty page becomes the words "an empty page").
_FENCE = re.compile(r"\b(?P<verb>returns?)\s*:\s*\n\s*```[a-z]*\n(?P<body>.*?)\n\s*```", re.DOTALL)


def normalise(text: str, lower: bool = True) -> str:
    text = re.sub(r"[`*\\]", "", text)
    text = text.replace("’", "'")
    text = " ".join(text.split())
    return text.lower() if lower else text


def split_sentences(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"(?<=[.!?;])(?<!e\.g\.)(?<!i\.e\.)\s+", text) if part.strip()]


def paragraphs(text: str) -> list[str]:
    """Blank-line separated blocks; `<br/>` ends a sentence like a blank line."""
    text = re.sub(r"[ \t]*<br\s*/?>[ \t]*\n?", "\n\n", text)
    return [part for part in re.split(r"\n[ \t]*\n", text) if part.strip()]


def sentences(text: str) -> list[str]:
    return [sentence for paragraph in paragraphs(text) for sentence in split_sentences(normalise(paragraph))]


def pairs(paragraph: str) -> list[tuple[str, str]]:
    """(sentence as read, sentence as shown) of a paragraph; a sentence never spans paragraphs."""
    lowered, shown = split_sentences(normalise(paragraph)), split_sentences(normalise(paragraph, lower=False))
    if len(lowered) != len(shown):
        shown = lowered
    return list(zip(lowered, shown, strict=True))


def is_list(paragraph: str) -> bool:
    """The paragraph is a Markdown list (its first line is an item)."""
    return bool(_ITEM.match(paragraph))


def items(paragraph: str) -> list[str]:
    """The items of a Markdown list, continuation lines joined, markers removed."""
    items: list[str] = []
    for line in paragraph.splitlines():
        if _ITEM.match(line):
            items.append(_ITEM.sub("", line, count=1))
        elif items:
            items[-1] += " " + line.strip()
    return items


def with_answers(text: str) -> str:
    """A fenced JSON example of an empty page after "it will return:" becomes the words "an empty page"."""

    def answer(match: re.Match[str]) -> str:
        try:
            shown = json.loads(match["body"])
        except ValueError:
            return match[0]
        page = isinstance(shown, dict) and shown.get("results") == [] and not shown.get("count")
        empty = shown == [] or page
        return f"{match['verb']}: an empty page." if empty else match[0]

    return _FENCE.sub(answer, text)
