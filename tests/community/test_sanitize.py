import pytest

from community import services
from community.sanitize import sanitize_post
from tests.community.factories import add_member, make_group, make_thread

HOSTILE = [
    "<script>alert(1)</script>ciao",
    '<p onclick="alert(1)" onmouseover="x()">ciao</p>',
    '<a href="javascript:alert(1)">ciao</a>',
    '<a href="JaVaScRiPt&#58;alert(1)">ciao</a>',
    '<a href="jav&#x09;ascript:alert(1)">ciao</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD4=">ciao</a>',
    '<img src="x" onerror="alert(1)">ciao',
    '<svg onload="alert(1)"><script>alert(1)</script></svg>ciao',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<style>body{display:none}</style>ciao",
    '<iframe src="https://evil.example"></iframe>ciao',
    "<p><b><i>ciao</p></b>",
    "<<script>script>alert(1)<</script>/script>",
    '<a href="https://ok.example" target="_blank" rel="opener">ciao</a>',
    '<form action="https://evil.example"><input name=x></form>ciao',
    "<!--<script>alert(1)</script>-->ciao",
    '<object data="x.swf"></object><embed src="x">ciao',
]
FORBIDDEN = [
    "<script",
    "onerror",
    "onclick",
    "onload",
    "onmouseover",
    "javascript:",
    "data:",
    "<svg",
    "<math",
    "<style",
    "<iframe",
    "<img",
    "<form",
    "<input",
    "<object",
    "<embed",
    "target=",
    'rel="opener',
]


def assert_harmless(html: str) -> None:
    lowered = html.lower()
    for needle in FORBIDDEN:
        assert needle not in lowered, (needle, html)


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_html_comes_out_harmless_and_stable(text):
    html = sanitize_post(text)

    assert_harmless(html)
    assert sanitize_post(html) == html


def test_allowed_markup_is_kept_and_urls_are_linked():
    html = sanitize_post(
        "<p><strong>Nota</strong> <em>bene</em></p><ul><li>uno</li></ul>"
        "<blockquote>citazione</blockquote><code>x = 1</code>"
        "<p>Vedi https://www.lavoro.gov.it e scrivi a "
        '<a href="mailto:info@example.org">info</a></p>'
    )

    assert "<strong>Nota</strong>" in html
    assert "<ul><li>uno</li></ul>" in html
    assert "<blockquote>citazione</blockquote>" in html
    assert "<code>x = 1</code>" in html
    assert '<a href="https://www.lavoro.gov.it" rel="nofollow ugc noopener">' in html
    assert 'href="mailto:info@example.org"' in html


def test_plain_text_becomes_paragraphs():
    assert sanitize_post("riga uno\nriga due\n\nsecondo") == (
        "<p>riga uno<br>riga due</p><p>secondo</p>"
    )


def test_every_link_gets_the_rel_for_user_content():
    html = sanitize_post('<a href="http://example.org" rel="me">x</a>')

    assert (
        html == '<p><a href="http://example.org" rel="nofollow ugc noopener">x</a></p>'
    )


@pytest.mark.parametrize("text", ["a" * 50_000, "@" * 50_000, "http://" * 7_000])
def test_long_input_is_sanitised_quickly(text):
    # A regression guard for bleach's slow patterns: no timing, just completion.
    assert sanitize_post(text)


@pytest.mark.django_db
@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_html_stays_harmless_on_create_quote_and_edit(make_user, text):
    user = make_user()
    group = make_group()
    add_member(group, user)
    thread = make_thread(group, user, body=f"inizio {text}")
    first = thread.posts.get()
    assert_harmless(first.body)

    reply = services.post_create(
        author=user, thread=thread, body=f"risposta {text}", quote=first
    )
    assert_harmless(reply.body)
    assert "<blockquote>" in reply.body

    services.post_edit(editor=user, post=reply, body=f"modificato {text}")
    reply.refresh_from_db()
    assert_harmless(reply.body)
    assert "modificato" in reply.body
