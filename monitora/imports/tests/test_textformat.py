"""Round trip of the published text format on the real example, and re-import identity."""

import datetime as dt
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from monitora.core.models import AuditLog
from monitora.imports.textformat.parse import HEADINGS
from monitora.imports.textformat.services import report_import_text
from monitora.questionnaires.validation import clean_answers
from monitora.reports.models import Answer, ImpactStatus, Report, ReportSource, ReportStatus
from monitora.reports.selectors import METHOD_PAGE_LABELS
from monitora.reports.services import report_save_answers
from monitora.reports.tests.factories import ReportFactory
from monitora.reports.textformat.render import report_export_text

pytestmark = pytest.mark.django_db

EXAMPLE = Path(settings.BASE_DIR) / "data" / "examples" / "wecare-report.txt"


def words(text: str) -> str:
    """Whitespace and line wrapping aside."""
    return " ".join(text.split())


def sections(text: str) -> dict[str, str]:
    """Heading → its content, for comparing section by section."""
    result: dict[str, list[str]] = {}
    current = "(header)"
    for line in text.splitlines():
        if line.strip() in HEADINGS:
            current = line.strip()
            result[current] = []
        else:
            result.setdefault(current, []).append(line)
    return {heading: words("\n".join(body)) for heading, body in result.items()}


def export(report_id: int) -> str:
    out = StringIO()
    call_command("export_report_text", str(report_id), stdout=out)
    return out.getvalue()


def test_example_round_trip_is_identical():
    out = StringIO()
    call_command("import_report_text", str(EXAMPLE), "--questionnaire", "v2019", stdout=out)
    report = Report.objects.get()
    original = EXAMPLE.read_text(encoding="utf-8")
    exported = export(report.pk)

    original_sections, exported_sections = sections(original), sections(exported)
    assert list(exported_sections) == list(original_sections)  # every heading, in order
    for heading, body in original_sections.items():
        assert exported_sections[heading] == body, heading
    assert "Inviato il 15/03/2021 | Di doest.team@gmail.com | @Doest18" in exported
    assert words(exported) == words(original)


def test_example_becomes_a_published_report_with_closed_answers():
    report_import_text(path=EXAMPLE, questionnaire_code="v2019")
    report = Report.objects.get()
    assert report.status == ReportStatus.PUBLISHED and report.source == ReportSource.TEXT
    assert report.title == "WECARE - STRATEGIA DI INNOVAZIONE SOCIALE DELLA REGIONE PIEMONTE"
    assert report.submitted_at.astimezone(dt.UTC) == dt.datetime(2021, 3, 14, 23, tzinfo=dt.UTC)
    assert (report.author_name, report.handle) == ("doest.team@gmail.com", "Doest18")
    assert report.questionnaire.code == "v2019"
    answers = {a.question.key: a for a in report.answers.select_related("question", "option")}
    assert answers["valutazione_risultati"].option.code == "5"
    assert answers["raccolta_info_web"].boolean is True
    assert answers["raccolta_info_attuatore"].boolean is True
    assert answers["intervista_intervistati"].text.startswith("Le persone intervistate sono state:")
    assert answers["risultato_progetto"].text.startswith("Nell’ambito della strategia")
    assert answers["avanzamento"].text == "Il progetto è iniziato in data 15/07/2020 ed è in corso."
    # Unticked methods are "not answered", never "No": the text cannot tell them apart.
    assert not Answer.objects.filter(report=report, boolean=False).exists()
    assert (
        Report.objects.published()
        .filter(answers__question__key="valutazione_risultati", answers__option__code="5")
        .exists()
    )


def test_reimport_updates_the_same_report(tmp_path):
    first = report_import_text(path=EXAMPLE)
    again = report_import_text(path=EXAMPLE)
    assert (first.created, again.unchanged) == (1, 1)
    report = Report.objects.get()
    assert report.lock_version == 1
    audit_before = AuditLog.objects.count()

    edited = tmp_path / "wecare.txt"
    edited.write_text(
        EXAMPLE.read_text(encoding="utf-8").replace("ed è in corso.", "ed è in corso, con ritardi."),
        encoding="utf-8",
    )
    result = report_import_text(path=edited)
    assert result.updated == 1 and Report.objects.count() == 1
    report.refresh_from_db()
    assert report.lock_version == 2
    assert report.answers.get(question__key="avanzamento").text.endswith("con ritardi.")
    assert AuditLog.objects.count() == audit_before + 1


def test_dry_run_writes_nothing():
    result = report_import_text(path=EXAMPLE, dry_run=True)
    assert result.created == 1 and result.dry_run
    assert not Report.objects.exists() and not AuditLog.objects.exists()


def test_v2022_report_survives_export_and_import(tmp_path):
    """Every layout element of the current form reads back to the same answers."""
    report = ReportFactory(published=True, author_name="Classe 4B", handle="team4b")
    raw = {
        "obiettivi": "Ridurre il traffico.",
        "contesto": "Periferia nord.\n\nDue quartieri.",
        "is_gender_topic": "1",
        "gender_language": "1",
        "gender_language_desc": "donne, studentesse",
        "stato_di_avanzamento": "4",
        "avanzamento": "Cantiere aperto, lavori fermi da marzo.",
        "gs": "2",
        "risultato_progetto": "Nessun risultato ancora.",
        "problemi_tecnici": True,
        "punti_di_forza": "Buona idea.",
        "rischi": "Ritardi.",
        "raccolta_info_web": True,
        "intervista_utenti_beneficiari": True,
        "questionario_utenti": True,
        "questionario_extra": "Studenti, 40% di risposte.",
        "intervista_intervistati": "Il sindaco.",
        "intervista_domande": "Quando finirà?",
        "diffusione_twitter": True,
        "admin_response_promises": True,
        "impact_description": "Il comune ha riaperto il cantiere.",
    }
    report_save_answers(report=report, answers=clean_answers("v2022", raw))
    report.impact_status = ImpactStatus.PUBLISHED
    report.save()
    text = report_export_text(report=report)
    assert METHOD_PAGE_LABELS["intervista_utenti_beneficiari"] in text
    path = tmp_path / "v2022.txt"
    path.write_text(text, encoding="utf-8")

    result = report_import_text(path=path, questionnaire_code="v2022")
    imported = Report.objects.get(pk=result.report_ids[0])
    assert imported.pk != report.pk and imported.impact_status == ImpactStatus.PUBLISHED
    values = {a.question.key: a.value for a in imported.answers.select_related("question", "option")}
    assert values == raw
    assert words(report_export_text(report=imported)) == words(text)


def test_example_is_importable_from_a_copy_with_windows_line_ends(tmp_path):
    copy = tmp_path / "wecare-crlf.txt"
    copy.write_bytes(b"\xef\xbb\xbf" + EXAMPLE.read_bytes().replace(b"\n", b"\r\n"))
    report_import_text(path=copy)
    shutil.copy(EXAMPLE, tmp_path / "same.txt")
    assert report_import_text(path=tmp_path / "same.txt").unchanged == 1
