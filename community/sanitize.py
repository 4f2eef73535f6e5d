"""The one function that turns what a user typed into HTML safe to show.

Every save path (new thread, reply, quote, edit) calls ``sanitize_post``; the
template then marks the stored body safe. Plain text is accepted too: blank lines
become paragraphs and single line breaks ``<br>``.

The work happens in three steps, each with a bounded cost:

1. ``markup_check`` scans the text once (linear time) and refuses markup that no
   person writes by hand but that makes bleach's html5lib parser slow: more than
   ``MAX_DEPTH`` levels of nested tags (the parser's cost grows with the square of
   the depth: ``'<b>' * 12000`` took seconds) or more than ``MAX_UNITS`` pieces of
   markup (start tags, line breaks that become ``<br>``, addresses that become
   links: bleach spends tens of microseconds on each).
2. ``_prepare`` walks the tags once more: the content of a closed ``<script>``,
   ``<style>``, ``<svg>``... is dropped whole, an unclosed one loses only its own
   tag (never the rest of the post), and inside ``<code>`` and ``<pre>`` any tag
   that is not allowed is escaped so the reader sees it as written.
3. bleach cleans with a tag, attribute and URL allowlist, and links addresses.
"""

import bisect
import re
from functools import partial
from html import unescape

import bleach
from bleach.linkifier import LinkifyFilter
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "strong",
        "b",
        "em",
        "i",
        "u",
        "ul",
        "ol",
        "li",
        "a",
        "blockquote",
        "code",
        "pre",
    }
)
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"

# Bounds of the pre-check. Real posts stay far below them: a chain of twenty
# nested quotes is about 60 levels deep; a 5,000-character post has a few dozen
# tags. Measured in benchmarks/bench_sanitize.py: at these bounds the worst
# 50,000-character input costs well under 250 ms of CPU.
MAX_DEPTH = 100
MAX_UNITS = 1200

# Elements whose content is code or markup, not text for a reader: dropped with
# their content when closed, or the lone tag dropped when not.
_DROP_WITH_CONTENT = frozenset(
    {
        "script",
        "style",
        "svg",
        "math",
        "template",
        "iframe",
        "object",
        "noscript",
        "noembed",
        "noframes",
        "textarea",
        "title",
        "xmp",
        "plaintext",
        "listing",
    }
)
_VOID = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "keygen",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    }
)
# Elements that close an open element of the same name when they start.
_SELF_CLOSING_SIBLINGS = frozenset({"p", "li"})
_LITERAL = frozenset({"code", "pre"})

# A tag as the HTML tokenizer sees it: "<", an optional "/", a letter, then up to
# the first ">" (quoted attribute values may hide a ">": good enough for counting,
# and bleach re-parses everything afterwards).
_TAG = re.compile(r"<(/?)([A-Za-z][^\s/>]*)[^>]*>?")
_ATTRIBUTE = re.compile(r"[\s/]+[^\s/>=]")
_LINK_LIKE = re.compile(r"(?:https?://|www\.)\S*", re.IGNORECASE)
_BLOCK = re.compile(r"<(p|ul|ol|blockquote|pre)\b", re.IGNORECASE)
_SCHEME = re.compile(r"^([^/?#]*?):")
# Browsers drop these anywhere in a URL (tab, newline) or at its ends (controls
# and spaces) before reading the scheme.
_URL_STRIP = re.compile(r"[\x00-\x20\x7f]")


def url_is_safe(value: str) -> bool:
    """True for relative URLs and the schemes in ``ALLOWED_PROTOCOLS`` only.

    The value is read as a browser would: entities decoded (again, in case a
    caller passes raw attribute text), whitespace and control characters
    removed, scheme compared case-insensitively. Anything with a colon before
    the first ``/``, ``?`` or ``#`` has a scheme and must be on the list, so
    ``javascript:123`` is refused even though some URL parsers read it as a
    host and port.
    """
    cleaned = _URL_STRIP.sub("", unescape(value or ""))
    match = _SCHEME.match(cleaned)
    if match is None:
        return True
    return match.group(1).lower() in ALLOWED_PROTOCOLS


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    if tag == "a" and name == "title":
        return True
    if tag == "a" and name == "href":
        return url_is_safe(value)
    return False


def _set_rel(attrs, new=False):
    href = attrs.get((None, "href"), "")
    if not href or not url_is_safe(href):
        return None  # an <a> without a usable address becomes plain text
    attrs[(None, "rel")] = LINK_REL
    attrs.pop((None, "target"), None)
    return attrs


def _cleaner() -> bleach.Cleaner:
    return bleach.Cleaner(
        tags=ALLOWED_TAGS,
        attributes={"a": _allowed_attribute},
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
        filters=[
            partial(
                LinkifyFilter,
                callbacks=[_set_rel],
                skip_tags=["pre", "code"],
                # The email pattern is quadratic on long words (a 50,000-character
                # post took minutes): mailto links must be written as <a>.
                parse_email=False,
            )
        ],
    )


def markup_check(text: str) -> None:
    """Refuse markup too deep or too dense to parse in bounded time.

    Raises ``ValidationError`` (codes ``too_deep`` and ``too_much_markup``) with
    a message in the active language. One pass over the text; the simulated
    stack never grows past ``MAX_DEPTH`` because the check stops there.

    Refusing, rather than silently flattening the markup or storing it as
    escaped text, tells the author what happened while the text is still in
    their hands; such markup is never written by hand, and what the author
    would get back from either fallback would be a wall of tags nobody reads.
    """
    stack: list[str] = []
    units = 0
    for match in _TAG.finditer(text):
        name = match.group(2).lower()
        if match.group(1):
            if name in stack:
                del stack[len(stack) - 1 - stack[::-1].index(name) :]
            continue
        units += 1 + len(_ATTRIBUTE.findall(match.group(0)))
        if name in _VOID:
            continue
        if name in _SELF_CLOSING_SIBLINGS and stack and stack[-1] == name:
            stack.pop()
        stack.append(name)
        if len(stack) > MAX_DEPTH:
            raise ValidationError(
                _(
                    "The text has tags nested more than %(limit)s levels deep. "
                    "Remove some of the nested formatting."
                )
                % {"limit": MAX_DEPTH},
                code="too_deep",
            )
    if not _BLOCK.search(text):
        units += text.count("\n")
    units += len(_LINK_LIKE.findall(text))
    if units > MAX_UNITS:
        raise ValidationError(
            _(
                "The text has too much markup: %(count)s tags, attributes, line "
                "breaks and links, the limit is %(limit)s. Simplify the formatting "
                "or split it into more posts."
            )
            % {"count": units, "limit": MAX_UNITS},
            code="too_much_markup",
        )


def _escape_unclosed_comment(text: str) -> str:
    """An unclosed ``<!--`` would hide the rest of the post: show it as text."""
    start = text.rfind("<!--")
    if start < 0 or start < text.rfind("-->"):
        return text
    return text[:start] + "&lt;!--" + text[start + 4 :]


def _prepare(text: str) -> str:
    """Drop script-like elements, keep everything else, escape inside code.

    Linear: each dangerous name's closing tags are indexed once and looked up
    with a binary search, so a thousand unclosed ``<script>`` cost no more than
    one.
    """
    closings: dict[str, list[int]] = {}
    out: list[str] = []
    position = 0
    literal_depth = 0
    for match in _TAG.finditer(text):
        start = match.start()
        if start < position:
            continue  # inside content already dropped
        is_end, name = bool(match.group(1)), match.group(2).lower()
        out.append(text[position:start])
        position = match.end()
        if name in _LITERAL:
            literal_depth = max(0, literal_depth + (-1 if is_end else 1))
            out.append(match.group(0))
        elif literal_depth and name not in ALLOWED_TAGS:
            out.append("&lt;" + match.group(0)[1:])
        elif name in _DROP_WITH_CONTENT:
            if is_end:
                continue
            if name not in closings:
                closings[name] = [
                    m.end() for m in re.finditer(rf"</{name}\s*>", text, re.IGNORECASE)
                ]
            ends = closings[name]
            index = bisect.bisect_left(ends, position)
            if index < len(ends):
                position = ends[index]
        else:
            out.append(match.group(0))
    out.append(text[position:])
    return _escape_unclosed_comment("".join(out))


def _paragraphs(html: str) -> str:
    """Wrap plain text in paragraphs when it has no block structure of its own."""
    if _BLOCK.search(html):
        return html
    blocks = [block.strip() for block in re.split(r"\n\s*\n", html) if block.strip()]
    return "".join(
        "<p>" + "<br>".join(line.strip() for line in block.splitlines()) + "</p>"
        for block in blocks
    )


def sanitize_post(text: str) -> str:
    """Return ``text`` as allowlisted HTML with links made safe and URLs linked.

    Raises ``ValidationError`` when ``markup_check`` refuses the text. Idempotent:
    sanitising the output again gives the same string, so an edit that starts
    from the stored body keeps it unchanged.
    """
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    markup_check(text)
    cleaner = _cleaner()
    cleaned = cleaner.clean(_prepare(text)).strip()
    if _BLOCK.search(cleaned):
        return cleaned
    if "\n" not in cleaned and "<li" not in cleaned:
        # One paragraph around clean inline markup: nothing for a second pass.
        return f"<p>{cleaned}</p>" if cleaned else ""
    html = _paragraphs(cleaned)
    # Paragraphs were added: a second pass mends tags they split in two.
    return cleaner.clean(html).strip()
