"""Blocks of a newsletter issue.

The "pulled" blocks point at a page of the portal (a practice, a seminar, a
publication, a project) and take its title, summary and link from it, so editors
never retype them; an optional note adds the editor's own words.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

RICH_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class PulledPageBlock(blocks.StructBlock):
    """A page of the portal presented by its title, summary and link."""

    page = blocks.PageChooserBlock(label=_("page"))
    note = blocks.TextBlock(
        label=_("note"),
        required=False,
        max_length=600,
        help_text=_("Optional: your own words, shown after the page's summary."),
    )

    kind = ""

    class Meta:
        icon = "link"
        template = "newsletters/blocks/pulled_page.html"

    def get_context(self, value, parent_context=None):
        from .rendering import teaser

        context = super().get_context(value, parent_context)
        context["teaser"] = teaser(
            kind=self.kind, page=value["page"], note=value["note"]
        )
        return context


class PracticeBlock(PulledPageBlock):
    kind = "practice"
    page = blocks.PageChooserBlock(
        page_type="practices.GoodPracticePage", label=_("good practice")
    )

    class Meta:
        icon = "tick"
        label = _("Good practice")


class SeminarBlock(PulledPageBlock):
    kind = "seminar"
    page = blocks.PageChooserBlock(page_type="seminars.SeminarPage", label=_("seminar"))

    class Meta:
        icon = "date"
        label = _("Seminar")


class PublicationBlock(PulledPageBlock):
    kind = "publication"
    page = blocks.PageChooserBlock(
        page_type="observatories.PublicationPage", label=_("publication")
    )

    class Meta:
        icon = "doc-full"
        label = _("Publication")


class ProjectBlock(PulledPageBlock):
    kind = "project"
    page = blocks.PageChooserBlock(page_type="projects.ProjectPage", label=_("project"))

    class Meta:
        icon = "folder-open-1"
        label = _("Project")


class IssueHeadingBlock(blocks.CharBlock):
    class Meta:
        icon = "title"
        label = _("Heading")
        template = "newsletters/blocks/heading.html"


class IssueBodyBlock(blocks.StreamBlock):
    heading = IssueHeadingBlock(max_length=255)
    paragraph = blocks.RichTextBlock(label=_("Paragraph"), features=RICH_FEATURES)
    practice = PracticeBlock()
    seminar = SeminarBlock()
    publication = PublicationBlock()
    project = ProjectBlock()
