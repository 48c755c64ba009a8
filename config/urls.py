from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # Before the public urls: `progetti/<path:code>/` would otherwise catch "cerca".
    path("progetti/cerca/", include("monitora.catalogue.urls")),
    path("", include("monitora.api.urls")),
    path("", include("monitora.opendata.urls")),
    path("allegati/", include("monitora.attachments.urls")),
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
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
