"""Bad input: every problem named with file, line, field and reason; nothing half-written."""

import csv
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from monitora.catalogue.models import Project
from monitora.imports.errors import ImportFailed
from monitora.imports.legacy.services import legacy_csv_import
from monitora.imports.textformat.services import report_import_text
from monitora.reports.models import Report
from monitora.teams.models import Team

pytestmark = pytest.mark.django_db

DATA = Path(settings.BASE_DIR) / "data"
SAMPLE = DATA / "monithon" / "legacy-reports-sample.csv"
EXAMPLE = DATA / "examples" / "wecare-report.txt"


def sample() -> tuple[list[str], list[list[str]]]:
    with SAMPLE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def failure(call) -> ImportFailed:
    with pytest.raises(ImportFailed) as excinfo:
        call()
    return excinfo.value


def first_non_ascii_line(text: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if not line.isascii())


# --- legacy CSV ----------------------------------------------------------------------------------


def test_csv_missing_required_columns(tmp_path):
    header, rows = sample()
    drop = [header.index("titolo"), header.index("lat_")]
    keep = [i for i in range(len(header)) if i not in drop]
    path = write_csv(
        tmp_path / "senza-colonne.csv", [header[i] for i in keep], [[r[i] for i in keep] for r in rows]
    )
    error = failure(lambda: legacy_csv_import(path=path))
    assert [(i.file, i.line, i.field) for i in error.issues] == [
        ("senza-colonne.csv", 1, "titolo"),
        ("senza-colonne.csv", 1, "lat_"),
    ]
    assert "colonna obbligatoria mancante" in str(error)


def test_csv_not_utf8(tmp_path):
    text = SAMPLE.read_text(encoding="utf-8")
    path = tmp_path / "latin1.csv"
    path.write_bytes(text.encode("cp1252", errors="replace"))
    error = failure(lambda: legacy_csv_import(path=path))
    (issue,) = error.issues
    assert (issue.file, issue.line) == ("latin1.csv", first_non_ascii_line(text))
    assert "UTF-8" in issue.reason


def test_strict_csv_reports_every_bad_row_at_once_and_writes_nothing(tmp_path):
    header, rows = sample()
    col = header.index
    bad = {
        2: ("giudizio_sintetico", "Benissimo"),
        9: ("report_created_at", "2015-02-30"),
        19: ("lat_", "43,72"),
        20: ("lon_", "abc"),
        21: ("lat_", "143.5"),
        29: ("tab_3_created_at", "2019-05-23"),
        39: ("problemi_tecnici", "2"),
        49: ("oc_data_inizio_progetto", "2011-11-15"),
        58: ("oc_finanz_tot_pub_netto", "1.000,50"),
    }
    for index, (column, value) in bad.items():
        rows[index][col(column)] = value
    path = write_csv(tmp_path / "errori.csv", header, rows)
    lines = path.read_text(encoding="utf-8").splitlines()

    error = failure(lambda: legacy_csv_import(path=path, dry_run=True, strict=True))
    assert len(error.issues) == len(bad)
    for issue, (index, (column, value)) in zip(error.issues, sorted(bad.items()), strict=True):
        assert issue.field == column and issue.file == "errori.csv"
        assert issue.record == f"record ID_Monithon2 {rows[index][col('ID_Monithon2')]}"
        # The line named is where the record starts in the file.
        title = rows[index][col("titolo")].replace('"', '""')
        assert lines[issue.line - 1].startswith(f'"","{title[:20]}')
        assert repr(value) in issue.reason
    reasons = str(error)
    assert "opzione sconosciuta 'Benissimo'" in reasons and "'Concluso e utile'" in reasons
    assert "punto decimale" in reasons and "fuori intervallo" in reasons and "AAAAMMGG" in reasons
    assert not Report.objects.exists() and not Team.objects.exists() and not Project.objects.exists()


def test_failed_reimport_leaves_the_database_as_it_was(tmp_path):
    legacy_csv_import(path=SAMPLE)
    before = list(Report.objects.order_by("pk").values_list("pk", "title", "lock_version", "updated_at"))
    header, rows = sample()
    rows[0][header.index("titolo")] = "Titolo cambiato"  # a valid change on the first row
    rows[30][header.index("titolo")] = "x" * 600  # longer than the model allows
    path = write_csv(tmp_path / "titolo-lungo.csv", header, rows)
    error = failure(lambda: legacy_csv_import(path=path, strict=True))
    (issue,) = error.issues
    assert issue.field == "titolo" and issue.record.endswith(rows[30][header.index("ID_Monithon2")])
    assert (
        list(Report.objects.order_by("pk").values_list("pk", "title", "lock_version", "updated_at")) == before
    )


def test_csv_command_prints_every_problem(tmp_path):
    header, rows = sample()
    rows[0][header.index("lon_")] = "12,5"
    rows[1][header.index("ID_Monithon2")] = rows[0][header.index("ID_Monithon2")]
    path = write_csv(tmp_path / "cmd.csv", header, rows)
    with pytest.raises(CommandError) as excinfo:
        call_command("import_monithon_csv", str(path), "--dry-run", "--strict")
    message = str(excinfo.value)
    assert "cmd.csv, riga 2" in message and "'lon_'" in message
    assert "ID ripetuto: compare già alla riga 2" in message


def test_csv_unknown_columns_warn_and_private_columns_are_never_stored(tmp_path):
    header, rows = sample()
    path = write_csv(
        tmp_path / "extra.csv", [*header, "email", "colonna_nuova"], [[*r, "a@b.it", "x"] for r in rows]
    )
    result = legacy_csv_import(path=path)
    assert result.created == 59
    assert result.warnings[0] == "extra.csv: colonne sconosciute ignorate: colonna_nuova"
    assert not Report.objects.filter(author_name__contains="a@b.it").exists()


# --- text reports --------------------------------------------------------------------------------


def write_text(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def example_lines() -> list[str]:
    return EXAMPLE.read_text(encoding="utf-8").splitlines()


def test_text_missing_required_section(tmp_path):
    lines = [line for line in example_lines() if line != "Avanzamento"]
    path = write_text(tmp_path / "senza-avanzamento.txt", "\n".join(lines))
    error = failure(lambda: report_import_text(path=path))
    fields = [i.field for i in error.issues]
    assert "Avanzamento" in fields
    missing = error.issues[fields.index("Avanzamento")]
    assert missing.line == lines.index("Risultati") + 1 and "sezione obbligatoria mancante" in missing.reason


def test_text_missing_header(tmp_path):
    path = write_text(tmp_path / "senza-intestazione.txt", "\n".join(example_lines()[1:]))
    error = failure(lambda: report_import_text(path=path))
    assert (error.issues[0].line, error.issues[0].field) == (1, "intestazione")


def test_text_not_utf8(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8")
    path = tmp_path / "cp1252.txt"
    path.write_bytes(text.encode("cp1252", errors="replace"))
    (issue,) = failure(lambda: report_import_text(path=path)).issues
    assert issue.line == first_non_ascii_line(text) and "UTF-8" in issue.reason


def test_text_unknown_method_and_bad_date_reported_together(tmp_path):
    lines = example_lines()
    method_line = lines.index("  • Raccolta di informazioni via web")
    lines[method_line] = "  • Raccolta di informazioni al bar"
    lines[3] = lines[3].replace("15/03/2021", "31/02/2021")
    path = write_text(tmp_path / "errori.txt", "\n".join(lines))
    report_import_text(path=EXAMPLE)
    before = list(Report.objects.values_list("pk", "lock_version", "updated_at"))

    with pytest.raises(CommandError) as excinfo:
        call_command("import_report_text", str(path))
    message = str(excinfo.value)
    assert f"errori.txt, riga {method_line + 1}, campo 'Metodo di indagine': opzione sconosciuta" in message
    assert "errori.txt, riga 4, campo 'Inviato il': data non valida '31/02/2021'" in message
    assert list(Report.objects.values_list("pk", "lock_version", "updated_at")) == before


def test_text_unknown_questionnaire_version_is_refused():
    error = failure(lambda: report_import_text(path=EXAMPLE, questionnaire_code="legacy"))
    assert error.issues[0].field == "--questionnaire"


def test_text_too_long_title_is_named_with_its_line(tmp_path):
    lines = example_lines()
    lines[1] = "TITOLO " * 100
    path = write_text(tmp_path / "titolo.txt", "\n".join(lines))
    (issue,) = failure(lambda: report_import_text(path=path)).issues
    assert (issue.line, issue.field) == (2, "titolo") and "massimo 500" in issue.reason
    assert not Report.objects.exists()


def test_text_sections_out_of_order(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8")
    risks = text.index("Rischi\n")
    solutions = text.index("Soluzioni e Idee\n")
    method = text.index("Metodo di indagine\n")
    swapped = text[:risks] + text[solutions:method] + text[risks:solutions] + text[method:]
    path = write_text(tmp_path / "ordine.txt", swapped)
    issues = failure(lambda: report_import_text(path=path)).issues
    assert [(i.field, "fuori ordine" in i.reason) for i in issues] == [("Rischi", True)]
