from django.http import JsonResponse
from django.urls import path, re_path

from .api import api


def api_not_found(request, *args, **kwargs) -> JsonResponse:
    """Anything under /api/ that matches no operation gets a JSON 404, not the HTML page."""
    return JsonResponse({"detail": "Risorsa non trovata", "errors": []}, status=404)


urlpatterns = [
    path("api/v1/", api.urls),
    re_path(r"^api/", api_not_found),
]
