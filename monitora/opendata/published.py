"""Whole open-data files, written by the scheduled export and served from storage.

`export_opendata --publish` (run by the scheduler, e.g. hourly or nightly) writes every file of
the data package into the default storage under `opendata/<UTC stamp>/` and then points the site at
that set; the previous set is kept for downloads in flight, older ones are deleted. The download view
serves these files for unfiltered requests, with the stamp as `Last-Modified` and in the file name,
so a viral link costs a file read, not a rebuild of the dump. Filtered downloads stay live
(`views.download`) and are capped by `settings.OPENDATA_LIVE_MAX_ROWS`.
"""

import datetime as dt
import json
import tempfile

from django.core.cache import cache
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from .datapackage import FILES, datapackage_descriptor
from .renderers import render

OPENDATA_DIR = "opendata"
CURRENT_KEY = "opendata:current"
STAMP_FORMAT = "%Y%m%dT%H%M%S.%fZ"  # microseconds: two exports never share a set
KEEP = 2


def _stamps() -> list[str]:
    try:
        directories = default_storage.listdir(OPENDATA_DIR)[0]
    except (FileNotFoundError, NotADirectoryError):
        return []
    return sorted(d for d in directories if _parse(d) is not None)


def _parse(stamp: str) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(stamp, STAMP_FORMAT).replace(tzinfo=dt.UTC)
    except ValueError:
        return None


def publish_files() -> str:
    """Write the whole package under a new stamp, make it current, prune old ones; return the stamp."""
    stamp = timezone.now().astimezone(dt.UTC).strftime(STAMP_FORMAT)
    for filename, (exporter_class, fmt) in FILES.items():
        with tempfile.TemporaryFile() as handle:  # constant memory: rows are streamed to disk first
            for chunk in render(exporter_class(), fmt):
                handle.write(chunk.encode("utf-8"))
            handle.seek(0)
            default_storage.save(f"{OPENDATA_DIR}/{stamp}/{filename}", File(handle, name=filename))
    descriptor = json.dumps(datapackage_descriptor(), ensure_ascii=False, indent=2) + "\n"
    default_storage.save(f"{OPENDATA_DIR}/{stamp}/datapackage.json", ContentFile(descriptor.encode()))
    cache.set(CURRENT_KEY, stamp, None)
    for old in _stamps()[:-KEEP]:
        for filename in default_storage.listdir(f"{OPENDATA_DIR}/{old}")[1]:
            default_storage.delete(f"{OPENDATA_DIR}/{old}/{filename}")
    return stamp


def current_stamp() -> str | None:
    """The stamp of the set being served (remembered in the cache; looked up in storage if lost)."""
    stamp = cache.get(CURRENT_KEY)
    if stamp is None:
        # The newest complete set: datapackage.json is written last, so a crashed export is skipped.
        complete = [s for s in _stamps() if default_storage.exists(f"{OPENDATA_DIR}/{s}/datapackage.json")]
        stamp = complete[-1] if complete else ""
        cache.set(CURRENT_KEY, stamp, 300)  # "" = none yet; look again in five minutes
    return stamp or None


def forget_current() -> None:
    """The current set went missing (deleted by hand, another server pruned it): look again."""
    cache.delete(CURRENT_KEY)


def published_file(filename: str) -> tuple[str, dt.datetime] | None:
    """(storage name, time written) of the current whole file, or None before the first export."""
    stamp = current_stamp()
    if stamp is None or filename not in {*FILES, "datapackage.json"}:
        return None
    return f"{OPENDATA_DIR}/{stamp}/{filename}", _parse(stamp)
