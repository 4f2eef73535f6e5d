"""Public newsletter pages: the archive, subscribing, confirming, unsubscribing."""

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.models import Locale

from portal.clientip import client_ip

from . import selectors, services
from .forms import SubscribeForm
from .models import NewsletterIndexPage, Subscriber

ARCHIVE_PAGE_SIZE = 12


def _archive_page():
    locale = Locale.get_active()
    return (
        NewsletterIndexPage.objects.live().public().filter(locale=locale).first()
        or NewsletterIndexPage.objects.live().public().first()
    )


def _subscribe_form(**initial):
    return SubscribeForm(
        initial={"language": translation.get_language() or "it", **initial}
    )


def archive(request, *, index_page):
    """The sent issues, newest first, with the subscription form."""
    issues = selectors.issues_sent(locale=index_page.locale)
    paginator = Paginator(issues, ARCHIVE_PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "newsletters/newsletter_index_page.html",
        {
            "page": index_page,
            "self": index_page,
            "page_obj": page_obj,
            "issues": page_obj.object_list,
            "form": _subscribe_form(),
        },
    )


def _too_many_requests(request) -> bool:
    """At most NEWSLETTER_SUBSCRIBE_RATE (count, seconds) requests per address:
    the form cannot be used to flood other people's mailboxes."""
    count, seconds = getattr(settings, "NEWSLETTER_SUBSCRIBE_RATE", (20, 3600))
    key = f"newsletters:subscribe:{client_ip(request)}"
    if cache.add(key, 1, timeout=seconds):
        return False
    try:
        return cache.incr(key) > count
    except ValueError:  # expired in between
        return False


# No CSRF token: the form sits on pages served to every visitor from the page
# cache (portal.pagecache), which cannot hold a per-visitor token. A forged
# request can only ask for a confirmation email, exactly as the form itself can;
# nothing is subscribed until the address's owner follows the emailed link, and
# requests are limited per connection (_too_many_requests).
@csrf_exempt
@require_http_methods(["GET", "POST"])
def subscribe(request):
    """Ask for the newsletter; the answer never reveals whether an address is
    already on the list."""
    if request.method == "POST":
        form = SubscribeForm(request.POST)
        if _too_many_requests(request):
            form.add_error(
                None,
                _(
                    "Too many subscription requests from your connection: "
                    "try again in an hour."
                ),
            )
            return render(
                request,
                "newsletters/subscribe.html",
                {"form": form, "archive": _archive_page()},
                status=429,
            )
        if form.is_valid():
            data = form.cleaned_data
            services.subscriber_request(
                email=data["email"],
                name=data["name"],
                organisation=data["organisation"],
                language=data["language"],
                source=_("web form %(path)s") % {"path": request.path},
            )
            return render(
                request,
                "newsletters/subscribe_done.html",
                {"email": data["email"], "archive": _archive_page()},
            )
        status = 400
    else:
        form = _subscribe_form(email=request.GET.get("email", "")[:254])
        status = 200
    return render(
        request,
        "newsletters/subscribe.html",
        {"form": form, "archive": _archive_page()},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """GET asks to press a button (mail scanners open links); POST confirms."""
    check = services.confirmation_token_check(token)
    context = {"check": check, "archive": _archive_page()}
    if check.state != "valid":
        context["form"] = _subscribe_form(email=check.email)
        return render(request, "newsletters/confirm.html", context, status=400)
    subscriber = check.subscriber
    if request.method == "POST":
        services.subscriber_confirm(
            subscriber=subscriber,
            source=_("confirmation link sent by email (double opt-in)"),
        )
        context["done"] = True
    elif subscriber.status == Subscriber.Status.ACTIVE:
        context["done"] = True
    return render(request, "newsletters/confirm.html", context)


# The subscriber's secret key is the credential: mail clients' one-click
# unsubscribe (RFC 8058) posts "List-Unsubscribe=One-Click" with no cookie and
# no CSRF token.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, key):
    """GET asks to confirm (mail scanners follow links); POST unsubscribes."""
    subscriber = get_object_or_404(Subscriber, key=key)
    done = False
    if request.method == "POST":
        one_click = request.POST.get("List-Unsubscribe") == "One-Click"
        services.subscriber_unsubscribe(
            subscriber=subscriber,
            source=_("one-click unsubscribe from the email client")
            if one_click
            else _("unsubscribe page"),
        )
        done = True
    subscriber.refresh_from_db()
    return render(
        request,
        "newsletters/unsubscribe.html",
        {"subscriber": subscriber, "done": done, "archive": _archive_page()},
    )


@require_POST
def resubscribe(request, key):
    subscriber = get_object_or_404(Subscriber, key=key)
    error = ""
    try:
        services.subscriber_resubscribe(
            subscriber=subscriber, source=_("subscribe again from the unsubscribe page")
        )
    except services.SubscriptionError as problem:
        error = str(problem)
    subscriber.refresh_from_db()
    return render(
        request,
        "newsletters/unsubscribe.html",
        {
            "subscriber": subscriber,
            "resubscribed": not error,
            "error": error,
            "archive": _archive_page(),
        },
        status=400 if error else 200,
    )
