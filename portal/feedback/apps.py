from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    """ "Was this page useful?": visitors' ratings of pages and the editors' report."""

    name = "portal.feedback"
    label = "feedback"
    verbose_name = _("Page feedback")
