"""Accessibility helpers shared by every template: the error summary of a
form and the ``lang`` of content written in another language.

One place for each rule:

- ``form_error_summary`` lists what a bound form got wrong, each item linked
  to its field, for ``templates/includes/form_errors_summary.html``;
- ``content_lang`` (and the ``with_content_lang`` filter) say in which
  language a piece of user content is written and, when that is not the
  page's language, write ` lang="…"` for its wrapper, so screen readers
  pronounce it in the right voice (WCAG 3.1.2);
- ``own_lang`` (and the ``with_own_lang`` filter) do the same for a text that
  declares its own language and has no default (ISCO-08 titles, many of
  which show in English on Italian pages).
"""

import re

from django import forms, template
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.forms.formsets import BaseFormSet
from django.utils import translation
from django.utils.html import conditional_escape, format_html

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


# What a piece of content is written in -------------------------------------

LANGUAGE_ATTRIBUTES = ("content_language", "language")
# A language code ("it", "en-gb"); "" or "*" (every language) are not one.
LANGUAGE_CODE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]+)?")
PARENT_ATTRIBUTES = ("post", "thread", "group", "release")


def _loaded(obj, name: str):
    """``obj.name`` if reading it costs no query: a relation is followed only
    when it is already loaded (select_related, or read before)."""
    meta = getattr(obj, "_meta", None)
    if meta is not None:
        try:
            field = meta.get_field(name)
        except FieldDoesNotExist:
            return getattr(obj, name, None)
        if field.is_relation and (field.many_to_one or field.one_to_one):
            return getattr(obj, name) if field.is_cached(obj) else None
    return getattr(obj, name, None)


def content_language(obj) -> str:
    """The language ``obj``'s words are written in, without a query.

    In order: the object's own ``content_language`` or ``language`` (a code
    such as "it"), its Wagtail ``locale`` when loaded; then the same on what it
    belongs to (an attachment's post, a post's thread, a thread's group, a file's
    release); else the
    portal's default language: user content here (discussions, groups, release
    files) has no language of its own and is written in Italian.
    """
    for _depth in range(4):
        if obj is None:
            break
        for attribute in LANGUAGE_ATTRIBUTES:
            value = _loaded(obj, attribute)
            if isinstance(value, str) and LANGUAGE_CODE.fullmatch(value):
                return value.split("-")[0].lower()
        locale = _loaded(obj, "locale")
        if locale is not None and getattr(locale, "language_code", ""):
            return locale.language_code.split("-")[0].lower()
        obj = next(
            (
                parent
                for parent in (_loaded(obj, name) for name in PARENT_ATTRIBUTES)
                if parent is not None
            ),
            None,
        )
    return settings.LANGUAGE_CODE.split("-")[0]


def _differs(code: str) -> bool:
    page_language = translation.get_language() or settings.LANGUAGE_CODE
    return code != page_language.split("-")[0].lower()


@register.simple_tag
def content_lang(obj=None, language=None):
    """`` lang="it"`` for the element that wraps ``obj``'s content when that is
    not in the page's language; nothing when it is.

    ``<h1{% content_lang thread %}>``; ``{% content_lang language="it" %}``
    when the template knows the code.
    """
    code = (language or content_language(obj)).split("-")[0].lower()
    return format_html(' lang="{}"', code) if _differs(code) else ""


@register.filter
def with_content_lang(text, obj=None):
    """``text`` in a ``<span lang="…">`` when ``obj`` (or, without one, the
    portal's default language) differs from the page's: for user content set
    inside a translated sentence, ``{% blocktranslate with
    title=thread.title|with_content_lang:thread %}``."""
    code = content_language(obj)
    if _differs(code):
        return format_html('<span lang="{}">{}</span>', code, text)
    return conditional_escape(text)


# Text that says its own language -------------------------------------------


def own_language(value) -> str:
    """The language ``value`` declares in its own ``content_language`` (a
    code such as "en"), or "" when it declares none. Unlike
    :func:`content_language` there is no fallback: a plain string is taken to
    be in the page's language. ISCO-08 titles
    (``sportelli.classifications.IscoTitle``) declare theirs, since most have
    no Italian version and show in English on Italian pages."""
    code = getattr(value, "content_language", "")
    if isinstance(code, str) and LANGUAGE_CODE.fullmatch(code):
        return code.split("-")[0].lower()
    return ""


@register.simple_tag
def own_lang(value):
    """`` lang="en"`` for the element that holds ``value`` when ``value``
    declares a language other than the page's; nothing otherwise:
    ``<option value="…"{% own_lang label %}>{{ label }}</option>``."""
    code = own_language(value)
    return format_html(' lang="{}"', code) if code and _differs(code) else ""


@register.filter
def with_own_lang(text):
    """``text`` in a ``<span lang="…">`` when it declares a language other than
    the page's (see :func:`own_language`); else ``text``, escaped."""
    code = own_language(text)
    if code and _differs(code):
        return format_html('<span lang="{}">{}</span>', code, text)
    return conditional_escape(text)
