"""The site's URLs plus one view that fails, to see the 500 page as a visitor would."""

from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


def boom(request):
    raise RuntimeError("test: a bug in a view")


urlpatterns = [path("test-errore/", boom), *site_urlpatterns]
