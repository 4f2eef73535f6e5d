from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Organisation


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    menu_label = _("Organisations")
    add_to_admin_menu = True
    menu_order = 300
    list_display = ["name", "kind", "region", "province", "codice_ipa"]
    list_filter = ["kind", "region"]
    search_fields = ["name", "codice_ipa", "province"]
    panels = [
        FieldPanel("name"),
        FieldPanel("kind"),
        MultiFieldPanel(
            [FieldPanel("region"), FieldPanel("province")], heading=_("Territory")
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
        InlinePanel("memberships", heading=_("Members"), label=_("member")),
    ]


register_snippet(OrganisationViewSet)
