import datetime as dt

import pytest

from monitora.core.models import AuditLog
from monitora.questionnaires.validation import clean_answers
from monitora.reports.models import Answer, Report, ReportStatus
from monitora.reports.selectors import report_document
from monitora.reports.services import report_create, report_save_answers
from monitora.reports.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


def test_report_create_writes_answers_and_audit():
    answers = clean_answers("v2022", {"stato_di_avanzamento": "4", "gs": "2", "visita_diretta": "0"})
    report = report_create(
        fields={
            "title": "Scuola",
            "questionnaire_id": Report._meta.get_field("questionnaire")
            .related_model.objects.get(code="v2022")
            .pk,
        },
        answers=answers,
    )
    assert report.answers.count() == 3
    assert AuditLog.objects.filter(action="report.created", object_id=str(report.pk)).exists()
    # Closed answers are queryable without parsing text.
    assert Report.objects.filter(answers__question__key="gs", answers__option__code="2").get() == report
    assert Report.objects.filter(answers__question__key="visita_diretta", answers__boolean=False).exists()


def test_save_answers_replaces_and_updates():
    report = ReportFactory()
    report_save_answers(report=report, answers=clean_answers("v2022", {"avanzamento": "a", "gs": "1"}))
    report_save_answers(report=report, answers=clean_answers("v2022", {"avanzamento": "b"}))
    assert list(Answer.objects.filter(report=report).values_list("question__key", "text")) == [
        ("avanzamento", "b")
    ]


def test_document_resolves_effectiveness_label_from_progress():
    report = ReportFactory(published=True)
    report_save_answers(
        report=report,
        answers=clean_answers("v2022", {"stato_di_avanzamento": "6", "gs": "1", "avanzamento": "Finito."}),
    )
    document = report_document(report)
    assert document.progress_label == "Concluso"
    assert document.judgement_label.startswith("Intervento efficace")
    headings = [s.heading for s in document.sections]
    assert headings[:3] == ["Cosa abbiamo scoperto", "Avanzamento", "Risultati"]


def test_published_gate():
    draft = ReportFactory()
    published = ReportFactory(published=True)
    rejected = ReportFactory(status=ReportStatus.REJECTED)
    assert list(Report.objects.published()) == [published]
    assert draft not in Report.objects.published() and rejected not in Report.objects.published()
    assert published.submitted_at == dt.datetime(2024, 3, 1, 10, tzinfo=dt.UTC)
