"""Fixtures for accounts, teams and the review workflow: one user per role of the permission matrix."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser

from monitora.accounts.tests.factories import MembershipFactory, UserFactory
from monitora.catalogue.tests.factories import ProjectFactory, TerritoryFactory
from monitora.questionnaires.validation import clean_answers
from monitora.reports.services import report_save_answers
from monitora.reports.tests.factories import ReportFactory
from monitora.teams.models import Membership
from monitora.teams.tests.factories import TeamFactory

# The required answers of Steps 1–2 of v2022.
COMPLETE = {
    "obiettivi": "Riqualificare la piazza",
    "stato_di_avanzamento": "4",
    "avanzamento": "Cantiere aperto",
}


@pytest.fixture
def roles(db):
    """anonymous, registered, owner and member (of the owning team), other (another team), editor, admin."""
    team, other_team = TeamFactory(name="Team A"), TeamFactory(name="Team B")
    owner = MembershipFactory(team=team, role=Membership.Role.OWNER).user
    member = MembershipFactory(team=team).user
    other = MembershipFactory(team=other_team, role=Membership.Role.OWNER).user
    return SimpleNamespace(
        team=team,
        other_team=other_team,
        anonymous=AnonymousUser(),
        registered=UserFactory(),
        owner=owner,
        member=member,
        other=other,
        editor=UserFactory(is_staff=True),
        admin=UserFactory(is_staff=True, is_superuser=True),
    )


@pytest.fixture
def questionnaires(transactional_db):
    """Transactional tests start from a flushed database (an earlier one emptied it): put back the
    questionnaire rows that migrations load, with the idempotent service `load_demo` uses."""
    from monitora.questionnaires import models
    from monitora.questionnaires.services import questionnaire_sync_all

    questionnaire_sync_all(models=models)


@pytest.fixture
def project(db):
    comune = TerritoryFactory(name="Matera", latitude=40.6664, longitude=16.6043)
    p = ProjectFactory(summary="Recupero dei Sassi", cup_nature="ACQUISTO DI BENI")
    p.territories.add(comune)
    return p


def make_report(team, *, status="draft", complete=True, **kwargs):
    report = ReportFactory(team=team, status=status, **kwargs)
    if complete:
        report_save_answers(report=report, answers=clean_answers("v2022", COMPLETE))
    return report
