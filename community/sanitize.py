"""The one function that turns what a user typed into HTML safe to show.

Every save path (new thread, reply, quote, edit) calls ``sanitize_post``; the
template then marks the stored body safe. Plain text is accepted too: blank lines
become paragraphs and single line breaks ``<br>``.
"""

import re
from functools import partial

import bleach
from bleach.linkifier import LinkifyFilter

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
ALLOWED_ATTRIBUTES = {"a": ["href", "title"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"
# Elements whose content is code or markup, not text for a reader: dropped whole
# instead of leaving their source behind as visible text.
_DROP_WITH_CONTENT = re.compile(
    r"<(script|style|svg|math|template|iframe|object|noscript|textarea)\b.*?"
    r"(</\1\s*>|$)",
    re.IGNORECASE | re.DOTALL,
)
_BLOCK = re.compile(r"<(p|ul|ol|blockquote|pre)\b", re.IGNORECASE)


def _set_rel(attrs, new=False):
    href = attrs.get((None, "href"), "")
    if not href:
        return None  # an <a> without a usable address becomes plain text
    attrs[(None, "rel")] = LINK_REL
    attrs.pop((None, "target"), None)
    return attrs


def _cleaner() -> bleach.Cleaner:
    return bleach.Cleaner(
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
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

    Idempotent: sanitising the output again gives the same string, so an edit
    that starts from the stored body keeps it unchanged.
    """
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    text = _DROP_WITH_CONTENT.sub("", text)
    cleaner = _cleaner()
    html = _paragraphs(cleaner.clean(text).strip())
    # A second pass normalises what the first produced (and the paragraphs added).
    return cleaner.clean(html).strip()
