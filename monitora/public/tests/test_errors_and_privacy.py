"""Issue 13: custom 404 and 500 pages in the site's layout; the privacy notice and its links."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from monitora.reports.models import ReportStatus
from monitora.reports.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


def test_404_page_is_in_the_sites_layout_and_language(client):
    hidden = ReportFactory(status=ReportStatus.DRAFT)
    for url in ("/non-esiste/", reverse("public:report_detail", args=[hidden.pk])):
        response = client.get(url)
        assert response.status_code == 404
        assert "404.html" in [t.name for t in response.templates]
        html = response.content.decode()
        assert '<html lang="it">' in html and "Pagina non trovata" in html
        assert 'class="site-header"' in html and reverse("search:reports") in html
    response = client.get("/non-esiste/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404 and '<html lang="en">' in response.content.decode()


@pytest.mark.urls("monitora.public.tests.error_urls")
def test_500_page_is_in_the_sites_layout_and_language():
    client = Client(raise_request_exception=False)
    response = client.get("/test-errore/")
    assert response.status_code == 500
    html = response.content.decode()
    assert '<html lang="it">' in html and "Qualcosa non ha funzionato" in html
    assert "css/monitora.css" in html and 'class="site-header"' in html
    assert "RuntimeError" not in html
    response = client.get("/test-errore/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 500 and '<html lang="en">' in response.content.decode()


def test_privacy_notice_says_what_why_how_long_rights_and_contact(client, settings):
    settings.DEFAULT_FROM_EMAIL = "Monitora <redazione@monitora.example.org>"
    settings.PRIVACY_CONTROLLER = ""
    settings.PRIVACY_CONTACT_EMAIL = ""
    html = client.get(reverse("public:privacy")).content.decode()
    for heading in (
        "Chi tratta i dati e come contattarlo",
        "Quali dati raccogliamo",
        "Perché li trattiamo",
        "Per quanto tempo",
        "I tuoi diritti",
    ):
        assert heading in html
    assert 'href="mailto:redazione@monitora.example.org"' in html  # the sender's address by default
    assert "Titolare del trattamento" not in html
    settings.PRIVACY_CONTROLLER = "Associazione Monithon"
    settings.PRIVACY_CONTACT_EMAIL = "privacy@monitora.example.org"
    html = client.get(reverse("public:privacy")).content.decode()
    assert "Titolare del trattamento: Associazione Monithon." in html
    assert 'href="mailto:privacy@monitora.example.org"' in html
    assert reverse("accounts:delete") in html


def test_privacy_notice_is_linked_from_the_footer_and_from_sign_up(client):
    privacy = reverse("public:privacy")
    for url in (reverse("public:home"), reverse("account_login"), reverse("search:reports")):
        assert f'href="{privacy}"' in client.get(url).content.decode(), url
    signup = client.get(reverse("account_signup")).content.decode()
    assert signup.count(f'href="{privacy}"') == 2  # next to the checkbox, and in the footer
    assert re.search(r'<input type="checkbox" name="privacy"[^>]* required', signup)


def test_403_and_csrf_pages_are_in_the_sites_layout(client):
    from monitora.accounts.tests.factories import UserFactory

    client.force_login(UserFactory())
    response = client.get(reverse("moderation:queue"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "Accesso non consentito" in html and 'class="site-header"' in html
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("account_login"), {"login": "a@example.org", "password": "x"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Modulo scaduto" in html and 'class="site-header"' in html
