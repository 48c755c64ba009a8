"""Developer defaults for `make run`: SQLite, debug on, console e-mail."""

from .base import *  # noqa: F403

DEBUG = True
WHITENOISE_USE_FINDERS = True
