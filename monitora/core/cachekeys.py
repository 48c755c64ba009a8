"""Cache keys from the whole validated query: one helper, so no parameter can be forgotten.

The project search once keyed its cache without `size`, so `?q=strada&size=1` made `?q=strada`
show one result to everyone for five minutes (issue 16, finding 4). A key is built from every
argument that shapes the result, after validation (so spellings of the same query share it), plus
the active language (labels in the result are translated). The page cache builds its keys with it:
pages (`pagecache.page_key`, whole query string) and other values (`pagecache.remembered`: the
report PDF, keyed on the report id alone).
"""

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from django.utils import translation


def query_cache_key(prefix: str, query: Mapping[str, Any]) -> str:
    """`prefix:<sha256>` of the sorted query (values as JSON, Decimals and dates as text)."""
    payload = json.dumps(
        {"_lang": translation.get_language() or "", **query}, sort_keys=True, default=str, ensure_ascii=False
    )
    return f"{prefix}:{hashlib.sha256(payload.encode()).hexdigest()}"
