from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    """Programmes and their projects (the FormezPA project sheets)."""

    name = "portal.projects"
    label = "projects"
    verbose_name = _("Projects")
