import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def italian():
    """Labels are asserted in Italian; a previous request may have left English active."""
    with translation.override("it"):
        yield
