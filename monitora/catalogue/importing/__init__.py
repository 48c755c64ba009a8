"""Importing the OpenCoesione catalogue (docs/import-catalogue.md, decision 0007)."""

import os

# Polars' allocator keeps freed pages for 10 s by default: give them back sooner (bounded memory).
# Here, before any module of the package imports Polars: its allocator reads this when it loads.
os.environ.setdefault("_RJEM_MALLOC_CONF", "dirty_decay_ms:1000,muzzy_decay_ms:0")
