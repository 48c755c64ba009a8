"""Error pages of the whole site."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .numbers import InvalidNumber


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """400: our own refusals (`InvalidNumber`) say what was wrong; other messages stay hidden."""
    message = str(exception) if isinstance(exception, InvalidNumber) else ""
    return render(request, "400.html", {"message": message}, status=400)
