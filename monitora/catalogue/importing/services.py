"""`catalogue_import()`: the one entry point that writes the catalogue from OpenCoesione files.
Records whose source hash the catalogue has are skipped before cleaning (`cleaning.py`); the others
are staged and merged set-based in one transaction (`staging.py`, `postgres.py`)."""

import os
import time
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

import polars as pl
from django.db import connection, transaction
from django.utils import timezone

from monitora.catalogue.changes import projects_changed
from monitora.catalogue.models import ImportRun

from .cleaning import Cleaner, read_frames, source_hash_expr, unchanged
from .columns import ImportFileError, Layout
from .postgres import PostgresStaging
from .source import open_source, read_header, record_lines
from .staging import Staging
from .territories import iter_places, territory_resolver

MAX_STORED_ERRORS = 1000
LOADERS = 2  # PostgreSQL loader connections: each computes search vectors in its own server process


class ImportAborted(Exception):
    """Too many bad rows: nothing was written."""


class _DryRun(Exception):
    """Rolls the import's transaction back."""


class _Run:
    """What one import has read so far: counts, hashes seen, and the rows to report per file."""

    def __init__(self, paths: list[Path], known: pl.Series | None, max_errors: int):
        self.paths, self.known, self.max_errors = paths, known, max_errors
        self.read = self.skipped = self.rejected = 0
        self.matched: list[pl.Series] = []  # source hashes of the records skipped as unchanged
        self.errors: dict[int, list[tuple[int, dict]]] = {}  # file -> (record number, row error)
        self.malformed: dict[int, list[str]] = {}  # file -> text of the records Arrow skipped

    def check_budget(self, pending: int = 0) -> None:
        """Stop as soon as too many rows are rejected (`pending`: those of the file being read)."""
        if self.rejected + pending > self.max_errors:
            self.rejected += pending
            limit = f"limite --max-errors {self.max_errors}"
            raise ImportAborted(f"{self.rejected} righe scartate ({limit}): nessuna modifica applicata")

    def unseen(self) -> list[int]:
        """Source hashes of catalogue projects that no record matched unchanged."""
        if self.known is None:
            return []
        matched = pl.concat(self.matched) if self.matched else pl.Series(dtype=pl.Int64)
        return self.known.filter(~unchanged(self.known, matched.sort())).to_list()


def _stage_file(staging: Staging, run: _Run, file_no: int, resolver, progress, on_file) -> dict:
    """Read, skip, clean and stage one file; returns what the ImportRun records of it."""
    path = run.paths[file_no]
    with open_source(path) as (source, stream):
        layout = Layout.from_header(*read_header(stream))
        on_file(path, source.size)
        cleaner, hashes = Cleaner(layout, resolver), source_hash_expr(layout)
        errors, malformed = run.errors.setdefault(file_no, []), run.malformed.setdefault(file_no, [])
        rows, done = 0, source.count
        progress(done, 0)
        for frame in read_frames(stream, layout, malformed):
            height = frame.height
            rows += height
            frame = frame.with_columns(hashes)
            if run.known is not None:
                same = unchanged(frame["source_hash"], run.known)
                run.matched.append(frame["source_hash"].filter(same))
                frame = frame.filter(~same)
                run.skipped += height - frame.height
            if frame.height:
                staged, frame_errors = cleaner.clean(frame, check_nul=source.nul)
                errors += frame_errors
                run.check_budget(len(errors) + len(malformed))
                staging.write(staged, file_no)
            progress(source.count - done, height)
            done = source.count
        run.check_budget(len(errors) + len(malformed))
        run.rejected += len(errors) + len(malformed)
        run.read += (rows := rows + len(malformed))
        about = {"name": path.name, "member": source.member, "columns": len(layout.header)}
        return about | {"unknown": [n for _p, n in layout.raw], "rows": rows, "sha256": source.sha256()}


def _reported(run: _Run, duplicates: list[dict]) -> list[dict]:
    """Every rejected row with its file and physical line (one more read of the files that have any)."""
    wanted: dict[int, set[int]] = {n: {r for r, _e in errors} for n, errors in run.errors.items()}
    for item in duplicates:
        for file_no, record_no in (item["at"], item["first"]):
            wanted.setdefault(file_no, set()).add(record_no)
    found: list[tuple[int, dict]] = []
    lines: dict[int, dict[int, int]] = {}
    for file_no, path in enumerate(run.paths):
        if wanted.get(file_no) or run.malformed.get(file_no):
            lines[file_no], malformed = record_lines(path, wanted.get(file_no, set()))
            found += [(file_no, dict(line=n, column="", value="", reason=r)) for n, r in malformed]
    for file_no, errors in run.errors.items():
        found += [(file_no, {"line": lines[file_no].get(r), **e}) for r, e in errors]
    for item in duplicates:
        (file_no, record_no), (first_file, first_record) = item["at"], item["first"]
        where = "dello stesso file" if first_file == file_no else f"di {run.paths[first_file].name}"
        reason = f"codice già presente alla riga {lines[first_file].get(first_record)} {where}"
        error = {"column": "COD_LOCALE_PROGETTO", "value": item["code"], "reason": reason}
        found.append((file_no, {"line": lines[file_no].get(record_no), **error}))
    found.sort(key=lambda item: (item[0], item[1]["line"] or 0))
    return [{"file": run.paths[file_no].name, **error} for file_no, error in found]


def _mark_stale_runs() -> None:
    """Runs left 'running' by a killed process (their pid is gone) become 'interrupted'."""
    for run in ImportRun.objects.filter(status=ImportRun.Status.RUNNING):
        with suppress(OSError):
            if run.pid:
                os.kill(run.pid, 0)
                continue  # still running
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
    progress: Callable[[int, int], None] = lambda _bytes, _rows: None,
    on_file: Callable[[Path, int], None] = lambda _path, _size: None,
) -> ImportRun:
    """Import progetti files (and localizzazioni) in ONE transaction: any failure leaves the catalogue
    untouched. Upserts by COD_LOCALE_PROGETTO, skipping unchanged records (source hash) and rows (row
    hash); `full_release` marks projects missing from the files as removed. Changes are announced."""
    _mark_stale_runs()
    localizzazioni = localizzazioni or []
    options = {"full_release": full_release, "max_errors": max_errors, "dry_run": dry_run}
    options["localizzazioni"] = [p.name for p in localizzazioni]
    names = ", ".join(p.name for p in [*paths, *localizzazioni])
    record = ImportRun.objects.create(file_name=names, options=options, pid=os.getpid())
    started = time.monotonic()
    staging = Staging(connection)
    if connection.vendor == "postgresql":
        staging = PostgresStaging(connection, record.pk, loaders=workers or LOADERS)
    run = _Run(paths, None, max_errors)
    errors: list[dict] = []
    try:
        resolver = territory_resolver()
        with transaction.atomic(), staging:
            run.known = staging.known_hashes()
            for file_no in range(len(paths)):
                record.files.append(_stage_file(staging, run, file_no, resolver, progress, on_file))
            staging.staged()
            # Into an empty catalogue nothing is announced: no report can be on a project yet.
            first_load = run.known is None
            counts = staging.merge(full_release=full_release, unseen=run.unseen(), first_load=first_load)
            counts["unchanged"] += run.skipped
            changed, duplicates = counts.pop("changed_ids"), counts.pop("duplicates")
            run.rejected += len(duplicates)
            errors = _reported(run, duplicates)
            run.check_budget()
            for path in localizzazioni:
                stats = {"name": path.name, "kind": "localizzazioni", "rows": 0, "unresolved_places": 0}
                pairs = iter_places(path, resolver, stats)
                linked, stats["unknown_projects"], ids = staging.link_places(pairs, first_load=first_load)
                record.places_linked += linked
                changed += ids
                record.files.append(stats)
            record.__dict__.update(counts)
            if dry_run:
                raise _DryRun
            projects_changed(changed, reason="catalogue.import", import_run_id=record.pk)
        record.status = ImportRun.Status.SUCCEEDED
        if (record.inserted or record.updated or record.removed) and not connection.in_atomic_block:
            staging.committed()
    except _DryRun:
        record.status = ImportRun.Status.DRY_RUN
    except KeyboardInterrupt:
        record.status = ImportRun.Status.INTERRUPTED
        record.message = "interrotta dall'operatore: nessuna modifica applicata"
        raise
    except Exception as exc:
        record.status = ImportRun.Status.FAILED
        told = isinstance(exc, ImportAborted | ImportFileError)  # messages for the operator
        record.message = str(exc) if told else f"{type(exc).__name__}: {exc}"
        if isinstance(exc, ImportAborted) and not errors:
            errors = _reported(run, [])  # the rows that made it stop
        raise
    finally:
        staging.cleanup(rolled_back=record.status != ImportRun.Status.SUCCEEDED)
        record.rows_read, record.rejected, record.errors = run.read, run.rejected, errors[:MAX_STORED_ERRORS]
        record.file_hash = record.files[0]["sha256"] if len(record.files) == 1 else ""
        record.finished_at = timezone.now()
        record.duration_seconds = round(time.monotonic() - started, 3)
        if record.status in (ImportRun.Status.FAILED, ImportRun.Status.INTERRUPTED):
            record.inserted = record.updated = record.unchanged = record.removed = record.places_linked = 0
        record.save()
    return record
