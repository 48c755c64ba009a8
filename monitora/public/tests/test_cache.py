"""Public pages are cacheable for anonymous visitors and the cache follows every change (issue 14).

Every change goes through the real services, with the on-commit hooks run: what the next anonymous
visitor sees must be the new state, although the page was cached just before.
"""

import pytest
from django.urls import reverse

from monitora.accounts.services import representative_verify
from monitora.conftest import COMPLETE, make_report
from monitora.reports import services
from monitora.search.services import report_search_index

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(roles, project):
    report = make_report(roles.team, status="published", project=project, title="Piazza dei Sassi")
    report_search_index(report)
    return report


def public_urls(report) -> dict[str, str]:
    return {
        "home": reverse("public:home"),
        "report list": reverse("public:report_list"),
        "report page": reverse("public:report_detail", args=[report.pk]),
        "project page": reverse("public:project_detail", args=[report.project.code]),
        "search": reverse("search:reports") + "?q=piazza",
        "map points": reverse("search:map_points"),
        "map regions": reverse("search:map_regions"),
        "statistics": reverse("stats:statistics"),
        "statistics csv": reverse("stats:csv", args=["per-regione"]),
        "project search": reverse("catalogue:search") + "?q=sassi",
        "feed": reverse("opendata:feed_all"),
        "open data": reverse("opendata:index"),
        "data dictionary": reverse("opendata:dictionary"),
        "datapackage": reverse("opendata:datapackage"),
    }


def test_anonymous_public_pages_set_no_cookie_and_are_shareable(client, page_cache, published):
    for name, url in public_urls(published).items():
        first = client.get(url)
        assert first.status_code == 200, name
        assert not first.cookies, f"{name} sets {list(first.cookies)}"
        assert "csrfmiddlewaretoken" not in first.content.decode(), name
        cache_control = first["Cache-Control"]
        assert "public" in cache_control and "s-maxage=" in cache_control, name
        vary = {v.strip().lower() for v in first["Vary"].split(",")}
        assert {"cookie", "accept-language"} <= vary, name
        again = client.get(url, headers={"if-none-match": first["ETag"]})
        assert again.status_code == 304, name
        assert again["ETag"] == first["ETag"] and not again.content, name
        since = client.get(url, headers={"if-modified-since": first["Last-Modified"]})
        assert since.status_code == 304, name


def test_the_language_switch_is_a_link_and_languages_are_cached_apart(client, page_cache, published):
    url = reverse("public:report_list")
    italian = client.get(url)
    assert "Report pubblicati" in italian.text and not italian.cookies
    switch = client.get(reverse("public:language", args=["en"]), {"next": url})
    assert switch.status_code == 302 and switch["Location"] == url
    assert switch.cookies["django_language"].value == "en"
    assert "no-store" in switch["Cache-Control"]
    english = client.get(url)
    assert "Published reports" in english.text and english["ETag"] != italian["ETag"]
    assert client.get(reverse("public:language", args=["xx"])).status_code == 404
    elsewhere = client.get(reverse("public:language", args=["it"]), {"next": "https://evil.example/"})
    assert elsewhere["Location"] == "/"


def test_signed_in_users_get_private_fresh_pages(client, page_cache, roles, published):
    url = reverse("public:report_detail", args=[published.pk])
    client.get(url)  # an anonymous copy is in the cache
    client.force_login(roles.member)
    page = client.get(url)
    assert "private" in page["Cache-Control"] and "public" not in page["Cache-Control"]
    assert "La mia area" in page.text  # their own menu, not the anonymous copy


def _hooks(capture):
    return capture(execute=True)


@pytest.mark.parametrize("whole_pages", [True, False], ids=["page cache", "fragments only"])
def test_each_change_shows_on_the_next_anonymous_visit(
    client, page_cache, settings, whole_pages, roles, project, django_capture_on_commit_callbacks
):
    # Without the page cache every visit renders, but the report's article still comes from the
    # fragment cache (`core.fragments`), which must follow the same changes.
    settings.PAGE_CACHE_ENABLED = whole_pages
    report = make_report(roles.team, status="in_review", project=project, title="Ponte sul Basento")
    detail = reverse("public:report_detail", args=[report.pk])
    listing, search = reverse("public:report_list"), reverse("search:reports") + "?q=basento"
    assert "Ponte sul Basento" not in client.get(listing).text
    assert client.get(detail).status_code == 404
    assert "Ponte sul Basento" not in client.get(search).text

    with _hooks(django_capture_on_commit_callbacks):  # publish
        services.report_publish(report=report, by=roles.editor, expected_lock_version=report.lock_version)
    assert "Ponte sul Basento" in client.get(listing).text
    assert "Ponte sul Basento" in client.get(search).text
    assert client.get(detail).status_code == 200

    answers = {**COMPLETE, "avanzamento": "Cantiere fermo da aprile"}  # edit: an approved revision
    revision = services.revision_propose(report=report, by=roles.member, fields={}, raw_answers=answers)
    assert "Cantiere fermo da aprile" not in client.get(detail).text
    with _hooks(django_capture_on_commit_callbacks):
        report.refresh_from_db()
        services.revision_approve(
            revision=revision, by=roles.editor, expected_lock_version=report.lock_version
        )
    assert "Cantiere fermo da aprile" in client.get(detail).text

    representative_verify(user=roles.registered, by=roles.editor, administration_name="Comune di Matera")
    roles.registered.refresh_from_db()
    with _hooks(django_capture_on_commit_callbacks):  # the right of reply
        reply = services.response_add(report=report, by=roles.registered, text="Riapriamo a giugno")
    assert "Riapriamo a giugno" in client.get(detail).text
    with _hooks(django_capture_on_commit_callbacks):
        services.response_hide(response=reply, by=roles.editor, reason="fuori tema")
    assert "Riapriamo a giugno" not in client.get(detail).text

    report.refresh_from_db()
    impact = {"impact_description": "Il ponte ha riaperto", "media_connection": True}
    with _hooks(django_capture_on_commit_callbacks):  # Step 3, published after review
        services.impact_save(
            report=report, by=roles.member, raw_answers=impact, expected_lock_version=report.lock_version
        )
        services.impact_submit(report=report, by=roles.member, expected_lock_version=report.lock_version)
    assert "Il ponte ha riaperto" not in client.get(detail).text
    with _hooks(django_capture_on_commit_callbacks):
        services.impact_publish(report=report, by=roles.editor, expected_lock_version=report.lock_version)
    assert "Il ponte ha riaperto" in client.get(detail).text

    with _hooks(django_capture_on_commit_callbacks):  # unpublish
        services.report_unpublish(
            report=report, by=roles.editor, expected_lock_version=report.lock_version, reason="Dati errati"
        )
    assert client.get(detail).status_code == 404
    assert "Ponte sul Basento" not in client.get(listing).text
    assert "Ponte sul Basento" not in client.get(search).text


def test_a_report_page_drops_a_withdrawn_report_it_linked(
    client, page_cache, roles, published, django_capture_on_commit_callbacks
):
    """A report page lists the other reports on its project: publishing one shows it there at the
    next anonymous visit, withdrawing it removes it (a cached page must not keep its title)."""
    other = make_report(roles.team, status="in_review", project=published.project, title="Scuola Pascoli")
    url = reverse("public:report_detail", args=[published.pk])
    assert "Scuola Pascoli" not in client.get(url).text
    with _hooks(django_capture_on_commit_callbacks):
        services.report_publish(report=other, by=roles.editor, expected_lock_version=other.lock_version)
    assert "Scuola Pascoli" in client.get(url).text
    other.refresh_from_db()
    with _hooks(django_capture_on_commit_callbacks):
        services.report_unpublish(
            report=other, by=roles.editor, expected_lock_version=other.lock_version, reason="Dati errati"
        )
    assert "Scuola Pascoli" not in client.get(url).text


def test_errors_and_bad_queries_are_not_cached(client, page_cache, published):
    bad = client.get(reverse("search:reports"), {"ordine": "a-caso"})
    assert bad.status_code == 400 and "private" in bad["Cache-Control"]
    assert client.get(reverse("public:report_detail", args=[published.pk + 999])).status_code == 404


def test_a_change_made_by_another_server_shows_within_the_local_window(
    client, page_cache, settings, roles, published, monkeypatch
):
    """Another app server bumps the shared counter only; this process re-reads it after the window."""
    from monitora.core import pagecache
    from monitora.reports.changes import REPORTS_SCOPE

    settings.PAGE_CACHE_LOCAL_SECONDS = 5
    clock = [1000.0]
    monkeypatch.setattr(pagecache.time, "monotonic", lambda: clock[0])
    url = reverse("public:report_list")
    assert "Piazza dei Sassi" in client.get(url).text
    type(published).objects.filter(pk=published.pk).update(title="Piazza San Pietro Caveoso")
    page_cache.incr(pagecache.GENERATION_PREFIX + REPORTS_SCOPE)  # what `bump` does on the other server
    assert "Piazza dei Sassi" in client.get(url).text  # inside the window: this process's copy
    clock[0] += 5.1
    assert "Piazza San Pietro Caveoso" in client.get(url).text
    settings.PAGE_CACHE_LOCAL_SECONDS = 0  # no window: every request checks the shared counters
    type(published).objects.filter(pk=published.pk).update(title="Piazza del Duomo")
    page_cache.incr(pagecache.GENERATION_PREFIX + REPORTS_SCOPE)
    assert "Piazza del Duomo" in client.get(url).text


def test_while_a_changed_page_renders_concurrent_visitors_get_the_previous_version(
    client, page_cache, roles, published, rf, django_capture_on_commit_callbacks
):
    from django.utils import translation

    from monitora.core import pagecache

    url = reverse("public:report_detail", args=[published.pk])
    assert "Piazza dei Sassi" in client.get(url).text
    type(published).objects.filter(pk=published.pk).update(title="Piazza Vittorio Veneto")
    with django_capture_on_commit_callbacks(execute=True):
        from monitora.reports.changes import reports_changed

        reports_changed([published.pk], reason="test")
    with translation.override("it"):
        lock = pagecache.page_key(rf.get(url)) + pagecache.LOCK_SUFFIX
    page_cache.add(lock, 1)  # another worker is rendering the new version right now
    stale = client.get(url)
    assert "Piazza dei Sassi" in stale.text and "max-age=0" in stale["Cache-Control"]
    page_cache.delete(lock)  # it finished (here: it crashed; the next visitor renders)
    fresh = client.get(url)
    assert "Piazza Vittorio Veneto" in fresh.text and "max-age=60" in fresh["Cache-Control"]
