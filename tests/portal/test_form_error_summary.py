"""Every form that fails says so: an error summary at the top of the form with a
link to each invalid field, the page title starting with "Error: ", and (in a
real browser) the focus on the summary."""

import re
from html.parser import HTMLParser
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import translation

from community.models import Flag
from portal.accounts.models import Membership, Organisation
from tests.community.factories import add_member, make_group, make_thread
from tests.kit_downloads.conftest import kit, owner, private_root, visitor  # noqa: F401
from tests.practices import factories as practice_factories
from tests.seminars.factories import make_index, make_seminar, registration_data

pytestmark = pytest.mark.django_db


class _Summary(HTMLParser):
    """The summary's heading, links and plain items, and the page's ids."""

    def __init__(self):
        super().__init__()
        self.depth = 0  # >0 inside the summary
        self.heading = ""
        self.in_heading = False
        self.links: list[str] = []
        self.items = 0
        self.ids: set[str] = set()
        self.title = ""
        self.in_title = False
        self.summaries = 0
        self.summary_attrs: dict = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "title":
            self.in_title = True
        if "data-form-errors-summary" in attrs:
            self.summaries += 1
            self.summary_attrs = attrs
            self.depth = 1
            return
        if self.depth and tag not in ("br", "input", "img"):
            self.depth += 1
            if tag == "h2":
                self.in_heading = True
            if tag == "li":
                self.items += 1
            if tag == "a":
                self.links.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        if self.depth:
            self.depth -= 1
            if tag == "h2":
                self.in_heading = False

    def handle_data(self, data):
        if self.in_title:
            self.title += data
        if self.in_heading:
            self.heading += data


def parse(response) -> _Summary:
    parser = _Summary()
    parser.feed(response.content.decode())
    return parser


def assert_summary(response, *, fields: list[str], other: int = 0) -> _Summary:
    """The page shows one summary, linking exactly ``fields`` (ids, in order)
    and listing ``other`` messages that belong to no field; each link leads to
    an element of the page; the title starts with the error word."""
    assert response.status_code in (HTTPStatus.OK, HTTPStatus.BAD_REQUEST)
    found = parse(response)
    assert found.summaries == 1
    assert found.summary_attrs["tabindex"] == "-1"
    # Named by its heading (a name needs a role: a plain div may not have one).
    assert found.summary_attrs["role"] == "group"
    assert found.summary_attrs["aria-labelledby"] in found.ids
    assert found.links == [f"#{name}" for name in fields]
    assert found.items == len(fields) + other
    for link in found.links:
        assert link[1:] in found.ids, f"{link} leads nowhere"
    count = len(fields) + other
    # In the page's language (the admin and Italian pages answer in Italian).
    language = re.search(r'<html[^>]* lang="([a-z-]+)"', response.content.decode())
    with translation.override(language.group(1) if language else "en"):
        expected = translation.ngettext(
            "There is a problem", "There are %(counter)s problems", count
        ) % {"counter": count}
        error_word = translation.gettext("Error: ")
    assert found.heading.strip() == expected
    assert found.title.startswith(error_word), found.title
    return found


@pytest.fixture(autouse=True)
def _english():
    """Pages under /en/; the Italian texts are checked where the catalogue is
    merged (see test_italian_plural_and_title)."""
    with translation.override("en"):
        yield


def en(name, *args):
    return reverse(name, args=args)


# Accounts and allauth -------------------------------------------------------


def test_kit_registration_form_empty(client, make_user):
    client.force_login(make_user())
    # What a browser sends for the form left empty (never an empty body: the
    # CSRF token is always there).
    response = client.post(en("kit_downloads:register"), {"name": "", "kind": ""})
    form = response.context["form"]
    ids = [form[name].id_for_label for name in form.errors]
    assert len(ids) >= 5
    assert_summary(response, fields=ids)
    assert not Organisation.objects.exists()


def test_profile_form(client, make_user):
    client.force_login(make_user())
    response = client.post(
        en("account_profile"), {"first_name": "A", "last_name": "B", "language": "xx"}
    )
    assert_summary(response, fields=["id_language"])


def test_login_form_wrong_password(client, make_user):
    make_user(email="anna@example.org")
    response = client.post(
        en("account_login"), {"login": "anna@example.org", "password": "wrong"}
    )
    # The form's own error (no field to link): listed, not linked.
    assert_summary(response, fields=[], other=1)


def test_login_form_empty(client):
    response = client.post(en("account_login"), {})
    assert_summary(response, fields=["id_login", "id_password"])


# Newsletter, practices, seminars --------------------------------------------


def test_newsletter_subscribe_form(client, tree):
    response = client.post(
        en("newsletters:subscribe"), {"email": "not-an-address", "language": "it"}
    )
    form = response.context["form"]
    assert "email" in form.errors
    assert_summary(response, fields=[form[name].id_for_label for name in form.errors])


def test_practice_proposal_form(client, tree, make_user):
    from portal.practices.services import editorial_workflow_ensure

    index = practice_factories.practice_index(tree.home)
    editorial_workflow_ensure(index_page=index)
    client.force_login(make_user())
    response = client.post(index.url + "proponi/", {"title": ""})
    form = response.context["form"]
    assert "title" in form.errors
    assert_summary(response, fields=[form[name].id_for_label for name in form.errors])


def test_seminar_registration_form(client, tree, make_user):
    seminar = make_seminar(make_index(tree.home))
    client.force_login(make_user())
    response = client.post(
        seminar.url + seminar.reverse_subpage("register_route"),
        registration_data(name="", consent=""),
    )
    assert_summary(response, fields=["id_name", "id_consent"])


# Community -----------------------------------------------------------------


@pytest.fixture
def community(make_user, settings, tmp_path):
    settings.COMMUNITY_ATTACHMENT_ROOT = tmp_path / "private"
    author = make_user(email="autrice@example.org")
    moderator = make_user(email="moderatore@example.org")
    group = make_group()
    add_member(group, author)
    add_member(group, moderator, role="moderator")
    thread = make_thread(group, author)
    return group, thread, author, moderator


def test_new_thread_form(client, community):
    group, _thread, author, _moderator = community
    client.force_login(author)
    response = client.post(en("community:thread_create", group.slug), {"title": ""})
    assert_summary(response, fields=["id_title", "id_body"])


def test_reply_form(client, community):
    group, thread, author, _moderator = community
    client.force_login(author)
    response = client.post(
        en("community:thread_reply", group.slug, thread.pk), {"body": ""}
    )
    assert_summary(response, fields=["id_body"])


def test_edit_post_form(client, community):
    _group, thread, author, _moderator = community
    client.force_login(author)
    post = thread.posts.first()
    response = client.post(en("community:post_edit", post.pk), {"body": ""})
    assert_summary(response, fields=["id_body"])


def test_flag_form_links_the_first_radio_button(client, community):
    _group, thread, _author, moderator = community
    client.force_login(moderator)
    post = thread.posts.first()
    response = client.post(en("community:post_flag", post.pk), {"comment": "x"})
    assert_summary(response, fields=["id_reason_0"])
    assert not Flag.objects.exists()


def test_moderation_form_without_reason(client, community):
    _group, thread, _author, moderator = community
    client.force_login(moderator)
    post = thread.posts.first()
    response = client.post(
        en("community:post_moderate", post.pk), {"action": "hide", "reason": ""}
    )
    assert_summary(response, fields=["id_reason"])


def test_moderation_form_asking_for_a_reason_is_not_an_error(client, community):
    _group, thread, _author, moderator = community
    client.force_login(moderator)
    post = thread.posts.first()
    response = client.post(en("community:post_moderate", post.pk), {"action": "hide"})
    found = parse(response)
    assert found.summaries == 0
    assert not found.title.startswith("Error")


def test_community_preferences_form(client, community):
    _group, _thread, author, _moderator = community
    client.force_login(author)
    response = client.post(en("community:preferences"), {"email_mode": "never-x"})
    form = response.context["form"]
    assert "email_mode" in form.errors
    assert_summary(response, fields=[form[name].id_for_label for name in form.errors])


# Job desks (the existing forms) ---------------------------------------------


@pytest.fixture
def referente(make_user):
    from sportelli.models import Municipality

    Municipality.objects.get_or_create(
        istat_code="004029",
        defaults={
            "name": "Bra",
            "province_code": "004",
            "province_sigla": "CN",
            "province_name": "Cuneo",
            "region": "01",
        },
    )
    user = make_user(email="referente@comune.bra.example")
    organisation = Organisation.objects.create(
        name="Comune di Bra",
        kind=Organisation.Kind.COMUNE,
        status=Organisation.Status.APPROVED,
    )
    Membership.objects.create(
        user=user, organisation=organisation, role=Membership.Role.REFERENTE
    )
    return user, organisation


def test_desk_form_lists_field_and_opening_hours_errors(client, referente):
    user, organisation = referente
    client.force_login(user)
    response = client.post(
        en("sportelli:create", organisation.pk),
        {
            "name": "",
            "hours-TOTAL_FORMS": "1",
            "hours-INITIAL_FORMS": "0",
            "hours-MIN_NUM_FORMS": "0",
            "hours-MAX_NUM_FORMS": "28",
            "hours-0-weekday": "0",
            "hours-0-opens": "13:00",
            "hours-0-closes": "12:00",
        },
    )
    form = response.context["form"]
    formset = response.context["formset"]
    fields = [
        form[name].id_for_label or f"{form[name].auto_id}_0" for name in form.errors
    ]
    rows = [row[name].id_for_label for row in formset.forms for name in row.errors]
    assert rows == ["id_hours-0-closes"]
    found = assert_summary(
        response,
        fields=fields + rows,
        other=len(formset.non_form_errors()) + len(response.context["hours_errors"]),
    )
    assert "(row 1)" in response.content.decode()
    assert found.links[-1] == "#id_hours-0-closes"


# Wagtail admin forms (the admin's own styling) ----------------------------------


def test_kit_admin_upload_form(kit, visitor):  # noqa: F811
    client, _user = visitor("staff")
    with translation.override("en"):
        url = reverse("kit_downloads_admin:file_upload")
    response = client.post(url, {"release": kit.final.pk, "platform": ""})
    form = response.context["form"]
    fields = [form[name].id_for_label for name in form.errors if name != "__all__"]
    found = assert_summary(response, fields=fields)
    assert "help-critical" in found.summary_attrs["class"]
    assert "js/form-errors.js" in response.content.decode()


# A page without a failed submit -----------------------------------------------


def test_a_form_shown_for_the_first_time_has_no_summary(client, make_user):
    client.force_login(make_user())
    response = client.get(en("kit_downloads:register"))
    found = parse(response)
    assert found.summaries == 0
    assert found.title == "Register your administration | Esplora Lavoro"


def test_an_invalid_filter_sent_by_get_is_not_a_failed_submit(client):
    response = client.get(en("sportelli:directory"), {"region": "zz"})
    assert not parse(response).title.startswith("Error")


def test_the_summary_script_is_on_every_page(client, tree):
    body = client.get("/").content.decode()
    assert re.search(r'<script src="[^"]*js/form-errors\.js" defer></script>', body)


# In a real browser --------------------------------------------------------------


# In Italian ----------------------------------------------------------------------


@pytest.fixture
def pending_italian():
    """The Italian catalogue (locale/it, compiled by ``make setup``): these texts
    were once in a pending file, now merged."""
    yield


@pytest.mark.parametrize(
    ("data", "heading"),
    [
        ({"title": "Una discussione", "body": ""}, "È presente un errore"),
        ({"title": "", "body": ""}, "Sono presenti 2 errori"),
    ],
)
def test_italian_plural_and_title(client, community, pending_italian, data, heading):
    group, _thread, author, _moderator = community
    client.force_login(author)
    with translation.override("it"):
        url = reverse("community:thread_create", args=[group.slug])
    response = client.post(url, data)
    found = parse(response)
    assert found.heading.strip() == heading
    assert found.title.startswith("Errore: ")
