"""Page-number pagination with a capped page size, shared by every list of the API."""

from typing import Any

from django.db.models import QuerySet
from ninja import Query, Schema
from pydantic import Field

from monitora.core.pagination import PageWindow

from .errors import ApiError

DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 100
MAX_PAGE = 100_000


class PageParams(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE, description="Numero di pagina, da 1")
    page_size: int = Field(
        DEFAULT_PAGE_SIZE,
        ge=1,
        le=MAX_PAGE_SIZE,
        description=f"Elementi per pagina (massimo {MAX_PAGE_SIZE})",
    )


PAGE_PARAMS = {"page", "page_size"}


class PageMeta(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    next: str | None
    previous: str | None


def _link(request, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(request.path) + "?" + query.urlencode()


def page_meta(request, params: PageParams, count: int) -> PageMeta:
    """Counts and links of one page; a page past the last one is a 404 with the number of pages."""
    pages = PageWindow(params.page, params.page_size, count).num_pages
    if params.page > pages:
        raise ApiError(404, f"La pagina {params.page} non esiste: le pagine sono {pages}")
    return PageMeta(
        count=count,
        page=params.page,
        page_size=params.page_size,
        pages=pages,
        next=_link(request, params.page + 1) if params.page < pages else None,
        previous=_link(request, params.page - 1) if params.page > 1 else None,
    )


def paginate(request, queryset: QuerySet | Any, params: PageParams) -> tuple[PageMeta, Any]:
    """Slice a queryset into one page."""
    meta = page_meta(request, params, queryset.count())
    start = (params.page - 1) * params.page_size
    return meta, queryset[start : start + params.page_size]


__all__ = ["PAGE_PARAMS", "PageMeta", "PageParams", "Query", "page_meta", "paginate"]
