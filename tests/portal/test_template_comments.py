"""Django's {# #} comments end at the line's end: one spread over two lines is
printed on the page (the home showed one)."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def test_no_template_comment_spans_lines():
    found = []
    for path in TEMPLATES.rglob("*.html"):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            opened = [m.start() for m in re.finditer(r"\{#", line)]
            closed = [m.start() for m in re.finditer(r"#\}", line)]
            if len(opened) != len(closed):
                found.append(f"{path.relative_to(TEMPLATES)}:{number}")
    assert found == []


def test_the_home_shows_no_template_syntax(client, tree):
    html = client.get("/").content.decode()
    assert "{#" not in html
    assert "{%" not in html
