from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.templatetags.static import static as static_url
from django.urls import include, path
from django.views.generic import RedirectView
from health_check.views import HealthCheckView

# allauth's login, sign-up and reset limits answer with the site's 429 page (with Retry-After).
handler429 = "monitora.core.throttle.too_many_requests"
# A refused number (core.numbers.InvalidNumber) is a 400 page that names the parameter.
handler400 = "monitora.core.views.bad_request"


class FaviconRedirect(RedirectView):
    permanent = True

    def get_redirect_url(self, *args, **kwargs) -> str:
        return static_url("favicon.svg")


urlpatterns = [
    # Browsers and feed readers ask for /favicon.ico whatever the page links: no 404 in the log.
    # Resolved per request: at import time the manifest may not exist yet (`migrate` before
    # `collectstatic` on a fresh deployment).
    path("favicon.ico", FaviconRedirect.as_view()),
    path("admin/", admin.site.urls),
    # For load balancers and monitors: 200 when the database, cache and storages answer, else 500.
    path("health/", HealthCheckView.as_view(checks=settings.HEALTH_CHECKS), name="health"),
    path("i18n/", include("django.conf.urls.i18n")),
    # Before the public urls: `progetti/<path:code>/` would otherwise catch "cerca".
    path("progetti/cerca/", include("monitora.catalogue.urls")),
    path("", include("monitora.api.urls")),
    path("", include("monitora.opendata.urls")),
    path("allegati/", include("monitora.attachments.urls")),
    path("account/token/", include("monitora.api.token_urls")),
    path("account/", include("monitora.accounts.urls")),
    path("account/", include("allauth.urls")),
    path("team/", include("monitora.teams.urls")),
    path("segui/", include("monitora.follows.urls")),
    path("redazione/", include("monitora.moderation.urls")),
    path("redazione/qualita-dati/", include("monitora.imports.urls")),
    path("", include("monitora.authoring.urls")),
    path("", include("monitora.public.urls")),
    path("", include("monitora.search.urls")),
    path("", include("monitora.stats.urls")),
    path("", include("monitora.insights.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
