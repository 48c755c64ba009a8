"""The versioned JSON API, mounted at /api/v1/ (OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs)."""

import threading

from ninja import NinjaAPI
from ninja.throttling import BaseThrottle

from monitora.core.throttle import Throttled, throttle

from . import attachments, author, insights, public
from .errors import install_handlers

DESCRIPTION = """
API pubblica di Monitora: report di monitoraggio civico **pubblicati**, progetti OpenCoesione,
statistiche, territori. Le liste sono paginate (`page`, `page_size` ≤ 100); i filtri sono un elenco
chiuso e un parametro sconosciuto è un errore 400. Per scaricare tutto in blocco usate i dati aperti
(`/open-data/`). Contenuto dei report: CC BY-SA 4.0. Dati dei progetti: CC BY 4.0, "Fonte: OpenCoesione –
Presidenza del Consiglio dei Ministri, Dipartimento per le politiche di coesione".

Gli autori scrivono bozze con un token personale (`Authorization: Bearer <token>`).
"""


class ApiThrottle(BaseThrottle):
    """django-ninja's throttle hook over the site's one throttle (scope "api", settings.THROTTLES):
    ninja answers 429 with Retry-After, and our handler makes the body the documented JSON error."""

    def __init__(self) -> None:
        self._local = threading.local()

    def allow_request(self, request) -> bool:
        try:
            throttle(request, "api")
        except Throttled as exc:
            self._local.wait = exc.retry_after
            return False
        return True

    def wait(self) -> float | None:
        return getattr(self._local, "wait", None)


api = NinjaAPI(
    throttle=[ApiThrottle()],
    title="Monitora API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
)
install_handlers(api)
api.add_router("/", public.router)
api.add_router("/", author.router)
api.add_router("/", attachments.router)
api.add_router("/", insights.router)
