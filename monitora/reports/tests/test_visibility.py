"""Secondary visibility as querysets: public answers (Step 3) and visible official responses."""

import pytest
from django.utils import timezone

from monitora.conftest import make_report
from monitora.questionnaires.validation import clean_answers
from monitora.reports.models import AdministrationResponse, Answer, ImpactStatus
from monitora.reports.services import report_save_answers

pytestmark = pytest.mark.django_db


def _impact_keys(report) -> set[str]:
    return set(
        Answer.objects.public()
        .filter(report=report, question__step=3)
        .values_list("question__key", flat=True)
    )


@pytest.mark.parametrize(
    ("impact_status", "public"),
    [(s, s == ImpactStatus.PUBLISHED) for s in ImpactStatus.values],
)
def test_step_3_answers_are_public_only_once_published(roles, impact_status, public):
    report = make_report(roles.team, status="published", impact_status=impact_status)
    answers = clean_answers("v2022", {"diffusione_blog": True})
    report_save_answers(report=report, answers=answers, replace=False)
    assert _impact_keys(report) == ({"diffusione_blog"} if public else set())
    assert report.impact_is_public is public
    # Steps 1-2 answers are public whatever Step 3 says.
    assert Answer.objects.public().filter(report=report, question__step__in=(1, 2)).count() == 3


def test_hidden_responses_are_not_visible(roles):
    report = make_report(roles.team, status="published")
    shown = AdministrationResponse.objects.create(report=report, administration_name="Comune", text="Sì")
    AdministrationResponse.objects.create(
        report=report, administration_name="Comune", text="No", hidden_at=timezone.now()
    )
    assert list(report.official_responses.visible()) == [shown]
    assert AdministrationResponse.objects.count() == 2
