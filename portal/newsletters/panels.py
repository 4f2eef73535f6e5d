"""An edit-form panel showing how sending the issue went."""

from django.urls import reverse
from wagtail.admin.panels import Panel


class DeliveryStatsPanel(Panel):
    """Sent, failed and queued counts of the issue, with links to act on them."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "newsletters/admin/stats_panel.html"

        def get_context_data(self, parent_context=None):
            from .selectors import dispatch_for_issue, dispatch_stats

            context = super().get_context_data(parent_context)
            page = self.instance
            dispatch = dispatch_for_issue(issue=page) if page.pk else None
            context["dispatch"] = dispatch
            context["stats"] = dispatch_stats(dispatch=dispatch) if dispatch else None
            if page.pk:
                context["send_url"] = reverse("newsletters_admin:send", args=[page.pk])
                context["test_url"] = reverse("newsletters_admin:test", args=[page.pk])
                context["report_url"] = reverse(
                    "newsletters_admin:report", args=[page.pk]
                )
            return context
