import datetime as dt

import factory

from monitora.questionnaires.models import Questionnaire
from monitora.reports.models import Report, ReportStatus
from monitora.teams.tests.factories import TeamFactory


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report

    title = factory.Faker("sentence", nb_words=6, locale="it_IT")
    questionnaire = factory.LazyFunction(lambda: Questionnaire.objects.get(code="v2022"))
    team = factory.SubFactory(TeamFactory)
    status = ReportStatus.DRAFT

    class Params:
        published = factory.Trait(
            status=ReportStatus.PUBLISHED,
            submitted_at=factory.LazyFunction(lambda: dt.datetime(2024, 3, 1, 10, tzinfo=dt.UTC)),
            published_at=factory.LazyFunction(lambda: dt.datetime(2024, 3, 5, 10, tzinfo=dt.UTC)),
        )
