"""Developer defaults for `make run`: SQLite, debug on, console e-mail."""

from .base import *  # noqa: F403

DEBUG = True
WHITENOISE_USE_FINDERS = True
# Links follow the address `make run` actually serves (HOST, PORT): see monitora/core/siteurl.py.
SITE_URL_FROM_REQUEST = env.bool("SITE_URL_FROM_REQUEST", default=True)  # noqa: F405
