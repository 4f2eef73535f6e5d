"""The AgID pages: accessibility statement, contacts, legal notes, the footer
links to them, the demo content, and the portal's own publiccode.yml."""

import datetime as dt
import json
import re
from http import HTTPStatus
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from jsonschema import Draft202012Validator
from wagtail.models import Page

from kit_downloads import vocabulary
from portal.legal.models import (
    AGID_ENFORCEMENT_URL,
    AccessibilityStatementPage,
    ContactPage,
    LegalNotesPage,
)
from portal.services import page_translate

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def _publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _statement(**fields) -> AccessibilityStatementPage:
    values = {
        "title": "Dichiarazione di accessibilità",
        "slug": "dichiarazione-accessibilita",
        "administration_name": "FormezPA",
        "site_url": "https://esploralavoro.example.org/",
        "conformance_status": "partial",
        "non_accessible_content": [
            (
                "item",
                {
                    "content": "Allegati PDF",
                    "reason": "non_conformity",
                    "explanation": "Senza tag (WCAG 1.3.1)",
                    "alternative": "Versione ODT su richiesta",
                },
            ),
            (
                "item",
                {
                    "content": "Documenti d'archivio",
                    "reason": "out_of_scope",
                    "explanation": "Pubblicati prima del 2018",
                    "alternative": "",
                },
            ),
        ],
        "prepared_on": dt.date(2026, 9, 15),
        "reviewed_on": dt.date(2026, 11, 30),
        "evaluation_method": "self_assessment",
        "feedback_email": "accessibilita@esploralavoro.example",
    }
    values.update(fields)
    return AccessibilityStatementPage(**values)


@pytest.fixture
def agid(tree):
    statement = _publish(tree.home, _statement())
    contacts = _publish(
        tree.home,
        ContactPage(
            title="Contatti",
            slug="contatti",
            offices=[
                (
                    "office",
                    {
                        "name": "Redazione",
                        "description": "",
                        "address": "Viale Carlo Marx 15\n00137 Roma",
                        "email": "redazione@esploralavoro.example",
                        "pec": "redazione@pec.esploralavoro.example",
                        "phone": "+39 06 0000 0000",
                        "hours": "Lunedì-venerdì 9-13",
                    },
                )
            ],
        ),
    )
    notes = _publish(
        tree.home,
        LegalNotesPage(
            title="Note legali",
            slug="note-legali",
            copyright_holder="FormezPA",
            privacy_page=tree.privacy,
            cookies="<p>Solo cookie tecnici.</p>",
        ),
    )
    return statement, contacts, notes


def _headings(html: str) -> list[tuple[int, str]]:
    article = html[html.index("<article") : html.index("</article>")]
    return [
        (int(level), re.sub(r"<[^>]+>", "", text).strip())
        for level, text in re.findall(r"<h([1-6])[^>]*>(.*?)</h\1>", article, re.S)
    ]


def test_statement_renders_the_sections_of_the_agid_model(client, agid):
    html = client.get("/dichiarazione-accessibilita/").content.decode()

    headings = _headings(html)
    assert headings[0] == (1, "Dichiarazione di accessibilità")
    levels = [level for level, _text in headings]
    # No level skipped going down.
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))
    assert levels.count(2) == 5
    assert (3, "Non-conformity with the requirements") in headings or (
        3,
        "Inosservanza dei requisiti",
    ) in headings
    assert "partially compliant" in html or "parzialmente conforme" in html
    assert "Allegati PDF" in html and "Versione ODT su richiesta" in html
    assert "https://esploralavoro.example.org/" in html
    assert 'href="mailto:accessibilita@esploralavoro.example"' in html
    assert '<time datetime="2026-09-15">' in html
    assert '<time datetime="2026-11-30">' in html
    assert f'href="{AGID_ENFORCEMENT_URL}"' in html
    # The contacts page of the same language is linked (no more 404 /contatti/).
    assert 'href="/contatti/"' in html
    assert client.get("/contatti/").status_code == HTTPStatus.OK


def test_items_are_grouped_by_reason_in_the_model_order(agid):
    statement = agid[0]
    groups = statement.non_accessible_groups()
    assert [group["reason"] for group in groups] == ["non_conformity", "out_of_scope"]
    assert groups[0]["items"][0]["content"] == "Allegati PDF"


def test_statement_requires_items_unless_compliant_and_a_sane_review_date(tree):
    statement = _statement(non_accessible_content=[])
    with pytest.raises(ValidationError) as error:
        statement.full_clean(exclude=["path", "depth"])
    assert "non_accessible_content" in error.value.message_dict

    compliant = _statement(
        conformance_status="compliant",
        non_accessible_content=[],
        reviewed_on=dt.date(2026, 1, 1),
    )
    with pytest.raises(ValidationError) as error:
        compliant.full_clean(exclude=["path", "depth"])
    assert list(error.value.message_dict) == ["reviewed_on"]


def test_one_of_each_per_language(tree, agid):
    for model in (AccessibilityStatementPage, ContactPage, LegalNotesPage):
        assert not model.can_create_at(tree.home)
        assert model.can_create_at(tree.home_en)
        assert not model.can_create_at(tree.section)  # under the home only


def test_contacts_page_lists_each_office(client, agid):
    html = client.get("/contatti/").content.decode()

    assert "<h2" in html and "Redazione" in html
    assert "Viale Carlo Marx 15<br>00137 Roma" in html
    assert 'href="mailto:redazione@pec.esploralavoro.example"' in html
    assert 'href="tel:+390600000000"' in html
    assert "Lunedì-venerdì 9-13" in html


def test_legal_notes_licence_privacy_and_cookies(client, agid):
    html = client.get("/note-legali/").content.decode()

    assert 'href="https://creativecommons.org/licenses/by/4.0/"' in html
    assert "CC BY 4.0" in html
    assert 'href="/privacy/"' in html
    assert "Solo cookie tecnici." in html


def _footer_links(html: str) -> list[str]:
    footer = html[html.index('data-testid="footer-links"') :]
    footer = footer[: footer.index("</ul>")]
    return re.findall(r'href="([^"]+)"', footer)


def test_footer_links_the_pages_and_none_is_a_404(client, agid):
    links = _footer_links(client.get("/").content.decode())

    for path in ("/accessibilita/", "/privacy/", "/note-legali/", "/contatti/"):
        assert path in links
    for link in links:
        assert client.get(link).status_code == HTTPStatus.OK, link


def test_english_footer_links_the_translations(client, agid):
    _statement_page, contacts, _notes = agid
    strings = {
        "Contatti": "Contacts",
        "Redazione": "Editorial team",
        "Viale Carlo Marx 15<br/>00137 Roma": "Viale Carlo Marx 15<br/>00137 Roma",
        "+39 06 0000 0000": "+39 06 0000 0000",
        "Lunedì-venerdì 9-13": "Monday to Friday 9-13",
    }
    page_translate(page=contacts, language_code="en", strings=strings)

    links = _footer_links(client.get("/en/").content.decode())

    assert "/en/contacts/" in links
    assert "/note-legali/" in links  # not translated: the Italian page
    html = client.get("/en/contacts/").content.decode()
    assert "Monday to Friday 9-13" in html


def test_unpublished_page_leaves_the_footer(client, agid):
    agid[2].unpublish()

    links = _footer_links(client.get("/").content.decode())

    assert "/note-legali/" not in links
    assert "/contatti/" in links


@pytest.fixture
def empty_site():
    for page in Page.get_first_root_node().get_children():
        page.delete()


def test_demo_builds_the_three_pages_in_both_languages(client, empty_site):
    call_command("load_demo")

    statement = AccessibilityStatementPage.objects.get(locale__language_code="it")
    assert statement.conformance_status == "partial"
    assert {block.value["reason"] for block in statement.non_accessible_content} >= {
        "non_conformity",
        "out_of_scope",
    }
    assert "PDF" in statement.non_accessible_content[0].value["content"]
    for path in (
        "/dichiarazione-accessibilita/",
        "/contatti/",
        "/note-legali/",
        "/en/accessibility-statement/",
        "/en/contacts/",
        "/en/legal-notes/",
    ):
        assert client.get(path).status_code == HTTPStatus.OK, path
    english = client.get("/en/accessibility-statement/").content.decode()
    assert "PDF documents attached to pages" in english
    for home in ("/", "/en/"):
        for link in _footer_links(client.get(home).content.decode()):
            assert client.get(link).status_code == HTTPStatus.OK, link


# publiccode.yml: the repository has no YAML library, so the file keeps to a
# strict subset (block mappings and lists, double-quoted JSON strings, true and
# false) that this parser reads, failing on anything else.
_LINE = re.compile(
    r"^(?P<indent> *)(?P<dash>- )?(?:(?P<key>[A-Za-z][\w-]*):)?(?P<rest>.*)$"
)


def _scalar(text: str, number: int):
    if text in ("true", "false"):
        return text == "true"
    if not (text.startswith('"') and text.endswith('"')):
        raise ValueError(f"line {number}: quote the value {text!r}")
    return json.loads(text)


def parse_publiccode(text: str):
    lines = [
        (number, line)
        for number, line in enumerate(text.splitlines(), 1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    position = 0

    def block(indent: int):
        nonlocal position
        number, line = lines[position]
        match = _LINE.match(line)
        if len(match["indent"]) != indent:
            raise ValueError(f"line {number}: unexpected indentation")
        return sequence(indent) if match["dash"] else mapping(indent)

    def value_after(rest: str, number: int, indent: int):
        nonlocal position
        rest = rest.strip()
        position += 1
        if rest:
            return _scalar(rest, number)
        if position >= len(lines):
            raise ValueError(f"line {number}: missing value")
        return block(len(_LINE.match(lines[position][1])["indent"]))

    def mapping(indent: int) -> dict:
        nonlocal position
        result = {}
        while position < len(lines):
            number, line = lines[position]
            match = _LINE.match(line)
            if len(match["indent"]) < indent:
                break
            if len(match["indent"]) > indent or match["dash"] or not match["key"]:
                raise ValueError(f"line {number}: expected a key at {indent}")
            if match["key"] in result:
                raise ValueError(f"line {number}: duplicate key")
            result[match["key"]] = value_after(match["rest"], number, indent)
        return result

    def sequence(indent: int) -> list:
        nonlocal position
        result = []
        while position < len(lines):
            number, line = lines[position]
            match = _LINE.match(line)
            if len(match["indent"]) < indent:
                break
            if len(match["indent"]) > indent or not match["dash"]:
                raise ValueError(f"line {number}: expected a list item")
            if match["key"]:
                # "- key: value" opens a mapping indented two more.
                lines[position] = (number, " " * (indent + 2) + line[indent + 2 :])
                result.append(mapping(indent + 2))
            else:
                result.append(_scalar(match["rest"].strip(), number))
                position += 1
        return result

    data = block(0)
    if position != len(lines):
        raise ValueError(f"line {lines[position][0]}: unexpected content")
    return data


def test_the_parser_is_strict():
    assert parse_publiccode('a: "x"\nb:\n  - "y"\n  - c: true\n    d: "z"\n') == {
        "a": "x",
        "b": ["y", {"c": True, "d": "z"}],
    }
    for bad in ("a: x\n", 'a: "x"\n  b: "y"\n', 'a: "x"\na: "y"\n', "- [1]\n"):
        with pytest.raises(ValueError):
            parse_publiccode(bad)


def test_root_publiccode_yml_is_valid_0_4():
    data = parse_publiccode((ROOT / "publiccode.yml").read_text(encoding="utf-8"))

    validator = Draft202012Validator(
        vocabulary.schema(), format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    errors = [
        f"{'/'.join(map(str, error.path))}: {error.message}"
        for error in validator.iter_errors(data)
    ]
    assert errors == []
    assert data["publiccodeYmlVersion"] == "0.4.0"
    assert data["softwareType"] == "standalone/web"
    assert set(data["description"]) == {"it", "en"}
    for description in data["description"].values():
        assert 150 <= len(description["longDescription"]) <= 10000
        assert len(description["shortDescription"]) <= 150
    assert data["localisation"]["availableLanguages"] == ["it", "en"]
