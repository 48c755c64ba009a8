"""Messy real archives: every record imports, every value is kept, strict mode still refuses."""

import csv
import random
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitora.catalogue.tests.factories import ProjectFactory, TerritoryFactory
from monitora.core.models import AuditLog
from monitora.imports.errors import ImportFailed
from monitora.imports.legacy import columns as c
from monitora.imports.legacy.parse import clean_cell, read_cell
from monitora.imports.legacy.services import legacy_csv_import
from monitora.imports.models import NoteKind, QualityNote, RawRecord
from monitora.questionnaires.definitions import LEGACY
from monitora.reports.models import Report, ReportLink
from monitora.teams.models import Team

from .test_import_errors import sample, write_csv
from .test_legacy_import import cell_is_findable

pytestmark = pytest.mark.django_db

# The cells that made the real 525-report extract fail (issue 12), placed on the sample's rows.
ISSUE_CELLS = {
    0: {"lat_": "-", "lon_": "-"},
    1: {"lon_": "376.229"},
    2: {"lon_": "370.627"},
    3: {
        "video_daASOC": "Pescara dove il tempo vola... - Comune di Pescara - "
        "Video Istituzionale from New Port on Vimeo."
    },
    4: {"video_daASOC": "purtroppo non ci e' stata data l'autorizzazione per fare un filmato"},
    5: {"link_elaborato": "il video non si vede su youtube"},
    6: {"link_blog": "https://www.youtube,com/watch?"},
    7: {"titolo": "ASSOCIAZIONE DISABILITÃ", "oc_tema_sintetico": "Cultura & Turismo"},
}


def record_lines(path) -> dict[str, int]:
    """ID_Monithon2 -> the line where its record starts (cells may span several lines)."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header, start, found = next(reader), 2, {}
        for row in reader:
            found[row[header.index("ID_Monithon2")]] = start
            start = reader.line_num + 1
    return found


def messy_file(tmp_path):
    header, rows = sample()
    for index, cells in ISSUE_CELLS.items():
        for column, value in cells.items():
            rows[index][header.index(column)] = value
    return header, rows, write_csv(tmp_path / "archivio.csv", header, rows)


def test_issue_cells_import_as_notes_and_strict_refuses_them(tmp_path):
    header, rows, path = messy_file(tmp_path)
    result = legacy_csv_import(path=path)
    assert result.created == 59
    notes = {(n.report.legacy_id, n.column): n for n in QualityNote.objects.select_related("report")}
    ids = [row[header.index("ID_Monithon2")] for row in rows]
    expected = {
        (ids[0], "lat_"): NoteKind.INVALID,
        (ids[0], "lon_"): NoteKind.INVALID,
        (ids[1], "lon_"): NoteKind.OUT_OF_RANGE,
        (ids[2], "lon_"): NoteKind.OUT_OF_RANGE,
        (ids[3], "video_daASOC"): NoteKind.NOT_A_URL,
        (ids[4], "video_daASOC"): NoteKind.NOT_A_URL,
        (ids[5], "link_elaborato"): NoteKind.NOT_A_URL,
        (ids[6], "link_blog"): NoteKind.NOT_A_URL,
        (ids[7], "oc_tema_sintetico"): NoteKind.UNKNOWN_LABEL,
    }
    assert {key: note.kind for key, note in notes.items()} == expected
    for (legacy_id, column), note in notes.items():
        index = ids.index(legacy_id)
        assert note.raw_value == rows[index][header.index(column)]
        assert note.line == record_lines(path)[legacy_id]
        assert note.status == "open" and note.reason
    first = Report.objects.get(legacy_id=ids[0])
    assert first.latitude is None and first.longitude is None  # no location from '-'
    assert not Report.objects.get(legacy_id=ids[3]).links.filter(kind=ReportLink.Kind.VIDEO).exists()
    repaired = Report.objects.get(legacy_id=ids[7])
    assert repaired.title == "ASSOCIAZIONE DISABILITÀ"
    assert repaired.raw_record.cells["titolo"] == "ASSOCIAZIONE DISABILITÃ"  # the original is kept
    assert (
        repaired.project_snapshot["theme"] == "Cultura & Turismo"
        and "theme_code" not in repaired.project_snapshot
    )
    summary = result.summary()
    assert "59 report creati" in summary and "Valori conservati come note per la redazione: 9" in summary
    assert "lon_ (out_of_range): 2" in summary and "titolo: " in summary

    Report.objects.all().delete()
    with pytest.raises(ImportFailed) as excinfo:
        legacy_csv_import(path=path, strict=True)
    issues = {(i.line, i.record, i.field) for i in excinfo.value.issues}
    assert (record_lines(path)[ids[1]], f"record ID_Monithon2 {ids[1]}", "lon_") in issues
    assert len(issues) == 8  # the unknown theme is a note even in strict mode: its label is kept
    assert "fuori intervallo" in str(excinfo.value) and not Report.objects.exists()


def test_strict_command_names_line_record_column_and_reason(tmp_path):
    header, rows, path = messy_file(tmp_path)
    with pytest.raises(CommandError) as excinfo:
        call_command("import_monithon_csv", str(path), "--strict")
    legacy_id = rows[1][header.index("ID_Monithon2")]
    line = (
        f"archivio.csv, riga {record_lines(path)[legacy_id]} (record ID_Monithon2 {legacy_id}), campo 'lon_'"
    )
    assert line in str(excinfo.value) and "'376.229' fuori intervallo" in str(excinfo.value)


def test_reimport_changes_nothing_and_keeps_editor_decisions(tmp_path, editor):
    from monitora.imports.services import quality_note_accept, quality_note_correct

    _header, _rows, path = messy_file(tmp_path)
    legacy_csv_import(path=path)
    out_of_range = QualityNote.objects.filter(kind=NoteKind.OUT_OF_RANGE).order_by("pk")
    quality_note_accept(note=out_of_range[0], by=editor)
    corrected = quality_note_correct(note=out_of_range[1], value="13.7", by=editor)
    assert corrected.report.__class__.objects.get(pk=corrected.report_id).longitude == 13.7
    models = (Report, Team, ReportLink, QualityNote, RawRecord, AuditLog)
    counts = [m.objects.count() for m in models]
    stamps = dict(Report.objects.values_list("pk", "updated_at"))
    notes = list(QualityNote.objects.order_by("pk").values_list("pk", "status", "corrected_value"))

    result = legacy_csv_import(path=path)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 59)
    assert [m.objects.count() for m in models] == counts
    assert dict(Report.objects.values_list("pk", "updated_at")) == stamps
    assert list(QualityNote.objects.order_by("pk").values_list("pk", "status", "corrected_value")) == notes


def test_territories_warning_and_places_linked(tmp_path):
    out, err = StringIO(), StringIO()
    _header, _rows, path = messy_file(tmp_path)
    call_command("import_monithon_csv", str(path), stdout=out, stderr=err)
    assert (
        "load_territories" in err.getvalue()
        and "collocati in un territorio tramite il progetto: 0" in out.getvalue()
    )
    project = ProjectFactory(code="6TO169172")
    project.territories.add(TerritoryFactory())
    result = legacy_csv_import(path=path)
    assert result.places_linked == 1 and result.updated == 1  # now linked to the catalogue project
    assert not any("load_territories" in w for w in result.warnings)


# --- property-based: a generated messy archive ----------------------------------------------------

TEXT_COLUMNS = (
    "titolo",
    "autore",
    "indirizzo",
    "oc_titolo_progetto",
    *(q.key for q in LEGACY.questions if q.kind == "text"),
)
URL_COLUMNS = (*c.LINK_COLUMNS, "id_open_coesione")
PROSE = ("il video non si vede su youtube", "https://www.youtube,com/watch?", "vedi sito del comune")
MUTABLE = [col for col in c.REQUIRED_COLUMNS if col != "ID_Monithon2"]


def mojibake(text: str, times: int) -> str:
    for _ in range(times):
        text = text.encode("utf-8").decode("latin-1")
    return text


def found(report: Report, team_notes: dict, column: str, raw: str) -> bool:
    """Typed (after repair) or, for a cell kept aside, verbatim in a note."""
    if any(n.raw_value == raw for n in team_notes.get(column, [])):
        return True
    value = read_cell(raw)
    if column == "twitter":  # a shared team keeps its first handle; each report keeps its own
        return report.handle == value.split("?")[0].lstrip("@")
    try:
        return cell_is_findable(report, column, value)
    except (ValueError, KeyError, TypeError, AttributeError, Report.DoesNotExist):
        return False


@settings(
    max_examples=6, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 2**32 - 1), size=st.integers(4, 10))
def test_messy_archive_every_record_imports_and_every_value_is_kept(tmp_path_factory, seed, size):
    rng = random.Random(seed)
    header, all_rows = sample()
    rows = [list(r) for r in rng.sample(all_rows, size)]
    col = header.index
    for row in rows:
        for column in rng.sample(MUTABLE, 3):
            row[col(column)] = "-"
        row[col(rng.choice(("lat_", "lon_")))] = rng.choice(("376.229", "-95.5", "12,5"))
        row[col(rng.choice(URL_COLUMNS))] = rng.choice(PROSE)
        text_column = rng.choice(TEXT_COLUMNS)
        row[col(text_column)] = mojibake(f"{row[col(text_column)]} città già", rng.choice((1, 2)))
    # Two records of one account with different per-report links and school data.
    rows[1][col("username")], rows[1][col("Type_auth")] = rows[0][col("username")], rows[0][col("Type_auth")]
    rows[0][col("link_blog")], rows[1][col("link_blog")] = "https://a.example/blog", "https://b.example/blog"
    rows[1][col("istituto")] = rows[0][col("istituto")] + " (sede B)"
    path = write_csv(tmp_path_factory.mktemp("messy") / "messy.csv", header, rows)

    with transaction.atomic():
        result = legacy_csv_import(path=path)
        assert result.created == size  # every record imports
        for row in rows:
            report = Report.objects.select_related("team").get(legacy_id=row[col("ID_Monithon2")])
            team_notes: dict[str, list[QualityNote]] = {}
            for note in report.quality_notes.all():
                team_notes.setdefault(note.column, []).append(note)
            for column in header:
                raw = row[col(column)]
                if column in c.IGNORED_COLUMNS or not clean_cell(raw):
                    continue
                assert report.raw_record.cells[column] == raw
                assert found(report, team_notes, column, raw), (column, raw)
        blogs = set(ReportLink.objects.filter(kind=ReportLink.Kind.BLOG).values_list("url", flat=True))
        assert {"https://a.example/blog", "https://b.example/blog"} <= blogs

        again = legacy_csv_import(path=path)
        assert (again.created, again.updated, again.unchanged) == (0, 0, size)
        with pytest.raises(ImportFailed):
            legacy_csv_import(path=path, strict=True)
        transaction.set_rollback(True)


def test_both_importers_announce_changed_reports_on_commit(tmp_path, django_capture_on_commit_callbacks):
    from django.conf import settings as django_settings

    from monitora.imports.textformat.services import report_import_text
    from monitora.reports.changes import report_changed

    seen = []

    def listener(sender, report_ids, reason, **kwargs):
        seen.append((reason, set(report_ids)))

    report_changed.connect(listener)
    try:
        _header, _rows, path = messy_file(tmp_path)
        with django_capture_on_commit_callbacks(execute=True):
            legacy = legacy_csv_import(path=path)
        with django_capture_on_commit_callbacks(execute=True):
            text = report_import_text(
                path=django_settings.BASE_DIR / "data" / "examples" / "wecare-report.txt"
            )
        with django_capture_on_commit_callbacks(execute=True):
            legacy_csv_import(path=path)  # unchanged: nothing to announce
    finally:
        report_changed.disconnect(listener)
    assert seen == [("report.imported", set(legacy.report_ids)), ("report.imported", set(text.report_ids))]
    published = Report.objects.filter(pk__in=text.report_ids).get()
    assert published.status == "published" and published.published_at is not None
    assert AuditLog.objects.filter(action="report.imported", object_id=str(published.pk)).count() == 1


def test_import_catalogue_warns_without_territories(tmp_path):
    from django.conf import settings as django_settings

    from monitora.catalogue.models import Territory

    columns = django_settings.BASE_DIR / "data" / "opencoesione" / "progetti-esteso-columns-20250228.csv"
    with columns.open(encoding="utf-8", newline="") as handle:
        header = [row["colonna"] for row in csv.DictReader(handle)]
    row = {
        "COD_LOCALE_PROGETTO": "1TEST001",
        "OC_TITOLO_PROGETTO": "Progetto di prova",
        "CUP": "E81H17000070006",
    }
    path = tmp_path / "progetti_esteso_test.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", quoting=csv.QUOTE_ALL)
        writer.writerows([header, [row.get(column, "") for column in header]])
    out, err = StringIO(), StringIO()
    call_command("import_catalogue", str(path), stdout=out, stderr=err)
    assert "collegamenti luoghi 0" in out.getvalue() and "load_territories" in err.getvalue()
    TerritoryFactory(kind=Territory.Kind.REGION, code="13")
    err = StringIO()
    call_command("import_catalogue", str(path), stdout=StringIO(), stderr=err)
    assert "load_territories" not in err.getvalue()
