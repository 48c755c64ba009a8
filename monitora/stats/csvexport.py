"""CSV of a statistics table, safe to open in a spreadsheet (the open-data cells and dialects)."""

import csv
import io

from monitora.opendata.renderers import PLAIN, CsvDialect, csv_cell


def table_csv(columns: list[str], rows: list[list], *, dialect: CsvDialect = PLAIN) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=dialect.delimiter, lineterminator="\r\n")
    writer.writerow([csv_cell(c, dialect) for c in columns])
    for row in rows:
        writer.writerow([csv_cell(c, dialect) for c in row])
    return ("\ufeff" if dialect.bom else "") + buffer.getvalue()
