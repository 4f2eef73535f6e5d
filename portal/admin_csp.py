"""Content-Security-Policy for the Wagtail admin and its previews.

The public site's policy (``CONTENT_SECURITY_POLICY``) forbids framing with
``frame-ancestors 'none'`` and inline scripts. The admin is excluded from it
because it needs inline scripts, but it still frames its own pages: the preview
panel shows the page in an iframe. Wagtail renders a preview by running a
dummy request for the page's public URL through the whole middleware chain, so
without this middleware the preview carried the public policy, and the browser
refused to show it inside the admin (a blank panel).
"""

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

# The admin's own policy: only its own pages may frame it; no plugins, no
# foreign <base>. Scripts and styles stay unrestricted (Wagtail needs inline
# ones).
ADMIN_POLICY = "frame-ancestors 'self'; base-uri 'self'; object-src 'none'"
HEADER = "Content-Security-Policy"


class AdminFramingMiddleware:
    """Let the admin frame its own pages, and nothing else frame the admin.

    Must sit after ``csp.middleware.CSPMiddleware`` in ``MIDDLEWARE`` so that it
    sees the response first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, "is_dummy", False) or getattr(request, "is_preview", False):
            # A preview shown in the admin's iframe: the public policy, except
            # that the admin (same origin) may frame it.
            response._csp_replace = {"frame-ancestors": ["'self'"]}
        elif request.path_info.startswith(reverse("wagtailadmin_home")):
            if HEADER not in response:
                response[HEADER] = ADMIN_POLICY
        return response
