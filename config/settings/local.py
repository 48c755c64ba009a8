"""Developer defaults for `make run`: SQLite, debug on, console e-mail."""

from .base import *  # noqa: F403

DEBUG = True
WHITENOISE_USE_FINDERS = True
# Links follow the address `make run` actually serves (HOST, PORT): see monitora/core/siteurl.py.
SITE_URL_FROM_REQUEST = env.bool("SITE_URL_FROM_REQUEST", default=True)  # noqa: F405

# Background tasks (e-mail, digests, search index) run at once, inside the request, after the
# commit (immediate backend, from base.py). To try the production set-up instead, queue them in
# the database and run a worker next to the server: `TASKS_BACKEND=database make run` and, in
# another terminal, `TASKS_BACKEND=database make worker` (docs/deployment.md).
if env("TASKS_BACKEND", default="immediate") == "database":  # noqa: F405
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
