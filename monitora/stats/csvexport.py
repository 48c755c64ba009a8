"""CSV of a statistics table, safe to open in a spreadsheet (the open-data neutraliser)."""

import csv
import io

from monitora.opendata.renderers import neutralise


def table_csv(columns: list[str], rows: list[list]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(c) for c in columns])
    for row in rows:
        writer.writerow([neutralise(c) for c in row])
    return buffer.getvalue()
