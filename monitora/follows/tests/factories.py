import factory

from monitora.accounts.tests.factories import UserFactory
from monitora.follows.models import Delivery, Follow


class FollowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Follow

    user = factory.SubFactory(UserFactory)
    kind = Follow.Kind.PROJECT
    target = factory.Sequence(lambda n: f"1TEST{n:05d}")
    label = factory.LazyAttribute(lambda f: f.target)
    delivery = Delivery.IMMEDIATE
