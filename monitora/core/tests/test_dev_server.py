"""The development server treats path traversal like production (issue 16, finding 9):
`/static/../manage.py` made `runserver`'s static handler raise SuspiciousFileOperation (a 500)."""

import pytest
from django.core.management import get_commands, load_command_class
from django.test import RequestFactory


def _dev_server_handler():
    """The WSGI handler `manage.py runserver` would serve, with its default options."""
    command = load_command_class(get_commands()["runserver"], "runserver")
    options = vars(command.create_parser("manage.py", "runserver").parse_args([]))
    return command.get_handler(**options)


def _get(handler, path: str) -> int:
    environ = RequestFactory().get("/").environ
    environ.update(PATH_INFO=path, HTTP_HOST="localhost", SERVER_NAME="localhost")
    status = {}

    def start_response(line, headers, exc_info=None):
        status["code"] = int(line.split()[0])

    body = handler(environ, start_response)
    try:
        b"".join(body)
    finally:
        if hasattr(body, "close"):
            body.close()  # as a WSGI server does: the file response closes its file
    return status["code"]


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [True, False])
@pytest.mark.parametrize(
    "path",
    [
        "/static/../manage.py",
        "/static/..%2fmanage.py",
        "/static/css/../../manage.py",
        "/static/%2e%2e/pyproject.toml",
    ],
)
def test_traversal_under_static_is_404_in_development(settings, debug, path):
    settings.DEBUG = debug
    assert _get(_dev_server_handler(), path) == 404


@pytest.mark.django_db
def test_static_files_are_still_served_in_development(settings):
    settings.DEBUG = True
    assert _get(_dev_server_handler(), "/static/css/monitora.css") == 200
