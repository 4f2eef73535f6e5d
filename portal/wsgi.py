import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")

django_application = get_wsgi_application()

from portal.pagecache import PageCacheFront  # noqa: E402  (settings are set up)

# Stored pages for anonymous visitors are answered before Django (pagecache).
application = PageCacheFront(django_application)
