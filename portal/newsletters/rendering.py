"""An issue as an email: HTML (tables, inline styles) and plain text.

An issue is rendered once per language; each subscriber's copy only swaps in
their own unsubscribe link (``personalise``), which keeps sending fast.
"""

import re
from dataclasses import dataclass
from html import escape, unescape
from html.parser import HTMLParser

from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from wagtail.rich_text import expand_db_html

from portal.services import absolute_url

UNSUBSCRIBE_PLACEHOLDER = "__EL_UNSUBSCRIBE_URL__"
LINK_STYLE = "color:#0066cc;text-decoration:underline;"
PARAGRAPH_STYLE = "margin:0 0 16px 0;"

KIND_LABELS = {
    "practice": lambda: _("Good practice"),
    "seminar": lambda: _("Seminar"),
    "publication": lambda: _("Publication"),
    "project": lambda: _("Project"),
}


@dataclass(frozen=True)
class Teaser:
    kind: str
    label: str
    title: str
    summary: str
    note: str
    path: str
    url: str
    meta: str


@dataclass(frozen=True)
class RenderedIssue:
    language: str
    subject: str
    html: str
    text: str
    url: str


def teaser(*, kind: str, page, note: str = "") -> Teaser | None:
    """What an issue says about a pulled page, or None if the page is not public.

    The page is taken in the language being rendered (an English issue pulls the
    English version of an Italian page that has one), as Wagtail does for the
    page links of rich text."""
    if page is None:
        return None
    page = page.localized
    if not page.live or page.get_view_restrictions().exists():
        return None
    page = page.specific
    meta = ""
    start = getattr(page, "start", None)
    if start is not None:
        meta = formats.date_format(timezone.localtime(start), "DATETIME_FORMAT")
    elif getattr(page, "date", None) is not None:
        meta = formats.date_format(page.date, "DATE_FORMAT")
    return Teaser(
        kind=kind,
        label=str(KIND_LABELS[kind]()),
        title=page.title,
        summary=getattr(page, "summary", "") or page.search_description,
        note=note,
        path=page.get_url() or "",
        url=absolute_url(page.get_url() or ""),
        meta=meta,
    )


_HREF = re.compile(r'href="(/[^"]*)"')


def email_html(rich_text: str) -> str:
    """Rich text with absolute links and inline styles, for email clients."""
    html = expand_db_html(rich_text)
    html = _HREF.sub(lambda match: f'href="{absolute_url(match.group(1))}"', html)
    html = html.replace("<a ", f'<a style="{LINK_STYLE}" ')
    return html.replace("<p>", f'<p style="{PARAGRAPH_STYLE}">')


class _TextExtractor(HTMLParser):
    BLOCKS = {"p", "div", "br", "h2", "h3", "h4", "ul", "ol", "li"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.href: str | None = None

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self.parts.append("\n")
        if tag == "li":
            self.parts.append("- ")
        if tag == "a":
            self.href = dict(attrs).get("href")

    def handle_endtag(self, tag):
        if tag == "a" and self.href:
            self.parts.append(f" <{absolute_url(self.href)}>")
            self.href = None
        if tag in {"p", "div", "h2", "h3", "h4", "ul", "ol"}:
            self.parts.append("\n")

    def handle_data(self, data):
        self.parts.append(data)


def html_to_text(html: str) -> str:
    """Readable plain text of rich text: paragraphs, bullets, links in <>."""
    parser = _TextExtractor()
    parser.feed(expand_db_html(html))
    parser.close()
    text = unescape("".join(parser.parts))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def issue_items(issue) -> list[dict]:
    """The issue's blocks as plain data for both email templates."""
    items = []
    for block in issue.body:
        if block.block_type == "heading":
            items.append({"type": "heading", "text": block.value})
        elif block.block_type == "paragraph":
            source = block.value.source
            items.append(
                {
                    "type": "paragraph",
                    "html": email_html(source),
                    "text": html_to_text(source),
                }
            )
        else:
            pulled = teaser(
                kind=block.block_type,
                page=block.value["page"],
                note=block.value["note"],
            )
            if pulled is not None:
                items.append({"type": "teaser", "teaser": pulled})
    return items


def render_issue(
    issue, *, personal: str | None = UNSUBSCRIBE_PLACEHOLDER
) -> RenderedIssue:
    """The issue's email in its own language, with a placeholder for the
    recipient's unsubscribe link (``personal=None`` for previews and tests)."""
    language = issue.locale.language_code
    with translation.override(language):
        context = {
            "issue": issue,
            "items": issue_items(issue),
            "intro_html": email_html(issue.intro) if issue.intro else "",
            "intro_text": html_to_text(issue.intro) if issue.intro else "",
            "url": absolute_url(issue.get_url() or ""),
            "unsubscribe_url": personal or "#",
            "language": language,
            "subject": issue.title,
        }
        html = render_to_string("newsletters/email/issue.html", context)
        text = render_to_string("newsletters/email/issue.txt", context)
    return RenderedIssue(
        language=language,
        subject=issue.title,
        html=html,
        text=text,
        url=context["url"],
    )


def personalise(rendered: RenderedIssue, *, unsubscribe_url: str) -> tuple[str, str]:
    """(html, text) of one recipient's copy."""
    return (
        rendered.html.replace(UNSUBSCRIBE_PLACEHOLDER, escape(unsubscribe_url)),
        rendered.text.replace(UNSUBSCRIBE_PLACEHOLDER, unsubscribe_url),
    )
