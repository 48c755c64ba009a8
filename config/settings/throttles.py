"""Throttles (monitora.core.throttle): one rate string per scope, several rates comma-separated.

Counters live in the default cache (CACHE_URL): shared across app servers only when that cache is
(Redis or the database cache). docs/configuration.md lists the variables.
"""

from config.env import env

THROTTLES = {
    # Every API request, per token owner or client address.
    "api": env("THROTTLE_API", default="120/m,3000/h"),
    # Report PDFs are rendered on demand: expensive.
    "pdf": env("THROTTLE_PDF", default="10/m,100/h"),
    # Open-data files and feeds.
    "opendata": env("THROTTLE_OPENDATA", default="30/m,500/h"),
    # Search pages (reports and projects), the map and statistics data.
    "search": env("THROTTLE_SEARCH", default="60/m,1000/h"),
    # Forms that send e-mail (report responses, revision proposals), per user.
    "email": env("THROTTLE_EMAIL", default="10/m,60/h"),
    # Team invitations: per inviting person and per team (an address the sender typed).
    "invite_user": env("THROTTLE_INVITE_USER", default="5/m,20/d"),
    "invite_team": env("THROTTLE_INVITE_TEAM", default="30/d"),
}
# Behind a proxy, the header that carries the client address (e.g. HTTP_X_REAL_IP, set by the
# proxy, never by the client). Empty: REMOTE_ADDR.
RATELIMIT_IP_META_KEY = env("THROTTLE_CLIENT_IP_HEADER", default="") or None
RATELIMIT_CACHE_PREFIX = "throttle:"
