"""Accessibility helpers shared by every template: the error summary of a
form and the ``lang`` of content written in another language.

One place for each rule:

- ``form_error_summary`` lists what a bound form got wrong, each item linked
  to its field, for ``templates/includes/form_errors_summary.html``;
- ``content_lang`` says in which language a piece of user content is written
  and, when that is not the page's language, writes ` lang="…"` for its
  wrapper, so screen readers pronounce it in the right voice.
"""

from django import forms, template
from django.conf import settings
from django.forms.formsets import BaseFormSet
from django.utils import translation
from django.utils.html import format_html

register = template.Library()


def _field_anchor(bound_field) -> str:
    """The id of the element a summary link should move to."""
    target = bound_field.id_for_label
    if target:
        return target
    # Radio buttons and multiple checkboxes have no single label target
    # (their id_for_label is empty): the first option is the one to focus.
    return f"{bound_field.auto_id}_0" if bound_field.auto_id else ""


@register.simple_tag
def form_error_summary(form, extra_errors=None, formset=None):
    """What a bound form got wrong, in the order of its fields.

    Returns ``{"items": [{"href", "label", "message"}], "count": n}``; ``href``
    is empty for errors that belong to no visible field (the form's own, a
    hidden field's, or ``extra_errors`` given by the template). A ``formset``'s
    errors follow, each field named with its row.
    """
    items = []
    if form is not None and getattr(form, "is_bound", False) and form.errors:
        for error in form.non_field_errors():
            items.append({"href": "", "label": "", "message": error})
        for bound_field in form:
            for error in bound_field.errors:
                if bound_field.is_hidden:
                    items.append({"href": "", "label": "", "message": error})
                else:
                    items.append(
                        {
                            "href": _field_anchor(bound_field),
                            "label": bound_field.label,
                            "message": error,
                        }
                    )
    if formset is not None and getattr(formset, "is_bound", False):
        for error in formset.non_form_errors():
            items.append({"href": "", "label": "", "message": error})
        for number, row in enumerate(formset.forms, start=1):
            for bound_field in row.visible_fields():
                for error in bound_field.errors:
                    label = "{} ({})".format(
                        bound_field.label,
                        translation.gettext("row %(number)s") % {"number": number},
                    )
                    items.append(
                        {
                            "href": _field_anchor(bound_field),
                            "label": label,
                            "message": error,
                        }
                    )
    for error in extra_errors or ():
        items.append({"href": "", "label": "", "message": error})
    return {"items": items, "count": len(items)}


def _has_errors(value) -> bool:
    if isinstance(value, forms.BaseForm):
        return value.is_bound and bool(value.errors)
    if isinstance(value, BaseFormSet):
        return value.is_bound and not value.is_valid()
    return False


def context_has_form_errors(context) -> bool:
    """Whether any form or formset in the template context failed validation."""
    return any(_has_errors(value) for value in context.flatten().values())


# What a piece of content is written in ------------------------------------

CONTENT_LANGUAGE_ATTRIBUTES = ("content_language", "language", "locale")


def content_language(obj) -> str:
    """The language ``obj``'s words are written in.

    In order: a ``content_language`` or ``language`` field (a code such as
    "it"), a Wagtail ``locale``; then the object it belongs to (a post's
    thread, a thread's group, a file's release); else the portal's default
    language, since user content in this portal is written in Italian unless
    it says otherwise.
    """
    seen = 0
    while obj is not None and seen < 4:
        seen += 1
        for attribute in CONTENT_LANGUAGE_ATTRIBUTES:
            value = getattr(obj, attribute, None)
            if attribute == "locale" and value is not None:
                value = getattr(value, "language_code", None)
            if isinstance(value, str) and value:
                return value.split("-")[0].lower()
        obj = next(
            (
                getattr(obj, parent)
                for parent in ("thread", "group", "release", "page")
                if getattr(obj, parent, None) is not None
            ),
            None,
        )
    return settings.LANGUAGE_CODE.split("-")[0]


@register.simple_tag
def content_lang(obj=None, language=None):
    """`` lang="it"`` for a wrapper around ``obj``'s content when it is not in
    the page's language; nothing when it is.

    ``{% content_lang thread %}`` decides from the object;
    ``{% content_lang language="it" %}`` from a code known to the template.
    """
    code = (language or content_language(obj)).split("-")[0].lower()
    page_language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    if code == page_language:
        return ""
    return format_html(' lang="{}"', code)
