from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from portal import health, routing
from portal.accounts import views as account_views
from portal.opendata import views as opendata_views
from portal.sitemap_page import site_map
from portal.sitemaps import sitemap
from portal.views import favicon, robots_txt

urlpatterns = [
    # Outside the language prefixes: probes call it by this exact path.
    path("healthz", health.healthz, name="healthz"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # For search engines; people get the HTML site map ("sitemap", below).
    path("sitemap.xml", sitemap, name="sitemap_xml"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("favicon.ico", favicon, name="favicon"),
    # The DCAT-AP_IT catalogue of the open data: one address for every language.
    path("dati/catalogo.jsonld", opendata_views.catalogue, name="opendata_catalogue"),
    # The job desks' API (versioned, JSON, by API key): no language prefix.
    path("api/sportelli/v1/", include("sportelli.api.urls")),
]

urlpatterns += i18n_patterns(
    path(_("account/profile/"), account_views.profile, name="account_profile"),
    path(_("account/"), include("allauth.urls")),
    path(_("search/"), include("search.urls")),
    path(_("community/"), include("community.urls")),
    path(_("kit/"), include("kit_downloads.urls")),
    path(_("job-desks/"), include("sportelli.urls")),
    path(_("newsletter/subscription/"), include("portal.newsletters.urls")),
    path(_("site-map/"), site_map, name="sitemap"),
    path(_("page-feedback/"), include("portal.feedback.urls")),
    # Wagtail's page view, with the page found in fewer queries (portal.routing).
    *(p for p in wagtail_urls.urlpatterns if p.name != "wagtail_serve"),
    re_path(wagtail_urls.serve_pattern, routing.serve, name="wagtail_serve"),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns = (
        static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns
    )

handler403 = "portal.views.permission_denied"
handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
