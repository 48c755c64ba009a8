"""The header, static links and footer of every page (`site_chrome` tags in base.html): the section
marked current, the account links of anonymous and signed-in people, the language links carrying
the current path and query (URL-encoded, then escaped), both languages; and the same markup the
template gave before the tags built it."""

import re
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
from django.template import engines
from django.test import Client
from django.urls import reverse
from django.utils import translation

from monitora.opendata.tests.corpus import build_corpus

from .reports import make_rich_report

pytestmark = pytest.mark.django_db

# The chrome of base.html as a template, before the tags: what they must still give, byte for byte.
TEMPLATE_CHROME = """{% load i18n static %}{% get_current_language as LANGUAGE_CODE %}\
<link rel="icon" href="{% static 'favicon.svg' %}" type="image/svg+xml">
  <link rel="stylesheet" href="{% static 'css/monitora.css' %}">
  <link rel="stylesheet" href="{% static 'css/print.css' %}" media="print">
  <script src="{% static 'vendor/htmx.org/htmx.min.js' %}" defer></script>
  <script src="{% static 'js/monitora.js' %}" defer></script>|<a class="skip-link" href="#main">{% trans "Vai al contenuto" %}</a>
  <header class="site-header">
    <a class="brand" href="{% url 'public:home' %}">Monitora</a>
    <nav aria-label="{% trans 'Navigazione principale' %}">
      <ul>
        <li><a href="{% url 'public:home' %}"{% if request.resolver_match.url_name == "home" %} aria-current="page"{% endif %}>{% trans "Inizio" %}</a></li>
        <li><a href="{% url 'public:report_list' %}"{% if request.resolver_match.url_name == "report_list" %} aria-current="page"{% endif %}>{% trans "Report" %}</a></li>
        <li><a href="{% url 'catalogue:search' %}"{% if request.resolver_match.app_name == "catalogue" %} aria-current="page"{% endif %}>{% trans "Progetti" %}</a></li>
        <li><a href="{% url 'search:reports' %}"{% if request.resolver_match.url_name == "reports" %} aria-current="page"{% endif %}>{% trans "Cerca" %}</a></li>
        <li><a href="{% url 'stats:statistics' %}"{% if request.resolver_match.url_name == "statistics" %} aria-current="page"{% endif %}>{% trans "Statistiche" %}</a></li>
        <li><a href="{% url 'opendata:index' %}"{% if request.resolver_match.app_name == "opendata" %} aria-current="page"{% endif %}>{% trans "Open data" %}</a></li>
        {% include "accounts/_nav.html" %}
      </ul>
    </nav>
    <nav class="lang-switch" aria-label="{% trans 'Cambia lingua' %}">
      <span>{% trans "Lingua" %}:</span>
      <ul>{% get_available_languages as LANGUAGES %}{% get_language_info_list for LANGUAGES as languages %}{% for language in languages %}
        <li><a href="{% url 'public:language' language.code %}?next={{ request.get_full_path|urlencode }}" lang="{{ language.code }}" hreflang="{{ language.code }}"{% if language.code == LANGUAGE_CODE %} aria-current="true"{% endif %}>{{ language.name_local|capfirst }}</a></li>{% endfor %}
      </ul>
    </nav>
  </header>|<footer class="site-footer">
    <p><a href="{% url 'public:privacy' %}">{% trans "Privacy" %}</a> · <a href="{% url 'opendata:index' %}">{% trans "Open data" %}</a></p>
    <p>{% blocktrans trimmed %}I report sono pubblicati con licenza CC BY-SA 4.0. Dati dei progetti: OpenCoesione – Presidenza del Consiglio dei Ministri, Dipartimento per le politiche di coesione (CC BY 4.0).{% endblocktrans %}</p>
  </footer>"""  # noqa: E501
TAGS_CHROME = "{% load site_chrome %}{% static_links %}|{% site_header %}|{% site_footer %}"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
HOSTILE_QUERY = "?q=%22%3E%3Cscript%3Ealert(1)%3C/script%3E&x=a%26b%3Dc&y=%E2%82%AC+z&z='\"<>"


class Links(HTMLParser):
    """(href, attributes, text) of every link inside `<nav aria-label=label>`."""

    def __init__(self, label: str) -> None:
        super().__init__()
        self.label, self.inside, self.links, self.current = label, False, [], None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "nav":
            self.inside = names.get("aria-label") == self.label
        elif tag in ("a", "button") and self.inside:
            self.current = [names.get("href"), names, ""]
            self.links.append(self.current)

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav":
            self.inside = False
        elif tag in ("a", "button"):
            self.current = None

    def handle_data(self, data: str) -> None:
        if self.current is not None:
            self.current[2] += data


def nav_links(html: str, label: str) -> list[list]:
    parser = Links(label)
    parser.feed(html)
    return parser.links


def section_urls(project_code: str) -> dict[str, str | None]:
    """A page of each section (and pages of none) -> the link marked current on it."""
    return {
        reverse("public:home"): reverse("public:home"),
        reverse("public:report_list"): reverse("public:report_list"),
        reverse("public:report_list") + "?page=1": reverse("public:report_list"),
        reverse("catalogue:search"): reverse("catalogue:search"),
        reverse("search:reports") + "?q=scuola": reverse("search:reports"),
        reverse("stats:statistics"): reverse("stats:statistics"),
        reverse("opendata:index"): reverse("opendata:index"),
        reverse("opendata:dictionary"): reverse("opendata:index"),
        reverse("public:privacy"): None,
        reverse("public:project_detail", args=[project_code]): None,
        "/questa-pagina-non-esiste/": None,
    }


def test_the_current_section_is_marked_in_both_languages(client):
    corpus = build_corpus()
    make_rich_report(project=corpus.project)
    for language, label in (("it", "Navigazione principale"), ("en", "Main navigation")):
        client.cookies["django_language"] = language
        for url, current in section_urls(corpus.project.code).items():
            links = nav_links(client.get(url).text, label)
            assert len(links) == 8, (language, url)  # six sections, log in, sign up
            marked = [href for href, attrs, _text in links if attrs.get("aria-current") == "page"]
            assert marked == ([current] if current else []), (language, url)


def test_anonymous_signed_in_and_editor_account_links(client, django_user_model, editor):
    person = django_user_model.objects.create_user(username="persona", email="p@example.org")
    cases = (
        (None, ["Accedi", "Registrati"]),
        (person, ["La mia area", "Profilo", "Esci"]),
        (editor, ["La mia area", "Redazione", "Profilo", "Esci"]),
    )
    for user, expected in cases:
        signed = Client()
        if user is not None:
            signed.force_login(user)
        for url in (reverse("public:home"), reverse("public:report_list")):
            html = signed.get(url).text
            texts = [text.strip() for _href, _attrs, text in nav_links(html, "Navigazione principale")]
            assert texts[6:] == expected, (user, url)
            # The logout form carries the visitor's own token; no page of an anonymous one has a form.
            assert ('name="csrfmiddlewaretoken"' in html) == (user is not None), (user, url)
    english = Client()
    english.cookies["django_language"] = "en"
    english.force_login(editor)
    texts = [t.strip() for _h, _a, t in nav_links(english.get("/").text, "Main navigation")]
    assert texts[6:] == ["My area", "Editors", "Profile", "Log out"]


@pytest.mark.parametrize("language", ["it", "en"])
def test_language_links_carry_the_path_and_a_hostile_query_encoded_and_escaped(client, language):
    client.cookies["django_language"] = language
    url = reverse("public:report_list") + HOSTILE_QUERY
    response = client.get(url)
    full_path = response.wsgi_request.get_full_path()
    label = "Cambia lingua" if language == "it" else "Change language"
    links = nav_links(response.text, label)
    assert [attrs["hreflang"] for _h, attrs, _t in links] == ["it", "en"]
    assert [t for _h, _a, t in links] == ["Italiano", "English"]
    assert [attrs.get("aria-current") for _h, attrs, _t in links] == [
        "true" if language == "it" else None,
        "true" if language == "en" else None,
    ]
    for href, _attrs, _text in links:
        assert href.endswith("?next=" + quote(full_path)), href
    header = response.text.split('<nav class="lang-switch"')[1].split("</nav>")[0]
    assert "<script" not in header and "'" not in header and "%22%3E" not in header
    # Followed, each link comes back to the very page, query and all.
    switch = client.get(links[1][0])
    assert switch.status_code == 302 and switch["Location"] == full_path


def test_the_tags_give_what_the_template_gave(client, django_user_model, editor):
    """Byte for byte, for anonymous, signed-in and editor visitors, each section, a hostile query
    and both languages (the logout form's token aside, which is new on every render)."""
    corpus = build_corpus()
    make_rich_report(project=corpus.project)
    person = django_user_model.objects.create_user(username="persona", email="p@example.org")
    before, after = (engines["django"].from_string(t) for t in (TEMPLATE_CHROME, TAGS_CHROME))
    urls = [*section_urls(corpus.project.code), reverse("public:report_list") + HOSTILE_QUERY]
    for user in (None, person, editor):
        visitor = Client()
        if user is not None:
            visitor.force_login(user)
        for language in ("it", "en"):
            visitor.cookies["django_language"] = language
            for url in urls:
                request = visitor.get(url).wsgi_request
                with translation.override(language):
                    old, new = (CSRF.sub("token", t.render(None, request)) for t in (before, after))
                assert old == new, (user, language, url)
