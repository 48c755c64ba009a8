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
