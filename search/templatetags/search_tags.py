from django import template

from ..highlight import highlight

register = template.Library()


@register.simple_tag
def highlighted(text, outcome, snippet=False):
    """``text`` escaped, with the words of the search marked."""
    return highlight(text or "", outcome.stems, outcome.language, snippet=snippet)


@register.filter
def kind_label(kind):
    from ..selectors import kind_label as label

    return label(kind)
