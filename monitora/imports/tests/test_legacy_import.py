"""The legacy Monithon sample, imported and checked cell by cell: nothing in the file is lost."""

import csv
import datetime as dt
from decimal import Decimal
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import escape

from monitora.catalogue.models import Project
from monitora.catalogue.tests.factories import ProjectFactory
from monitora.core.models import AuditLog
from monitora.imports.legacy import columns as c
from monitora.imports.legacy.parse import clean_cell, read_cell
from monitora.imports.legacy.services import legacy_csv_import
from monitora.questionnaires.definitions import LEGACY
from monitora.reports.models import ImpactStatus, Report, ReportLink, ReportSource, ReportStatus
from monitora.reports.selectors import report_document
from monitora.teams.models import AuthorCategory, Team

pytestmark = pytest.mark.django_db

SAMPLE = Path(settings.BASE_DIR) / "data" / "monithon" / "legacy-reports-sample.csv"
ROME = ZoneInfo("Europe/Rome")


def sample_rows() -> tuple[list[str], list[dict[str, str]]]:
    with SAMPLE.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def answer_matches(report: Report, column: str, value: str) -> bool:
    answer = report.answers.select_related("question", "option").get(question__key=column)
    question = LEGACY.question(column)
    if question.kind == "boolean":
        return answer.boolean is (value == "1")
    if question.kind == "choice":
        return answer.option.label_it == value or answer.option.code == value
    return answer.text == value.replace("\r\n", "\n").strip()


def snapshot_matches(snapshot: dict, column: str, value: str) -> bool:
    if column in c.ROLE_COLUMNS:
        names = [s["name"] for s in snapshot["subjects"] if s["role"] == c.ROLE_COLUMNS[column]]
        return ":::".join(names) == value
    key = c.SNAPSHOT_COLUMNS[column]
    stored = snapshot[key]
    if key in ("start_date", "actual_end_date", "source_updated_on"):
        return stored.replace("-", "") == value
    if key == "net_public_funding":
        return Decimal(stored) == Decimal(value)
    if key == "programmes":
        return ":::".join(stored) == value
    return stored == value


def cell_is_findable(report: Report, column: str, value: str) -> bool:
    team = report.team
    if column in c.ANSWER_COLUMNS:
        return answer_matches(report, column, value)
    if column in c.SNAPSHOT_COLUMNS or column in c.ROLE_COLUMNS:
        return snapshot_matches(report.project_snapshot, column, value)
    if column in c.LINK_COLUMNS:
        url = value if "://" in value else f"https://{value}"
        return report.links.filter(kind=c.LINK_COLUMNS[column], url=url).exists()
    if column == "Type_auth":
        return team.category_label == value and team.category != ""
    if column in c.TEAM_COLUMNS:
        return getattr(team, c.TEAM_COLUMNS[column]) == value
    simple = {
        "ID_Monithon2": report.legacy_id,
        "titolo": report.title,
        "autore": report.author_name,
        "indirizzo": report.address,
        "cap": report.postcode,
    }
    if column in simple:
        return simple[column] == value
    if column == "id_open_coesione":
        return report.opencoesione_url == f"https://{value}"
    if column == "lat_":
        return report.latitude == float(value)
    if column == "lon_":
        return report.longitude == float(value)
    if column == "twitter":
        expected = value.split("?")[0].lstrip("@")
        return report.handle == expected == team.handle
    if column == "report_created_at":
        if len(value) == 10:
            return report.submitted_at.astimezone(ROME).isoformat()[:10] == value
        return report.submitted_at == dt.datetime.fromisoformat(value)
    if column == "tab_3_created_at":
        return report.impact_submitted_at.astimezone(ROME).strftime("%d-%m-%y %H:%M") == value
    if column == "cod_grande_progetto":
        return report.project_code == value == report.project_snapshot["code"]
    raise AssertionError(f"column {column!r} has no destination")


def test_every_value_of_the_sample_is_findable():
    header, rows = sample_rows()
    assert len(header) == 111 and len(rows) == 59
    classified = set(c.REQUIRED_COLUMNS) | set(c.IGNORED_COLUMNS)
    assert set(header) == classified, set(header) ^ classified

    result = legacy_csv_import(path=SAMPLE)
    assert (result.created, result.updated) == (59, 0)
    checked = repaired = 0
    for row in rows:
        report = Report.objects.select_related("team", "project").get(
            source=ReportSource.LEGACY_CSV, legacy_id=row["ID_Monithon2"]
        )
        assert report.status == ReportStatus.PUBLISHED and report.questionnaire.code == "legacy"
        for column in header:
            value = clean_cell(row[column])
            if column in c.IGNORED_COLUMNS:
                assert value == "", f"{column} has data the importer would drop"
                continue
            if value:
                # Typed (mojibake repaired), and verbatim in the raw record.
                typed = read_cell(row[column])
                assert cell_is_findable(report, column, typed), (row["ID_Monithon2"], column, value)
                assert report.raw_record.cells[column] == row[column]
                checked += 1
                repaired += read_cell(row[column]) != value
    assert checked == 2943  # every non-empty cell of the sample
    assert repaired == sum(result.repairs.values()) > 0
    assert not report.quality_notes.exists()  # the sample is clean apart from its encoding


def test_impact_teams_projects_and_links():
    legacy_csv_import(path=SAMPLE)
    with_impact = Report.objects.filter(impact_status=ImpactStatus.PUBLISHED)
    assert with_impact.count() == 7
    assert all(r.impact_submitted_at for r in with_impact)
    assert (
        Report.objects.filter(answers__question__key="admin_response_promises", answers__boolean=True).count()
        == 3
    )
    # One team per account and author type: the editorial account posted as two author types.
    assert Team.objects.count() == 59
    assert sorted(
        Team.objects.filter(name="Monithon_redazione").values_list("category_label", flat=True)
    ) == [
        "Local community",
        "Monithon central staff",
    ]
    assert Team.objects.filter(category=AuthorCategory.ASOC_SECONDARY).count() == 52
    # The importer creates no catalogue project: the report keeps the code and the record of the time.
    assert not Project.objects.exists() and not Report.objects.filter(project__isnull=False).exists()
    report = Report.objects.get(project_code="1MISEPON04A3_00133/1")
    snapshot = report.project_snapshot
    assert snapshot["start_date"] == "2012-05-30" and Decimal(snapshot["net_public_funding"]) == 1000000
    assert ReportLink.objects.filter(kind=ReportLink.Kind.VIDEO).count() == 14
    # Per-report links stay on the report, never on the (shared) team.
    assert ReportLink.objects.filter(kind=ReportLink.Kind.BLOG).exists()
    assert not Team.objects.exclude(website="").exists()
    # Theme labels as written, plus OpenCoesione's code: "Città e aree rurali" is theme 12.
    themes = {(r.project_snapshot["theme"], r.project_snapshot["theme_code"]) for r in Report.objects.all()}
    assert ("Città e aree rurali", "12") in themes and ("Cultura e turismo", "06") in themes
    assert len({code for _, code in themes}) == len(themes)
    # The public layout shows impact and the official data.
    report = with_impact.first()
    assert "Risultati e impatto del monitoraggio" in [s.heading for s in report_document(report).sections]


def test_rerun_creates_and_changes_nothing():
    legacy_csv_import(path=SAMPLE)
    counts = [m.objects.count() for m in (Report, Team, Project, ReportLink, AuditLog)]
    stamps = dict(Report.objects.values_list("pk", "updated_at"))
    result = legacy_csv_import(path=SAMPLE)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 59)
    assert [m.objects.count() for m in (Report, Team, Project, ReportLink, AuditLog)] == counts
    assert dict(Report.objects.values_list("pk", "updated_at")) == stamps


def test_existing_catalogue_project_is_linked_never_written():
    project = ProjectFactory(code="6TO169172", title="Titolo dal catalogo", theme="")
    updated_at = project.updated_at
    legacy_csv_import(path=SAMPLE)
    project.refresh_from_db()
    assert (project.title, project.theme, project.updated_at) == ("Titolo dal catalogo", "", updated_at)
    assert Project.objects.count() == 1
    report = Report.objects.get(legacy_id="757")
    assert report.project == project
    assert report.project_snapshot["title"].startswith("PI_16_5.2 / PROGETTO MURA")  # as it was then


def test_dry_run_validates_without_writing():
    result = legacy_csv_import(path=SAMPLE, dry_run=True)
    assert result.created == 59 and result.dry_run
    assert not Report.objects.exists() and not Team.objects.exists() and not Project.objects.exists()


def test_legacy_report_page_and_text_export(client):
    legacy_csv_import(path=SAMPLE)
    report = Report.objects.filter(impact_status=ImpactStatus.PUBLISHED).select_related("project").first()
    page = client.get(reverse("public:report_detail", args=[report.pk])).content.decode()
    assert escape(report.project_snapshot["title"]) in page
    assert escape(report.project_snapshot["theme"]) in page
    assert "Risultati e impatto del monitoraggio" in page
    out = StringIO()
    call_command("export_report_text", str(report.pk), stdout=out)
    assert out.getvalue().startswith(f"REPORT DI MONITORAGGIO CIVICO\n{report.title}\n")
    assert f"| Di {report.author_name} | @{report.handle}" in out.getvalue()
