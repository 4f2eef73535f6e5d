"""Select widgets whose options say their language (WCAG 3.1.2)."""

from django import forms
from django.utils.translation import get_language


class _OwnLanguageOptions:
    """An option whose label is written in another language than the page
    (an ISCO-08 title with no Italian version, see ``IscoTitle``) gets ``lang``."""

    def create_option(self, name, value, label, selected, index, **kwargs):
        option = super().create_option(name, value, label, selected, index, **kwargs)
        language = getattr(label, "content_language", None)
        if language and not (get_language() or "").startswith(language):
            option["attrs"]["lang"] = language
        return option


class OwnLanguageSelect(_OwnLanguageOptions, forms.Select):
    pass


class OwnLanguageSelectMultiple(_OwnLanguageOptions, forms.SelectMultiple):
    pass
