import factory
from django.utils import timezone

from monitora.insights.models import Discrepancy, OfficialChange


class OfficialChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfficialChange

    field = "payments"
    old = "120000.00"
    new = "480000.00"
    recorded_at = factory.LazyFunction(timezone.now)


class DiscrepancyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Discrepancy

    rule = "blocked_but_concluded"
    basis = "current"
    evidence = factory.LazyFunction(
        lambda: {"official": {"state": "Concluso"}, "citizens": {"progress": "5"}}
    )
    found_at = factory.LazyFunction(timezone.now)
    checked_at = factory.LazyFunction(timezone.now)
    project = factory.LazyAttribute(lambda o: o.report.project)


def blocked_report(title: str = "Asilo bloccato"):
    """Citizens found the project blocked; official data said in progress then, concluded now
    (the `blocked_but_concluded` rule fires on current data)."""
    from monitora.catalogue.tests.factories import ProjectFactory, TerritoryFactory
    from monitora.reports.services.snapshot import project_snapshot
    from monitora.search.tests.helpers import make_report

    project = ProjectFactory(state="In corso", theme_code="09", theme="Inclusione sociale e salute")
    project.territories.add(TerritoryFactory(name="Matera", latitude=40.6664, longitude=16.6043))
    report = make_report(
        project=project,
        project_snapshot=project_snapshot(project),
        answers={"stato_di_avanzamento": "5"},
        title=title,
    )
    project.state = "Concluso"
    project.save()
    return report
