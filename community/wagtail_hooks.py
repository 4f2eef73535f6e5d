from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Group


class CommunityGroupViewSet(SnippetViewSet):
    """Staff create groups, choose their visibility and manage members here."""

    model = Group
    icon = "group"
    menu_label = _("Community groups")
    add_to_admin_menu = True
    menu_order = 310
    list_display = ["name", "visibility", "premoderated_posts", "created_at"]
    list_filter = ["visibility"]
    search_fields = ["name", "description"]
    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        MultiFieldPanel(
            [FieldPanel("visibility"), FieldPanel("premoderated_posts")],
            heading=_("Access and moderation"),
        ),
        InlinePanel("memberships", heading=_("Members"), label=_("member")),
    ]


register_snippet(CommunityGroupViewSet)
