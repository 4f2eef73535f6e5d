"""The Django floor for the page benchmark: one view returning 20 KB of HTML,
no database, no middleware, served by the same gunicorn settings as the portal.

    gunicorn --chdir benchmarks floor_app:application
"""

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY="floor-benchmark-only",  # noqa: S106
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
)

BODY = ("<p>" + "x" * 96 + "</p>\n") * 197  # 20,488 bytes


def page(request):
    return HttpResponse(BODY)


urlpatterns = [path("", page)]
application = get_wsgi_application()
