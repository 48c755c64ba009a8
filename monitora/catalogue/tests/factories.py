import factory

from monitora.catalogue.models import Project, Territory


class TerritoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Territory

    code = factory.Sequence(lambda n: f"{n:06d}")
    kind = Territory.Kind.MUNICIPALITY
    name = factory.Faker("city", locale="it_IT")


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    code = factory.Sequence(lambda n: f"1TEST{n:05d}")
    cup = factory.Sequence(lambda n: f"J12E{n:011d}")
    title = factory.Faker("sentence", nb_words=8, locale="it_IT")
    theme = "Inclusione sociale e salute"
    cycle = "Ciclo di programmazione 2014-2020"
    state = "In corso"
