"""Structured blocks of the legal pages: items of the accessibility statement
and the offices of the contacts page."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class NonAccessibleContentBlock(blocks.StructBlock):
    """One content that is not accessible, why, and what to use instead.

    The three reasons are the ones the AgID model of the statement asks for:
    a failure to meet the requirements, a disproportionate burden (which the
    administration must have assessed), content outside the scope of the law.
    """

    REASONS = [
        ("non_conformity", _("Non-conformity with the requirements")),
        ("disproportionate_burden", _("Disproportionate burden")),
        ("out_of_scope", _("Outside the scope of the law")),
    ]

    content = blocks.CharBlock(
        label=_("content that is not accessible"),
        max_length=255,
        help_text=_("What is not accessible, e.g. 'PDF documents attached to pages'."),
    )
    reason = blocks.ChoiceBlock(label=_("reason"), choices=REASONS)
    explanation = blocks.TextBlock(
        label=_("details"),
        required=False,
        help_text=_(
            "Why, in plain words: the requirements not met (e.g. WCAG 1.1.1), "
            "the burden assessed or the exemption that applies."
        ),
    )
    alternative = blocks.TextBlock(
        label=_("accessible alternative"),
        required=False,
        help_text=_("How a visitor can get the same content or service."),
    )

    class Meta:
        icon = "warning"
        label = _("Content that is not accessible")


class OfficeBlock(blocks.StructBlock):
    """An office people can reach: where, how and when."""

    name = blocks.CharBlock(label=_("office"), max_length=255)
    description = blocks.TextBlock(
        label=_("what the office deals with"), required=False
    )
    address = blocks.TextBlock(label=_("address"), required=False)
    email = blocks.EmailBlock(label=_("email"), required=False)
    pec = blocks.EmailBlock(
        label=_("certified email (PEC)"),
        required=False,
        help_text=_("For communications with legal value."),
    )
    phone = blocks.CharBlock(label=_("phone"), max_length=40, required=False)
    hours = blocks.TextBlock(label=_("opening hours"), required=False)

    class Meta:
        icon = "home"
        label = _("Office")
