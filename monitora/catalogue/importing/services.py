"""`catalogue_import()`: the one entry point that writes the catalogue from OpenCoesione files."""

import logging
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from monitora.catalogue.models import ImportRun

from .localizzazioni import iter_places
from .parsing import ChunkResult, ImportFileError, init_worker, parse_chunk, source_hasher
from .postgres import PostgresSink
from .source import file_sha256, iter_chunks, iter_records, open_source, read_header
from .sqlite import SqliteSink
from .territories import territory_resolver

logger = logging.getLogger(__name__)
CHUNK_ROWS = 2000
MAX_STORED_ERRORS = 1000
PARALLEL_MIN_BYTES = 20 * 1024 * 1024
KEEP_MAX = 300_000  # above this many changed records, parse everything (row hashes still skip writes)


class ImportAborted(Exception):
    """Too many bad rows: nothing was written."""


class _DryRun(Exception):
    pass


def _parse(chunks: Iterable, layout, resolver, copy_format: bool, workers: int) -> Iterable[ChunkResult]:
    """Parse chunks in order, in `workers` processes (bounded queue: memory stays flat)."""
    if workers <= 1:
        init_worker(layout, resolver, copy_format)
        for start, data in chunks:
            yield parse_chunk(start, data)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=init_worker, initargs=(layout, resolver, copy_format)
    ) as pool:
        pending: deque = deque()
        try:
            for start, data in chunks:
                pending.append(pool.submit(parse_chunk, start, data))
                if len(pending) >= workers * 3:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()


def _mark_stale_runs() -> None:
    """Runs left 'running' by a killed process (their pid is gone) become 'interrupted'."""
    for run in ImportRun.objects.filter(status=ImportRun.Status.RUNNING):
        try:
            if run.pid:
                os.kill(run.pid, 0)
                continue
        except OSError:
            pass
        run.status = ImportRun.Status.INTERRUPTED
        run.message = "processo terminato senza chiudere l'importazione (nessuna modifica applicata)"
        run.save(update_fields=["status", "message"])


def catalogue_import(
    *,
    paths: list[Path],
    localizzazioni: list[Path] | None = None,
    full_release: bool = False,
    max_errors: int = 100,
    dry_run: bool = False,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    on_file: Callable[[Path, int], None] | None = None,
) -> ImportRun:
    """Import progetti files (and optionally localizzazioni) in ONE transaction.

    Upserts by COD_LOCALE_PROGETTO; unchanged rows (same row hash) are skipped; `full_release`
    marks projects missing from the files as removed. Any failure leaves the catalogue untouched.
    """
    _mark_stale_runs()
    localizzazioni = localizzazioni or []
    run = ImportRun.objects.create(
        file_name=", ".join(p.name for p in [*paths, *localizzazioni]),
        options={
            "full_release": full_release,
            "max_errors": max_errors,
            "dry_run": dry_run,
            "localizzazioni": [p.name for p in localizzazioni],
        },
        pid=os.getpid(),
    )
    started = time.monotonic()
    errors: list[dict] = []
    rejected = 0
    read = 0
    postgres = connection.vendor == "postgresql"
    try:
        resolver = territory_resolver()
        with transaction.atomic():
            sink_class = PostgresSink if postgres else SqliteSink
            with sink_class(connection) as sink:
                skipped = 0
                for file_no, path in enumerate(paths):
                    info = {"name": path.name, "sha256": file_sha256(path)}
                    keep, scanned = None, 0
                    if sink.has_projects():
                        # Pass 1: hash raw records; identical ones are skipped without parsing.
                        with open_source(path) as (stream, _member, _size):
                            layout, _consumed = read_header(stream)
                            hasher = source_hasher(layout)
                            changed, scanned = sink.hash_scan(
                                file_no, ((line, hasher(record)) for line, record in iter_records(stream))
                            )
                        if len(changed) <= KEEP_MAX:
                            keep = set(changed)
                            skipped += scanned - len(changed)
                    with open_source(path) as (stream, member, size):
                        layout, consumed = read_header(stream)
                        info.update(
                            member=member, columns=len(layout.header), unknown=[n for _i, n in layout.raw]
                        )
                        if on_file:
                            on_file(path, size)
                        if progress:
                            progress(consumed, 0)
                        n_workers = (
                            workers
                            if workers is not None
                            else (min(2, os.cpu_count() or 1) if size > PARALLEL_MIN_BYTES else 1)
                        )
                        chunks = iter_chunks(stream, rows=CHUNK_ROWS, progress=progress, keep=keep)
                        file_rows = scanned - len(keep) if keep is not None else 0
                        sink.start_file()
                        for result in _parse(chunks, layout, resolver, postgres, n_workers):
                            file_rows += result.read
                            for error in result.errors:
                                error["file"] = path.name
                            rejected += len(result.errors)
                            errors.extend(result.errors[: max(0, MAX_STORED_ERRORS - len(errors))])
                            if rejected > max_errors:
                                raise ImportAborted(
                                    f"{rejected} righe scartate (limite --max-errors {max_errors}): "
                                    f"nessuna modifica applicata"
                                )
                            sink.write(result)
                        sink.end_file()
                    read += file_rows
                    info["rows"] = file_rows
                    run.files.append(info)
                sink.finish_copy()
                counts = sink.merge(full_release=full_release)
                counts["unchanged"] += skipped
                duplicates = counts.pop("duplicates")
                for error in duplicates:
                    error["file"] = ", ".join(p.name for p in paths)
                rejected += len(duplicates)
                errors.extend(duplicates[: max(0, MAX_STORED_ERRORS - len(errors))])
                if rejected > max_errors:
                    raise ImportAborted(f"{rejected} righe scartate (limite --max-errors {max_errors})")
                linked = 0
                for path in localizzazioni:
                    stats = {"read": 0, "unresolved": 0}
                    run.files.append(
                        {"name": path.name, "sha256": file_sha256(path), "kind": "localizzazioni"}
                    )
                    done, unknown = sink.link_places(iter_places(path, resolver, stats))
                    linked += done
                    run.files[-1].update(
                        rows=stats["read"], unresolved_places=stats["unresolved"], unknown_projects=unknown
                    )
            run.__dict__.update(counts)
            run.places_linked = linked
            if dry_run:
                raise _DryRun
        run.status = ImportRun.Status.SUCCEEDED
    except _DryRun:
        run.status = ImportRun.Status.DRY_RUN
    except KeyboardInterrupt:
        run.status = ImportRun.Status.INTERRUPTED
        run.message = "interrotta dall'operatore: nessuna modifica applicata"
        raise
    except (ImportAborted, ImportFileError) as exc:
        run.status = ImportRun.Status.FAILED
        run.message = str(exc)
        raise
    except Exception as exc:
        run.status = ImportRun.Status.FAILED
        run.message = f"{type(exc).__name__}: {exc}"
        raise
    finally:
        run.rows_read = read
        run.rejected = rejected
        run.errors = errors
        run.file_hash = run.files[0]["sha256"] if len(run.files) == 1 else ""
        run.finished_at = timezone.now()
        run.duration_seconds = round(time.monotonic() - started, 3)
        if run.status in (ImportRun.Status.FAILED, ImportRun.Status.INTERRUPTED):
            run.inserted = run.updated = run.unchanged = run.removed = run.places_linked = 0
        run.save()
    return run
