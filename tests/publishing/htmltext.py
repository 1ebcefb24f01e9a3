"""Read a built page as a reader would: the text under each element id, and every tag used."""

from __future__ import annotations

from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class HtmlText(HTMLParser):
    """A built page parsed once: the text under each id, the tags, the code blocks and their owners."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.text_by_id: dict[str, list[str]] = {}
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.code_blocks: list[tuple[tuple[str, ...], str, str]] = []
        self._open: list[tuple[str, str | None]] = []
        self._code: tuple[tuple[str, ...], str, list[str]] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag in VOID:
            return
        language = str(attributes.get("class") or "")
        if tag == "code" and language.startswith("language-"):
            owners = tuple(i for _, i in self._open if i is not None)
            self._code = (owners, language.removeprefix("language-"), [])
        element_id = attributes.get("id")
        if element_id is not None:
            self.text_by_id.setdefault(element_id, [])
        self._open.append((tag, element_id))

    def handle_endtag(self, tag: str) -> None:
        if tag == "code" and self._code is not None:
            owners, language, parts = self._code
            self.code_blocks.append((owners, language, "".join(parts)))
            self._code = None
        while self._open:
            open_tag, _ = self._open.pop()
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._code is not None:
            self._code[2].append(data)
        for _, element_id in self._open:
            if element_id is not None:
                self.text_by_id[element_id].append(data)

    def text(self, element_id: str) -> str:
        return " ".join(" ".join(self.text_by_id[element_id]).split())

    def code(self, element_id: str, language: str) -> list[str]:
        """The code blocks of one language inside the element."""
        return [text for owners, lang, text in self.code_blocks if element_id in owners and lang == language]

    def links(self) -> list[str]:
        return [str(attrs["href"]) for tag, attrs in self.tags if tag == "a" and attrs.get("href")]
