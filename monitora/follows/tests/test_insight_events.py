"""Official-data changes found by a catalogue re-import, and new discrepancies, reach the people who
follow the project (issue 15, point 2: the events "official-data change" and "discrepancy found")."""

import pytest
from django.core import mail

from monitora.catalogue.importing.services import catalogue_import
from monitora.catalogue.models import Project
from monitora.catalogue.tests.conftest import esteso_file, esteso_row, territories  # noqa: F401
from monitora.follows.models import Follow, FollowEvent
from monitora.follows.tests.factories import FollowFactory
from monitora.insights.discrepancies import discrepancies_compute
from monitora.insights.models import Discrepancy
from monitora.insights.tests.factories import blocked_report
from monitora.reports.services.snapshot import project_snapshot
from monitora.search.tests.helpers import make_report

pytestmark = pytest.mark.django_db


def test_a_reimport_that_changes_payments_and_state_mails_the_project_followers(
    territories,  # noqa: F811
    esteso_file,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        catalogue_import(paths=[esteso_file([esteso_row("C1", TOT_PAGAMENTI="120000,00")], "first.csv")])
    project = Project.objects.get(code="C1")
    make_report(project=project, project_snapshot=project_snapshot(project), title="Il cantiere fermo")
    follower = FollowFactory(kind=Follow.Kind.PROJECT, target="C1").user
    stranger = FollowFactory(kind=Follow.Kind.PROJECT, target="ALTRO").user
    mail.outbox.clear()

    changed = esteso_row("C1", TOT_PAGAMENTI="480000,00", OC_STATO_PROGETTO="Concluso")
    with django_capture_on_commit_callbacks(execute=True):
        catalogue_import(paths=[esteso_file([changed], "second.csv")])

    event = FollowEvent.objects.get(kind="official_change")
    assert "Concluso" in event.title
    to_follower = [m for m in mail.outbox if follower.email in m.to]
    assert to_follower and "Concluso" in to_follower[0].body
    assert not [m for m in mail.outbox if stranger.email in m.to]


def test_a_new_discrepancy_mails_the_project_followers(django_capture_on_commit_callbacks):
    report = blocked_report()
    project = report.project
    follower = FollowFactory(kind=Follow.Kind.PROJECT, target=project.code).user
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        discrepancies_compute(project_ids=[project.pk])

    finding = Discrepancy.objects.get(report=report)
    assert FollowEvent.objects.filter(kind="discrepancy", key=f"discrepancy:{finding.pk}").exists()
    assert any(follower.email in m.to and "Asilo bloccato" in m.body for m in mail.outbox)
