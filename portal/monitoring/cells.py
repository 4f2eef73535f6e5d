"""Turn a table cell of a programme report into clean HTML that keeps its lists.

Reports like seed 004 come out of word processors and PDFs: a cell holds
``<ul style="list-style-type: none"> - first item - second item`` with no ``<li>``
and no closing tag, paragraphs inside lists, nested ``✓`` lists, and cells split
across a page break. :func:`parse` reads such a fragment into blocks (paragraphs
and lists of items), :func:`merge` joins a cell continued on the next page, and
:func:`render` writes the blocks as HTML that is then sanitised with bleach to
:data:`ALLOWED_TAGS` (no attributes at all).
"""

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import bleach

ALLOWED_TAGS = frozenset({"p", "ul", "ol", "li", "strong", "em", "br"})
INLINE = {"strong": "strong", "b": "strong", "u": "strong", "em": "em", "i": "em"}
SKIP_CONTENT = {"script", "style", "template", "head", "title"}
MAX_DEPTH = 2

# A bullet inside a list written as text: "✓" or "•" anywhere, or a hyphen that
# opens the text, follows a sentence's end, is glued to its word ("-Elaborati") or
# precedes a capital ("immigrati - Predisposizione"). A hyphen between lower-case
# words ("pena - lavoro") is part of the sentence.
BULLET = re.compile(
    r"""
    (?:^|(?<=\s))[✓•]\s*
    | ^\s*-\s*
    | (?<=[.;:!?)"»])\s+-\s*
    | (?<=\s)-(?=[^\s-])
    | (?<=\s)-\s+(?=[A-ZÀ-Ý])
    """,
    re.VERBOSE,
)


@dataclass
class Item:
    html: str = ""
    children: list["Item"] = field(default_factory=list)
    continued: bool = False


@dataclass
class Block:
    kind: str  # "p" or "ul"
    html: str = ""
    items: list[Item] = field(default_factory=list)
    continued: bool = False


def _space_join(left: str, right: str) -> str:
    left, right = left.rstrip(), right.lstrip()
    if not left:
        return right
    if not right:
        return left
    return f"{left} {right}"


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.depth = 0
        self.in_li = False
        self.in_p = False
        self.skip = 0
        self.first = True

    # -- where text goes -------------------------------------------------------
    def _list(self) -> Block:
        if not self.blocks or self.blocks[-1].kind != "ul":
            self.blocks.append(Block("ul", continued=self.first))
        return self.blocks[-1]

    def _items(self) -> list[Item]:
        items = self._list().items
        if self.depth >= 2 and items:
            return items[-1].children
        return items

    def _new_item(self, *, continued: bool = False) -> Item:
        item = Item(continued=continued and self.first)
        self._items().append(item)
        self.first = False
        return item

    def _current_item(self) -> Item:
        items = self._items()
        if not items:
            return self._new_item(continued=True)
        return items[-1]

    def _paragraph(self) -> Block:
        if not self.blocks or self.blocks[-1].kind != "p" or not self.in_p:
            self.blocks.append(Block("p", continued=self.first))
            self.in_p = True
        return self.blocks[-1]

    def _append(self, fragment: str) -> None:
        if self.depth:
            item = self._current_item()
            item.html += fragment
        else:
            self._paragraph().html += fragment
        self.first = False

    def _has_open_text(self) -> bool:
        return bool(self.depth and self._list().items) or (
            self.in_p and bool(self.blocks)
        )

    # -- parser callbacks ------------------------------------------------------
    def handle_starttag(self, tag, attrs):
        if tag in SKIP_CONTENT:
            self.skip += 1
        elif tag in ("ul", "ol"):
            self.in_p = False
            self.depth = min(self.depth + 1, MAX_DEPTH)
            self.in_li = False
            self._list()
        elif tag == "li":
            if not self.depth:
                self.depth = 1
            self.in_p = False
            self._new_item()
            self.in_li = True
        elif tag == "p":
            # A paragraph ends any list the source left open.
            self.depth = 0
            self.in_li = False
            self.in_p = False
            self._paragraph()
        elif tag == "br":
            self._append("<br>")
        elif tag in INLINE:
            self._append(f"<{INLINE[tag]}>")

    def handle_endtag(self, tag):
        if tag in SKIP_CONTENT:
            self.skip = max(self.skip - 1, 0)
        elif tag in ("ul", "ol"):
            self.depth = max(self.depth - 1, 0)
            self.in_li = False
        elif tag == "li":
            self.in_li = False
        elif tag == "p":
            self.in_p = False
        elif tag in INLINE:
            self._append(f"</{INLINE[tag]}>")

    def handle_data(self, data):
        if self.skip:
            return
        text = " ".join(data.split())
        if not text:
            if data and self._has_open_text():
                self._append(" ")  # the space between two inline elements
            return
        lead = " " if data[0].isspace() else ""
        trail = " " if data[-1].isspace() else ""
        if not self.depth and not self.in_p and BULLET.match(text):
            self.depth = 1  # a cell that is a bare "- item - item" list
        if not self.depth or self.in_li:
            self._append(lead + html.escape(text, quote=False) + trail)
            return
        pieces = BULLET.split(text)
        head, rest = pieces[0], pieces[1:]
        if head.strip():
            tail = trail if not rest else ""
            self._append(lead + html.escape(head.strip(), quote=False) + tail)
        for position, piece in enumerate(rest):
            item = self._new_item()
            tail = trail if position == len(rest) - 1 else ""
            item.html = html.escape(piece.strip(), quote=False) + tail


def parse(fragment: str) -> list[Block]:
    """Blocks of a raw cell; the first one is marked ``continued`` when it does not
    start a new paragraph or bullet (so it may finish the previous page's text)."""
    reader = _Reader()
    reader.feed(fragment or "")
    reader.close()
    blocks = [block for block in reader.blocks if block.html.strip() or block.items]
    for block in blocks:
        block.html = _tidy(block.html)
        _tidy_items(block.items)
    return blocks


def _tidy(markup: str) -> str:
    markup = " ".join(markup.split())
    return re.sub(r"\s+(</(?:strong|em)>)", r"\1 ", markup).strip()


def _tidy_items(items: list[Item]) -> None:
    items[:] = [item for item in items if item.html.strip() or item.children]
    for item in items:
        item.html = _tidy(item.html)
        _tidy_items(item.children)


def _last_text(blocks: list[Block]):
    """The item or paragraph that a continued fragment should be appended to."""
    if not blocks:
        return None
    last = blocks[-1]
    if last.kind == "p":
        return last
    if not last.items:
        return None
    item = last.items[-1]
    return item.children[-1] if item.children else item


def merge(previous: list[Block], continuation: list[Block]) -> list[Block]:
    """Join a cell's continuation (the same row on the next page) to its start."""
    if not continuation:
        return previous
    if not previous:
        return continuation
    first, rest = continuation[0], continuation[1:]
    target = _last_text(previous)
    if first.kind == "p" and first.continued and target is not None:
        target.html = _space_join(target.html, first.html)
        return previous + rest
    if first.kind == "ul" and target is not None:
        items = list(first.items)
        if items and items[0].continued:
            head = items.pop(0)
            target.html = _space_join(target.html, head.html)
            if head.children and isinstance(target, Item):
                target.children.extend(head.children)
        if items:
            if previous[-1].kind == "ul":
                previous[-1].items.extend(items)
            else:
                previous.append(Block("ul", items=items))
        return previous + rest
    return previous + continuation


def _render_items(items: list[Item]) -> str:
    parts = []
    for item in items:
        inner = item.html
        if item.children:
            inner += f"<ul>{_render_items(item.children)}</ul>"
        if inner:
            parts.append(f"<li>{inner}</li>")
    return "".join(parts)


def sanitise(markup: str) -> str:
    """Keep only :data:`ALLOWED_TAGS`, without attributes; strip everything else."""
    return bleach.clean(
        markup, tags=ALLOWED_TAGS, attributes={}, strip=True, strip_comments=True
    ).strip()


def render(blocks: list[Block]) -> str:
    """Sanitised HTML of the blocks."""
    parts = []
    for block in blocks:
        if block.kind == "p" and block.html:
            parts.append(f"<p>{block.html}</p>")
        elif block.kind == "ul":
            rendered = _render_items(block.items)
            if rendered:
                parts.append(f"<ul>{rendered}</ul>")
    return sanitise("".join(parts))


def clean_cell(fragment: str) -> str:
    """Parse, then render, a single complete cell."""
    return render(parse(fragment))
