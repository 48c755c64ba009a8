"""`catalogue_import()`: the one entry point that writes the catalogue from OpenCoesione files."""

import logging
import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from monitora.catalogue.models import ImportRun

from .localizzazioni import iter_places
from .parsing import ChunkResult, ImportFileError, StructuralError, init_worker, parse_chunk, source_hasher
from .source import file_sha256, iter_chunks, iter_records, open_source, read_header, record_lines
from .sqlite import SqliteSink
from .territories import territory_resolver

logger = logging.getLogger(__name__)
CHUNK_ROWS = 2000
MAX_STORED_ERRORS = 1000
PARALLEL_MIN_BYTES = 20 * 1024 * 1024
LOADERS = 2  # PostgreSQL loader connections: each COPY computes search vectors in its own server process
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


def _vacuum() -> None:
    """After the commit: mark the new rows all-visible with their hint bits set, so that the first
    searches after an import do not pay for it page by page (VACUUM cannot run in a transaction;
    autovacuum may be off or late)."""
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM catalogue_project, catalogue_project_territories")
    logger.info("%.1fs VACUUM catalogue_project, catalogue_project_territories", time.monotonic() - started)


def _file_info(member: str, layout) -> dict:
    """What the ImportRun records of a file's layout."""
    return {"member": member, "columns": len(layout.header), "unknown": [n for _i, n in layout.raw]}


def _header_info(path: Path) -> dict:
    with open_source(path) as (stream, member, _size):
        layout, _consumed = read_header(stream)
    return _file_info(member, layout)


@contextmanager
def _open_for_staging(path: Path, info: dict, on_file, progress):
    """Open a file and read its header for either staging path: yields (stream, layout, header
    bytes, size), with the file's layout recorded in `info` and the progress bar started."""
    with open_source(path) as (stream, member, size):
        layout, consumed = read_header(stream)
        info.update(_file_info(member, layout))
        if on_file:
            on_file(path, size)
        if progress:
            progress(consumed, 0)
        yield stream, layout, consumed, size


def _hash_pass(sink, path: Path, file_no: int, fast: bool) -> tuple[list[int], int, bool]:
    """Source hashes of every record -> the records that are new or changed (and whether the fast
    reader could read the file)."""
    with open_source(path) as (stream, _member, _size):
        layout, _consumed = read_header(stream)
        if fast:
            from .frames import read_frames, source_hash_expr  # Polars and Arrow: PostgreSQL only

            expr = source_hash_expr(layout)
            frames = (
                frame.select("record_no", expr.alias("hash"))
                for frame, _nbytes in read_frames(stream, layout)
            )
            try:
                changed, scanned = sink.hash_scan_frames(file_no, frames)
                return changed, scanned, True
            except StructuralError:
                pass
    with open_source(path) as (stream, _member, _size):
        layout, _consumed = read_header(stream)
        hasher = source_hasher(layout)
        records = ((line, hasher(record)) for line, record in iter_records(stream))
        changed, scanned = sink.hash_scan(file_no, records)
    return changed, scanned, False


def _stage_fast(
    sink, path: Path, file_no: int, resolver, keep, progress, on_file, info, error_budget: int
) -> tuple[int, list]:
    """Fast path (PostgreSQL): Arrow reads, Polars cleans, loader connections COPY. -> (rows, errors)"""
    import polars as pl

    from .frames import FrameCleaner, read_frames

    with _open_for_staging(path, info, on_file, progress) as (stream, layout, consumed, _size):
        cleaner = FrameCleaner(layout, resolver)
        started = time.monotonic()
        keep_series = pl.Series(sorted(keep), dtype=pl.Int64) if keep is not None else None
        state: dict = {"rows": 0, "errors": [], "failure": None}

        def produce() -> None:
            """Reader thread: Arrow and Polars release the GIL, so reading overlaps the merge."""
            try:
                seen = consumed
                flags: dict = {}
                for frame, nbytes in read_frames(stream, layout, flags):
                    state["rows"] += frame.height
                    if keep_series is not None:
                        frame = frame.filter(pl.col("record_no").is_in(keep_series))
                    if frame.height:
                        staged, frame_errors = cleaner.clean(frame, check_nul=flags.get("nul", False))
                        state["errors"] += frame_errors
                        if len(state["errors"]) > error_budget:
                            break  # too many bad rows: the caller aborts, no need to read further
                        sink.write_frame(staged)
                    if progress:
                        progress(nbytes - seen, frame.height)
                        seen = nbytes
            except BaseException as exc:  # noqa: BLE001 - re-raised by the main thread
                state["failure"] = exc

        sink.start_file(file_no)
        reader = threading.Thread(target=produce, name="catalogue-reader", daemon=True)
        reader.start()
        try:
            while reader.is_alive():
                reader.join(0.2)
                sink.raise_failures()
        finally:
            if reader.is_alive():  # the merge failed or Ctrl-C: stop the reader before unwinding
                sink.stop()
                reader.join()
        if state["failure"] is not None:
            raise state["failure"]
        sink.end_file()
        rows, errors = state["rows"], state["errors"]
        logger.info("%s: %d records read and staged in %.1fs", path.name, rows, time.monotonic() - started)
    if errors:
        lines = record_lines(path, {e["record_no"] for e in errors})
        for error in errors:
            error["line"] = lines.get(error.pop("record_no"))
        errors.sort(key=lambda e: e["line"] or 0)
    return rows, errors


def _stage_records(
    sink, path: Path, file_no: int, resolver, keep, scanned, progress, on_file, info, workers, postgres
) -> tuple[int, list]:
    """Record-by-record path (SQLite, and PostgreSQL files with malformed records)."""
    errors: list[dict] = []
    with _open_for_staging(path, info, on_file, progress) as (stream, layout, _consumed, size):
        n_workers = (
            workers
            if workers is not None
            else (min(2, os.cpu_count() or 1) if size > PARALLEL_MIN_BYTES else 1)
        )
        chunks = iter_chunks(stream, rows=CHUNK_ROWS, progress=progress, keep=keep)
        file_rows = scanned - len(keep) if keep is not None else 0
        sink.start_file(file_no)
        for result in _parse(chunks, layout, resolver, False, n_workers):
            file_rows += result.read
            errors += result.errors
            if postgres:
                from .frames import rows_frame

                frame, lines = rows_frame(result.rows)
                sink.write_frame(frame, lines)
            else:
                sink.write(result)
        sink.end_file()
    return file_rows, errors


def _duplicate_errors(found: list[dict], paths: list[Path]) -> list[dict]:
    """Errors for codes seen twice; PostgreSQL reports (file, line or record number) places."""
    if not found or "at" not in found[0]:
        for error in found:
            error["file"] = ", ".join(p.name for p in paths)
        return found
    wanted: dict[int, set[int]] = {}
    for item in found:
        for file_no, line, record_no in (item["first"], item["at"]):
            if line < 0:
                wanted.setdefault(file_no, set()).add(record_no)
    lines = {file_no: record_lines(paths[file_no], records) for file_no, records in wanted.items()}

    def line_of(place) -> int | None:
        file_no, line, record_no = place
        return line if line >= 0 else lines[file_no].get(record_no)

    return [
        {
            "file": paths[item["at"][0]].name,
            "line": line_of(item["at"]),
            "column": "COD_LOCALE_PROGETTO",
            "value": item["code"],
            "reason": f"codice già presente alla riga {line_of(item['first'])} dello stesso file"
            if item["first"][0] == item["at"][0]
            else f"codice già presente alla riga {line_of(item['first'])} di {paths[item['first'][0]].name}",
        }
        for item in found
    ]


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
    sink = None
    if postgres:
        from .postgres import PostgresSink  # Polars, Arrow and loader connections: PostgreSQL only

        sink = PostgresSink(connection, run.pk, loaders=workers or LOADERS)
    hasher_pool = ThreadPoolExecutor(1)
    try:
        resolver = territory_resolver()
        # The shadow-table swap only when this import owns its transaction: inside a caller's
        # transaction the replaced tables would stay locked, and unseen by other connections,
        # until that caller commits.
        own_transaction = not connection.in_atomic_block
        with transaction.atomic():
            sink = sink or SqliteSink(connection)
            with sink:
                skipped = 0
                bulk = postgres and own_transaction and not sink.has_projects() and sink.begin_bulk()
                for file_no, path in enumerate(paths):
                    # The checksum is read on another thread while the file is imported.
                    checksum = hasher_pool.submit(file_sha256, path)
                    info = {"name": path.name}
                    keep, scanned = None, 0
                    fast = postgres
                    if not bulk and sink.has_projects():
                        # Pass 1: hash raw records; identical ones are skipped without parsing.
                        changed, scanned, fast = _hash_pass(sink, path, file_no, fast)
                        if len(changed) <= KEEP_MAX:
                            keep = set(changed)
                            skipped += scanned - len(changed)
                    staged = None
                    if keep is not None and not keep:
                        # Every record is unchanged: nothing to parse.
                        staged = (scanned, [])
                        info.update(_header_info(path))
                    if fast and staged is None:
                        try:
                            staged = _stage_fast(
                                sink,
                                path,
                                file_no,
                                resolver,
                                keep,
                                progress,
                                on_file,
                                info,
                                max_errors - rejected,
                            )
                        except StructuralError as exc:
                            logger.warning("%s: %s; lettura riga per riga", path.name, exc)
                            sink.discard_file(file_no)
                            if keep is not None:
                                skipped -= scanned - len(keep)
                            keep, scanned = None, 0
                    if staged is None:
                        staged = _stage_records(
                            sink,
                            path,
                            file_no,
                            resolver,
                            keep,
                            scanned,
                            progress,
                            on_file,
                            info,
                            workers,
                            postgres,
                        )
                    file_rows, file_errors = staged
                    for error in file_errors:
                        error["file"] = path.name
                    rejected += len(file_errors)
                    errors.extend(file_errors[: max(0, MAX_STORED_ERRORS - len(errors))])
                    if rejected > max_errors:
                        raise ImportAborted(
                            f"{rejected} righe scartate (limite --max-errors {max_errors}): "
                            "nessuna modifica applicata"
                        )
                    read += file_rows
                    info["rows"] = file_rows
                    info["sha256"] = checksum.result()
                    run.files.append(info)
                sink.finish_copy()
                counts = sink.merge(full_release=full_release)
                counts["unchanged"] += skipped
                duplicates = _duplicate_errors(counts.pop("duplicates"), paths)
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
        if postgres and (run.inserted or run.updated or run.removed) and not connection.in_atomic_block:
            _vacuum()
    except _DryRun:
        run.status = ImportRun.Status.DRY_RUN
        if postgres:
            sink.rolled_back = True
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
        hasher_pool.shutdown(cancel_futures=True)
        if postgres:
            sink.cleanup()
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
