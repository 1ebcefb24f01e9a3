"""Read Docusaurus reference pages into a typed model that keeps 1-based source line numbers.

The model is what every command works from (build, lint, and any later renderer), so it keeps the
page's content close to its source: headings, tables (cells as inline Markdown plus their links),
admonitions, code blocks, the HTTP Request line and the introductory prose.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import frontmatter
import yaml
from frontmatter.default_handlers import YAMLHandler
from markdown_it import MarkdownIt
from markdown_it.rules_block.table import escapedSplit
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin

from specgen.findings import PageFinding

ADMONITIONS = ("info", "note", "tip", "caution", "warning", "danger")
LINK_MARK = "\x00"
HTTP_METHODS = ("GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE")


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark").enable("table")
    for name in ADMONITIONS:
        md.use(container_plugin, name)
    return md


MARKDOWN = _parser()
#: Only fences: enough to find the code blocks inside MDX tab blocks, several times faster than MARKDOWN.
FENCES = MarkdownIt("zero").enable(["fence", "code"])


@dataclass(frozen=True)
class Link:
    text: str
    href: str


@dataclass(frozen=True)
class Cell:
    """One table cell: its inline Markdown source, its plain text and the links it holds."""

    source: str
    text: str
    links: tuple[Link, ...] = ()
    shape: str = ""  # the plain text with each link replaced by LINK_MARK + its index + LINK_MARK


@dataclass(frozen=True)
class TableRow:
    line: int
    cells: tuple[Cell, ...]
    written: tuple[
        str, ...
    ] = ()  # cells as written in the source (the parser pads or drops them to the header)

    @property
    def source_cells(self) -> int:
        return len(self.written)

    def get(self, index: int | None) -> Cell:
        if index is None or index >= len(self.cells):
            return Cell("", "")
        return self.cells[index]


@dataclass(frozen=True)
class Table:
    line: int
    header: tuple[str, ...]
    rows: tuple[TableRow, ...]
    section: str  # text of the nearest heading above
    anchor: str  # that heading's anchor (`#enumerated-values`, `#enumerated-values-1`...)
    caption: str  # plain text of the paragraph right above the table, if any (e.g. "Status Code 200")

    def column(self, *names: str) -> int | None:
        """Index of the first header cell equal (case-insensitively) to one of `names`."""
        wanted = [name.lower() for name in names]
        for name in wanted:
            for index, title in enumerate(self.header):
                if title.strip().lower() == name:
                    return index
        return None


@dataclass(frozen=True)
class Heading:
    line: int
    level: int
    text: str
    anchor: str


@dataclass(frozen=True)
class Admonition:
    line: int
    kind: str
    text: str  # Markdown source of the block's content


@dataclass(frozen=True)
class CodeBlock:
    line: int  # of the first content line
    lang: str
    content: str
    section: str = ""  # text of the nearest heading above
    tab: str = ""  # `value` of the MDX `<TabItem>` around the block, e.g. "200" under Example responses


@dataclass(frozen=True)
class RequestLine:
    line: int
    method: str
    path: str  # without any query string
    alternatives: tuple[str, ...] = ()
    query: tuple[str, ...] = ()  # names of query parameters written into the request line (`?user={search}`)


@dataclass
class SourcePage:
    """One Markdown file of the reference, as read (no interpretation of types or access yet)."""

    file: Path
    rel: str  # posix path relative to the docs root, with the .md suffix
    title: str
    meta: dict[str, object]
    headings: list[Heading] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    admonitions: list[Admonition] = field(default_factory=list)
    code_blocks: list[CodeBlock] = field(default_factory=list)
    body: str = ""  # the Markdown after the front matter
    intro: list[str] = field(default_factory=list)  # prose blocks (Markdown source) before the first heading
    request: RequestLine | None = None
    request_heading: Heading | None = None
    findings: list[PageFinding] = field(default_factory=list)

    @property
    def stem(self) -> str:
        return Path(self.rel).stem

    @property
    def folder(self) -> str:
        parts = Path(self.rel).parts
        return parts[0] if len(parts) > 1 else ""

    @property
    def is_schema(self) -> bool:
        return self.folder == "schemas"

    @property
    def looks_like_endpoint(self) -> bool:
        """An HTTP Request heading, or the Parameters/Responses sections that only endpoints have."""
        if self.request_heading is not None:
            return True
        names = {heading.text.strip().lower() for heading in self.headings}
        return not self.is_schema and bool(names & {"parameters", "responses"})

    def heading_line(self, text: str) -> int:
        for heading in self.headings:
            if heading.text.strip().lower() == text.lower():
                return heading.line
        return 1

    def report(self, line: int, rule: str, message: str) -> None:
        self.findings.append(PageFinding(self.rel, line, rule, message))


def read_page(file: Path, root: Path) -> SourcePage:
    rel = file.relative_to(root).as_posix()
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        page = SourcePage(file, rel, Path(rel).stem, {})
        page.report(1, "page-unreadable", str(error))
        return page
    return parse_page(text, file, rel)


def parse_page(text: str, file: Path, rel: str) -> SourcePage:
    meta, body, offset, error = _split_front_matter(text)
    title = str(meta.get("title") or meta.get("sidebar_label") or "").strip()
    page = SourcePage(file, rel, title or Path(rel).stem, meta, body=body)
    if error:
        page.report(1, "front-matter-invalid", error)
    _read_tokens(page, MARKDOWN.parse(body), body.splitlines(), offset)
    if not title and page.looks_like_endpoint:
        page.report(1, "title-missing", f"no `title` in the front matter; using {page.title!r}")
    return page


def _split_front_matter(text: str) -> tuple[dict[str, object], str, int, str]:
    """Front matter, the Markdown body, the body's 0-based line offset in the file, and any error."""
    try:
        parsed, body = frontmatter.parse(text)
    except yaml.YAMLError as error:
        problem = str(error).splitlines()[0]
        body = _after_front_matter(text)
        return {}, body, _offset_of(text, body), f"front matter ignored: {problem}"
    meta: object = parsed  # YAML that is not a mapping (a list, a string) is no front matter
    return (meta if isinstance(meta, dict) else {}), body, _offset_of(text, body), ""


def _after_front_matter(text: str) -> str:
    handler = YAMLHandler()
    try:
        _, body = handler.split(text.strip())
    except ValueError:
        return text
    return body.strip()


def _offset_of(text: str, body: str) -> int:
    position = text.rfind(body) if body else len(text)
    return text.count("\n", 0, max(position, 0))


def _line(token: Token, offset: int) -> int:
    return (token.map[0] if token.map else 0) + offset + 1


def _plain(inline: Token) -> str:
    parts: list[str] = []
    for child in inline.children or []:
        if child.type in ("text", "code_inline", "html_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts).strip()


def _cell(inline: Token) -> Cell:
    links: list[Link] = []
    href: str | None = None
    text: list[str] = []
    shape: list[str] = []
    for child in inline.children or []:
        if child.type == "link_open":
            href, text = str(child.attrs.get("href", "")), []
        elif child.type == "link_close" and href is not None:
            shape.append(f"{LINK_MARK}{len(links)}{LINK_MARK}")
            links.append(Link("".join(text).strip(), href))
            href = None
        elif href is not None and child.type in ("text", "code_inline"):
            text.append(child.content)
        elif child.type in ("text", "code_inline", "html_inline"):
            shape.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            shape.append(" ")
    return Cell(inline.content.strip(), _plain(inline), tuple(links), "".join(shape).strip())


def _source_cells(line: str) -> tuple[str, ...]:
    """The cells written in a table source line.

    markdown-it pads short rows and drops extra cells to match the header; the cells the author wrote
    are split here with the parser's own splitting function, so both agree on every pipe.
    """
    cells = escapedSplit(line.strip())
    if cells and cells[0] == "":
        cells.pop(0)
    if cells and cells[-1] == "":
        cells.pop()
    return tuple(cell.strip() for cell in cells)


def _read_table(tokens: list[Token], start: int, lines: list[str], offset: int) -> tuple[int, list[TableRow]]:
    rows: list[TableRow] = []
    index = start
    current: list[Cell] = []
    row_line = 0
    while index < len(tokens) and tokens[index].type != "table_close":
        token = tokens[index]
        if token.type == "tr_open":
            current, row_line = [], (token.map[0] if token.map else 0)
        elif token.type in ("th_open", "td_open"):
            current.append(_cell(tokens[index + 1]))
        elif token.type == "tr_close":
            source = lines[row_line] if row_line < len(lines) else ""
            rows.append(TableRow(row_line + offset + 1, tuple(current), _source_cells(source)))
        index += 1
    return index, rows


def slug(text: str, taken: dict[str, int]) -> str:
    """The anchor Docusaurus gives a heading (github-slugger rules, `-1`, `-2`... for repeats)."""
    base = re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")
    count = taken.get(base, 0)
    taken[base] = count + 1
    return base if count == 0 else f"{base}-{count}"


_PROSE = ("paragraph_open", "bullet_list_open", "ordered_list_open", "blockquote_open")


def _read_tokens(page: SourcePage, tokens: list[Token], lines: list[str], offset: int) -> None:
    section, anchor, caption = "", "", ""
    anchors: dict[str, int] = {}
    seen_heading = False
    depth = 0  # nesting inside admonitions: their paragraphs are not page prose
    index = 0
    while index < len(tokens):
        token = tokens[index]
        kind = token.type
        if kind == "heading_open":
            text = _plain(tokens[index + 1])
            heading = Heading(_line(token, offset), int(token.tag[1:]), text, slug(text, anchors))
            page.headings.append(heading)
            section, anchor, caption = heading.text, heading.anchor, ""
            seen_heading = True
            if heading.text.strip().lower() == "http request" and page.request_heading is None:
                page.request_heading = heading
                page.request = _request_after(page, tokens, index + 3, offset)
            index += 3
            continue
        if kind.startswith("container_") and kind.endswith("_open"):
            depth += 1
            name = token.info.strip().split()[0] if token.info.strip() else ""
            page.admonitions.append(Admonition(_line(token, offset), name, _source(token, lines, inner=True)))
        elif kind.startswith("container_") and kind.endswith("_close"):
            depth -= 1
        elif kind in _PROSE and not seen_heading and depth == 0 and token.level == 0:
            page.intro.append(_source(token, lines, inner=False))
        if kind == "paragraph_open":
            caption = _plain(tokens[index + 1])
        elif kind == "table_open":
            end, rows = _read_table(tokens, index, lines, offset)
            if rows:
                header = tuple(cell.text for cell in rows[0].cells)
                page.tables.append(
                    Table(_line(token, offset), header, tuple(rows[1:]), section, anchor, caption)
                )
            caption = ""
            index = end
        elif kind in ("fence", "code_block"):
            _read_code(page, token, offset, section)
        index += 1


def _source(token: Token, lines: list[str], inner: bool) -> str:
    """Source lines of a block token (without its `:::` fences when `inner`)."""
    if not token.map:
        return ""
    first, last = token.map
    chunk = lines[first:last]
    if inner and chunk:
        chunk = chunk[1:]
        if chunk and chunk[-1].strip().startswith(":::"):
            chunk = chunk[:-1]
    return "\n".join(line.rstrip() for line in chunk).strip()


_TAB_ITEM = re.compile(r"""<TabItem\b[^>]*\bvalue\s*=\s*["']([^"']*)["']""")


def _read_code(page: SourcePage, token: Token, offset: int, section: str) -> None:
    line = _line(token, offset) + 1
    lang = token.info.strip().split()[0] if token.info.strip() else ""
    if lang == "mdx-code-block":
        # MDX tabs wrap ordinary fenced blocks: read them as Markdown so their languages and lines survive;
        # the JSX around them is not Markdown, so the tab of each block is found in the lines above it.
        source = token.content.splitlines()
        for child in FENCES.parse(token.content):
            if child.type in ("fence", "code_block"):
                child_lang = child.info.strip().split()[0] if child.info.strip() else ""
                above = source[: child.map[0] if child.map else 0]
                tabs = [m.group(1) for text in above for m in _TAB_ITEM.finditer(text)]
                block = CodeBlock(
                    line + _line(child, 0), child_lang, child.content, section, tabs[-1] if tabs else ""
                )
                page.code_blocks.append(block)
        return
    page.code_blocks.append(CodeBlock(line, lang, token.content, section))


def _request_after(page: SourcePage, tokens: list[Token], index: int, offset: int) -> RequestLine | None:
    """The `METHOD /path` code span(s) of the first paragraph under the HTTP Request heading."""
    while index < len(tokens) and tokens[index].type != "heading_open":
        token = tokens[index]
        if token.type == "inline":
            spans = [c.content for c in token.children or [] if c.type == "code_inline"]
            if not spans:
                spans = [token.content]
            parsed = [_method_path(span) for span in spans]
            found = [item for item in parsed if item is not None]
            line = _line(token, offset)
            if not found:
                page.report(line, "request-line-invalid", f"expected `METHOD /path`, found {token.content!r}")
                return None
            method, path = found[0]
            others = tuple(f"{m} {p}" for m, p in found[1:])
            if others:
                page.report(
                    line,
                    "request-line-alternative",
                    f"only `{method} {path}` is kept; also documented: {', '.join(others)}",
                )
            path, _, query = path.partition("?")
            names = tuple(
                name for name in (part.split("=")[0].strip("/ ") for part in query.split("&")) if name
            )
            if query:
                page.report(
                    line,
                    "request-line-query",
                    f"query string `?{query}` in the HTTP Request line: document it in the Parameters table",
                )
            return RequestLine(line, method, path, others, names)
        index += 1
    page.report(
        page.request_heading.line if page.request_heading else 1,
        "request-line-invalid",
        "the HTTP Request heading is not followed by a `METHOD /path` line",
    )
    return None


_METHOD_PATH = re.compile(r"^\s*([A-Za-z]+)\s+(/.*?)\s*$")


def _method_path(span: str) -> tuple[str, str] | None:
    match = _METHOD_PATH.match(span)
    if not match or match.group(1).upper() not in HTTP_METHODS:
        return None
    path = re.sub(r"\s+", "", match.group(2))
    return match.group(1).upper(), path


def read_category(folder: Path) -> dict[str, object]:
    """The folder's Docusaurus `_category_.json`, or `{}`."""
    file = folder / "_category_.json"
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def read_pages(root: Path) -> list[SourcePage]:
    """Every Markdown page under `root`, sorted by relative path (the order everything else relies on)."""
    files = sorted(root.rglob("*.md"), key=lambda file: file.relative_to(root).as_posix())
    return [read_page(file, root) for file in files]
