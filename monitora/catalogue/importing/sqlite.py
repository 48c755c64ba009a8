"""SQLite path: batched executemany upserts inside the caller's transaction.

Same contract as the PostgreSQL sink (counts, duplicates, full-release marking); the FTS5 index
follows through the triggers created by migration 0003.
"""

import json

from django.utils import timezone

from .columns import DATA_FIELDS

PROJECT = "catalogue_project"
LINKS = "catalogue_project_territories"
JSON_FIELDS = {"programme_codes", "programmes", "subjects", "raw"}
BATCH = 500


def _db_value(field: str, value):
    if field in JSON_FIELDS:
        return json.dumps(value, ensure_ascii=False)
    return value


class SqliteSink:
    def __init__(self, connection):
        # The DB-API cursor under Django's wrapper: no per-query debug logging in bulk loops.
        self.cursor = connection.cursor().cursor
        self.counts = {"inserted": 0, "updated": 0, "unchanged": 0, "removed": 0, "duplicates": []}
        self.pending: list = []
        self.first_line: dict[str, int] = {}

    def __enter__(self):
        self.cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS catalogue_seen (code TEXT PRIMARY KEY, line INTEGER)"
        )
        self.cursor.execute("DELETE FROM catalogue_seen")
        self.cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS catalogue_hashes (file_no INTEGER, line INTEGER, hash INTEGER)"
        )
        self.cursor.execute("DELETE FROM catalogue_hashes")
        return self

    def has_projects(self) -> bool:
        self.cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {PROJECT})")
        return bool(self.cursor.fetchone()[0])

    def hash_scan(self, file_no: int, pairs) -> tuple[list[int], int]:
        rows = [(file_no, line, digest) for line, digest in pairs]
        self.cursor.executemany("INSERT INTO catalogue_hashes (file_no, line, hash) VALUES (?, ?, ?)", rows)
        self.cursor.execute(
            f"SELECT h.line FROM catalogue_hashes h WHERE h.file_no = ? AND NOT EXISTS "
            f"(SELECT 1 FROM {PROJECT} p WHERE p.source_hash = h.hash AND p.removed_at IS NULL)",
            [file_no],
        )
        return [row[0] for row in self.cursor.fetchall()], len(rows)

    def start_file(self, file_no: int) -> None:
        pass

    def end_file(self) -> None:
        pass

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.cursor.execute("DROP TABLE temp.catalogue_seen")
            self.cursor.execute("DROP TABLE temp.catalogue_hashes")
        return False

    def write(self, result) -> None:
        self.pending.extend(result.rows)
        if len(self.pending) >= BATCH:
            self._flush()

    def finish_copy(self) -> None:
        self._flush()

    def _flush(self) -> None:
        rows, self.pending = self.pending, []
        if not rows:
            return
        cur = self.cursor
        codes = list({values[0] for _line, values, _ids in rows})
        marks = ",".join("?" * len(codes))
        cur.execute(f"SELECT code, line FROM catalogue_seen WHERE code IN ({marks})", codes)
        seen = dict(cur.fetchall())
        cur.execute(f"SELECT code, id, row_hash, removed_at FROM {PROJECT} WHERE code IN ({marks})", codes)
        existing = {code: (pk, row_hash, removed) for code, pk, row_hash, removed in cur.fetchall()}
        inserts, updates, link_rows, fresh = [], [], [], []
        now = timezone.now().isoformat()
        for line, values, territory_ids in rows:
            code = values[0]
            if code in seen:
                self.counts["duplicates"].append(
                    {
                        "line": line,
                        "column": "COD_LOCALE_PROGETTO",
                        "value": code,
                        "reason": f"codice già presente alla riga {seen[code]} dello stesso file",
                    }
                )
                continue
            seen[code] = line
            fresh.append((code, line))
            data = [_db_value(f, v) for f, v in zip(DATA_FIELDS, values[:-1], strict=True)]
            row_hash = values[-1]
            if code not in existing:
                inserts.append((*data, row_hash, now, now))
                link_rows.append((code, territory_ids))
            else:
                pk, old_hash, removed = existing[code]
                if old_hash == row_hash and removed is None:
                    self.counts["unchanged"] += 1
                    continue
                updates.append((*data, row_hash, now, pk))
                link_rows.append((code, territory_ids))
        cur.executemany("INSERT INTO catalogue_seen (code, line) VALUES (?, ?)", fresh)
        fields = ", ".join(DATA_FIELDS)
        if inserts:
            cur.executemany(
                f"INSERT INTO {PROJECT} ({fields}, row_hash, created_at, updated_at) "
                f"VALUES ({','.join('?' * (len(DATA_FIELDS) + 3))})",
                inserts,
            )
        if updates:
            assignments = ", ".join(f"{f} = ?" for f in DATA_FIELDS)
            cur.executemany(
                f"UPDATE {PROJECT} SET {assignments}, row_hash = ?, updated_at = ?, removed_at = NULL "
                f"WHERE id = ?",
                updates,
            )
        self.counts["inserted"] += len(inserts)
        self.counts["updated"] += len(updates)
        if link_rows:
            link_codes = [code for code, _ids in link_rows]
            marks = ",".join("?" * len(link_codes))
            cur.execute(f"SELECT code, id FROM {PROJECT} WHERE code IN ({marks})", link_codes)
            ids = dict(cur.fetchall())
            cur.execute(
                f"DELETE FROM {LINKS} WHERE project_id IN ({','.join('?' * len(ids))})", list(ids.values())
            )
            cur.executemany(
                f"INSERT INTO {LINKS} (project_id, territory_id) VALUES (?, ?)",
                [(ids[code], tid) for code, tids in link_rows for tid in tids],
            )

    def merge(self, *, full_release: bool) -> dict:
        self._flush()
        if full_release:
            self.cursor.execute(
                f"UPDATE {PROJECT} SET removed_at = ? WHERE removed_at IS NULL "
                f"AND code NOT IN (SELECT code FROM catalogue_seen) "
                f"AND (source_hash IS NULL OR source_hash NOT IN (SELECT hash FROM catalogue_hashes))",
                [timezone.now().isoformat()],
            )
            self.counts["removed"] = self.cursor.rowcount
        return self.counts

    def link_places(self, pairs) -> tuple[int, int]:
        cur = self.cursor
        linked = 0
        unknown: set[str] = set()
        batch: list = []

        def flush():
            nonlocal linked
            codes = list({code for code, _tid in batch})
            cur.execute(f"SELECT code, id FROM {PROJECT} WHERE code IN ({','.join('?' * len(codes))})", codes)
            ids = dict(cur.fetchall())
            unknown.update(c for c in codes if c not in ids)
            before = cur.connection.total_changes
            cur.executemany(
                f"INSERT OR IGNORE INTO {LINKS} (project_id, territory_id) VALUES (?, ?)",
                [(ids[code], tid) for code, tid in batch if code in ids],
            )
            linked += cur.connection.total_changes - before
            batch.clear()

        for pair in pairs:
            batch.append(pair)
            if len(batch) >= BATCH:
                flush()
        if batch:
            flush()
        return linked, len(unknown)
