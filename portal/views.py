from django.conf import settings
from django.http import HttpResponse, HttpResponseRedirect, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from portal.forbidden import forbidden_reason
from portal.services import absolute_url


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def permission_denied(request, exception=None):
    """The 403 page: the reason when it is meant for the visitor, else a
    generic explanation; a login link for anonymous visitors."""
    return render(
        request, "403.html", {"reason": forbidden_reason(exception)}, status=403
    )


def server_error(request):
    """Render the 500 page without context processors or database access.

    Whatever led here may be the database itself, so the template needs nothing
    but static files.
    """
    return HttpResponseServerError(loader.get_template("500.html").render())


@require_GET
@cache_control(max_age=24 * 60 * 60, public=True)
def robots_txt(request):
    """``/robots.txt``: everything but the admin and the account pages (in each
    language) may be crawled; the sitemap on the portal's public address."""
    disallowed = [reverse("wagtailadmin_home")]
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            login = reverse("account_login")
            profile = reverse("account_profile")
        # The account pages' common prefix, e.g. /account/ and /en/account/.
        common = ""
        for left, right in zip(login, profile, strict=False):
            if left != right:
                break
            common += left
        disallowed.append(common[: common.rfind("/") + 1])
    lines = ["User-agent: *"]
    lines += [f"Disallow: {path}" for path in dict.fromkeys(disallowed)]
    lines.append(f"Sitemap: {absolute_url(reverse('sitemap_xml'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@require_GET
@cache_control(max_age=24 * 60 * 60, public=True)
def favicon(request):
    """``/favicon.ico``, which browsers ask for whatever the page links: a redirect
    to the static icon (its hashed, long-cached address in production).
    static/img/favicon.ico is static/img/favicon.svg rendered at 16, 32 and 48 px."""
    return HttpResponseRedirect(static("img/favicon.ico"))
