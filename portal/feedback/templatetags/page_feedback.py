from django import template

from ..forms import rating_radios
from ..selectors import feedback_enabled

register = template.Library()


@register.inclusion_tag("portal/feedback/widget.html", takes_context=True)
def page_feedback(context, page=None):
    """The "Was this page useful?" form for ``page``, or nothing.

    It holds nothing about the visitor (no CSRF token, no session): the page
    it ends may be cached for everybody (see ``portal.feedback``).
    """
    request = context.get("request")
    show = feedback_enabled(page) and not getattr(request, "is_preview", False)
    return {
        "show": show,
        "feedback_page": page if show else None,
        "radios": rating_radios() if show else None,
    }
