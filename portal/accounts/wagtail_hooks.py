from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.sidebar import LinkMenuItem as LinkMenuItemComponent
from wagtail.admin.widgets import ListingButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import selectors, services
from .forms import ReviewForm
from .models import Organisation
from .permissions import can_review_registrations


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    menu_label = _("Organisations")
    add_to_admin_menu = True
    menu_order = 300
    list_display = ["name", "kind", "region", "province", "codice_ipa", "status"]
    list_filter = ["status", "kind", "region"]
    search_fields = ["name", "codice_ipa", "province"]
    # The registration status is not edited here: it changes only through the
    # review screen, which records who decided and emails the referenti.
    panels = [
        FieldPanel("name"),
        FieldPanel("kind"),
        MultiFieldPanel(
            [
                FieldPanel("region"),
                FieldPanel("province"),
                FieldPanel("municipality"),
            ],
            heading=_("Territory"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("codice_ipa"),
                FieldPanel("codice_fiscale"),
                FieldPanel("pec"),
                FieldPanel("website"),
            ],
            heading=_("Identifiers and contacts"),
        ),
        FieldPanel("intended_use"),
        InlinePanel("memberships", heading=_("Members"), label=_("member")),
    ]


register_snippet(OrganisationViewSet)


def organisation_review(request, pk: int):
    """Registration reviewers approve, reject, suspend or reinstate an
    administration."""
    if not can_review_registrations(request.user):
        raise PermissionDenied
    organisation = get_object_or_404(Organisation, pk=pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_review(
                organisation=organisation,
                decision=form.cleaned_data["decision"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except services.RegistrationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                gettext("%(name)s is now %(status)s; the referente was emailed.")
                % {
                    "name": organisation.name,
                    "status": Organisation.objects.get(pk=pk)
                    .get_status_display()
                    .lower(),
                },
            )
            return redirect("accounts_admin:review", pk=pk)
    return render(
        request,
        "accounts/admin/organisation_review.html",
        {
            "organisation": organisation,
            "form": form,
            "memberships": organisation.memberships.select_related("user"),
            "join_requests": organisation.join_requests.filter(
                status="pending"
            ).select_related("user"),
        },
    )


@hooks.register("register_admin_urls")
def register_review_urls():
    from django.urls import include

    return [
        path(
            "organisations/",
            include(
                (
                    [path("<int:pk>/review/", organisation_review, name="review")],
                    "accounts_admin",
                )
            ),
        )
    ]


@hooks.register("register_snippet_listing_buttons")
def review_button(snippet, user, next_url=None):
    if isinstance(snippet, Organisation) and can_review_registrations(user):
        yield ListingButton(
            _("Review registration"),
            reverse("accounts_admin:review", args=[snippet.pk]),
            icon_name="tasks",
            priority=10,
        )


# --- Registrations waiting for a reviewer ---------------------------------------

PANEL_LIMIT = 10


def pending_registrations_url() -> str:
    """The administrations listing, filtered to those waiting for review."""
    return (
        reverse("wagtailsnippets_accounts_organisation:list")
        + f"?status={Organisation.Status.PENDING}"
    )


def _pending_count(request) -> int:
    """Pending registrations, counted once per request for the menu and the
    dashboard; 0 for anyone who does not review them (no query then)."""
    if not can_review_registrations(request.user):
        return 0
    if not hasattr(request, "_accounts_pending_count"):
        request._accounts_pending_count = selectors.organisation_count_pending()
    return request._accounts_pending_count


def _pending_label(count: int) -> str:
    return gettext("Registrations to review (%(count)s)") % {"count": count}


class PendingRegistrationsMenuItem(MenuItem):
    """A main-menu entry, shown to reviewers while registrations wait, whose
    label carries how many."""

    def is_shown(self, request):
        return _pending_count(request) > 0

    def render_component(self, request):
        # Menu items are built once per process (and shared between threads):
        # the label is made per request, without changing the item.
        return LinkMenuItemComponent(
            self.name,
            _pending_label(_pending_count(request)),
            pending_registrations_url(),
            icon_name=self.icon_name,
            classname=self.classname,
            attrs=self.attrs,
        )


@hooks.register("register_admin_menu_item")
def register_pending_registrations_menu_item():
    return PendingRegistrationsMenuItem(
        _("Registrations to review"),
        "",
        name="registrations-to-review",
        icon_name="tasks",
        order=290,
        attrs={"data-testid": "registrations-to-review"},
    )


class PendingRegistrationsPanel(Component):
    """Dashboard panel for reviewers: the administrations waiting, oldest first."""

    name = "registrations_to_review"
    template_name = "accounts/admin/registrations_to_review_panel.html"
    order = 90

    def __init__(self, *, count: int):
        self.count = count

    def get_context_data(self, parent_context=None):
        return {
            "count": self.count,
            "heading": _pending_label(self.count),
            "organisations": selectors.organisation_list_pending()[:PANEL_LIMIT],
            "list_url": pending_registrations_url(),
        }


@hooks.register("construct_homepage_panels")
def add_pending_registrations_panel(request, panels):
    count = _pending_count(request)
    if count:
        panels.append(PendingRegistrationsPanel(count=count))
