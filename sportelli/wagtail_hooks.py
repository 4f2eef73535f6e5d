from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.admin.widgets import ListingButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Sportello
from .permissions import MANAGE_SPORTELLI, can_manage_sportelli


class SportelloPermissionPolicy(ModelPermissionPolicy):
    """Every action on desks in the admin needs ``sportelli.manage_sportelli``.

    Desks are created by their administrations on the site (the referente's
    front office, which checks the approval); here staff review and correct them.
    """

    def user_has_permission(self, user, action):
        if action == "add":
            return False
        return bool(user.is_active and user.has_perm(MANAGE_SPORTELLI))

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(Sportello, SportelloPermissionPolicy(Sportello))


class SportelloViewSet(SnippetViewSet):
    model = Sportello
    icon = "site"
    menu_label = _("Job desks")
    add_to_admin_menu = True
    menu_order = 320
    list_display = ["name", "organisation", "municipality", "status", "updated_at"]
    list_filter = ["status", "municipality__region"]
    search_fields = ["name"]
    copy_view_enabled = False
    # The status, hours, services and documents change through the desk's own
    # pages (the same services check the rules there).
    panels = [
        FieldPanel("name"),
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldPanel("postcode"),
                FieldPanel("latitude"),
                FieldPanel("longitude"),
            ],
            heading=_("Place"),
        ),
        MultiFieldPanel(
            [FieldPanel("phone"), FieldPanel("email"), FieldPanel("pec")],
            heading=_("Contacts"),
        ),
        FieldPanel("description"),
    ]


register_snippet(SportelloViewSet)


@hooks.register("register_snippet_listing_buttons")
def front_office_button(snippet, user, next_url=None):
    if isinstance(snippet, Sportello) and can_manage_sportelli(user):
        yield ListingButton(
            _("Edit hours, services and status"),
            reverse("sportelli:edit", args=[snippet.slug]),
            icon_name="edit",
            priority=20,
        )
