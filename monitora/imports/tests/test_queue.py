"""The editors' data-quality queue, role by role, and what each decision writes."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from monitora.accounts.tests.factories import MembershipFactory, UserFactory
from monitora.catalogue.models import Territory
from monitora.catalogue.tests.factories import ProjectFactory, TerritoryFactory
from monitora.core.models import AuditLog
from monitora.core.permissions import can
from monitora.imports.legacy.services import legacy_csv_import
from monitora.imports.models import NoteKind, NoteStatus, QualityNote
from monitora.reports.models import Report

from .test_import_errors import sample, write_csv

pytestmark = pytest.mark.django_db

PROSE = "il video non si vede su youtube"


@pytest.fixture
def imported(tmp_path):
    """Three archive records: a longitude out of range, prose in the blog link, one clean."""
    header, rows = sample()
    rows = rows[:3]
    rows[0][header.index("lon_")] = "376.229"
    rows[1][header.index("link_blog")] = PROSE
    legacy_csv_import(path=write_csv(tmp_path / "archivio.csv", header, rows))
    ids = [row[header.index("ID_Monithon2")] for row in rows]
    return [Report.objects.get(legacy_id=legacy_id) for legacy_id in ids]


def note_of(report: Report) -> QualityNote:
    return report.quality_notes.get()


@pytest.fixture
def people(imported):
    author = MembershipFactory(team=imported[0].team).user
    return {"anonymous": AnonymousUser(), "author": author, "registered": UserFactory()}


def test_only_editors_may_review(people, editor, imported):
    note = note_of(imported[0])
    for role in ("anonymous", "author", "registered"):
        assert not can(people[role], "imports.review", note), role
    assert can(editor, "imports.review", note)


def test_queue_role_by_role(client, people, editor):
    url = reverse("imports:queue")
    assert client.get(url).status_code == 302  # anonymous: to the login page
    client.force_login(people["author"])
    assert client.get(url).status_code == 403
    client.force_login(editor)
    assert client.get(url).status_code == 200


def test_editor_sees_reports_with_notes_and_their_original_values(client, editor, imported):
    client.force_login(editor)
    page = client.get(reverse("imports:queue")).content.decode()
    assert imported[0].title in page and imported[1].title in page
    assert imported[2].title not in page  # no notes
    assert "376.229" in page and "fuori intervallo" in page and PROSE in page
    assert "lon_" in page and "link_blog" in page
    only_urls = client.get(reverse("imports:queue"), {"tipo": NoteKind.NOT_A_URL}).content.decode()
    assert imported[1].title in only_urls and imported[0].title not in only_urls


def test_region_and_import_run_filters(client, editor, imported):
    region = TerritoryFactory(kind=Territory.Kind.REGION, code="13", name="Abruzzo")
    comune = TerritoryFactory(kind=Territory.Kind.MUNICIPALITY, code="068028", name="Pescara")
    comune.parent = TerritoryFactory(kind=Territory.Kind.PROVINCE, code="068", name="Pescara", parent=region)
    comune.save()
    project = ProjectFactory()
    project.territories.add(comune)
    Report.objects.filter(pk=imported[1].pk).update(project=project)
    client.force_login(editor)
    page = client.get(reverse("imports:queue"), {"regione": "13"}).content.decode()
    assert imported[1].title in page and imported[0].title not in page
    run = note_of(imported[0]).import_run
    page = client.get(reverse("imports:queue"), {"importazione": run.pk}).content.decode()
    assert imported[0].title in page and imported[1].title in page
    page = client.get(reverse("imports:queue"), {"importazione": run.pk + 1}).content.decode()
    assert imported[0].title not in page


def test_accept_is_editors_only_and_audited(client, people, editor, imported):
    note = note_of(imported[1])
    url = reverse("imports:note_accept", args=[note.pk])
    client.force_login(people["author"])
    assert client.post(url).status_code == 403
    client.force_login(editor)
    assert client.post(url).status_code == 302
    note.refresh_from_db()
    assert (note.status, note.resolved_by) == (NoteStatus.ACCEPTED, editor)
    entry = AuditLog.objects.get(action="quality_note.accepted")
    assert entry.actor == editor and entry.data["column"] == "link_blog"


def test_correct_goes_through_the_audited_edit_path(client, people, editor, imported):
    report = imported[0]
    note = note_of(report)
    url = reverse("imports:note_correct", args=[note.pk])
    client.force_login(people["author"])
    assert client.post(url, {"value": "13.7"}).status_code == 403
    client.force_login(editor)
    client.post(url, {"value": "999"})  # still out of range: refused with the importer's reason
    note.refresh_from_db()
    assert note.status == NoteStatus.OPEN
    assert Report.objects.get(pk=report.pk).longitude is None
    client.post(url, {"value": "13.7"})
    note.refresh_from_db()
    fresh = Report.objects.get(pk=report.pk)
    assert (note.status, note.corrected_value, fresh.longitude) == (NoteStatus.CORRECTED, "13.7", 13.7)
    assert fresh.lock_version == report.lock_version + 1
    assert AuditLog.objects.filter(action="report.corrected", object_id=str(report.pk), actor=editor).exists()
    assert AuditLog.objects.get(action="quality_note.corrected").data == {
        "report": report.pk,
        "column": "lon_",
        "from": "376.229",
        "to": "13.7",
    }
    assert fresh.raw_record.cells["lon_"] == "376.229"  # the source stays as it was


def test_public_page_shows_nothing_of_the_notes_only_corrected_values(client, editor, imported):
    report = imported[1]
    detail = reverse("public:report_detail", args=[report.pk])
    page = client.get(detail).content.decode()
    assert PROSE not in page and "link_blog" not in page and "qualità" not in page.lower()
    client.force_login(editor)
    client.post(
        reverse("imports:note_correct", args=[note_of(report).pk]), {"value": "https://example.org/blog"}
    )
    client.logout()
    page = client.get(detail).content.decode()
    assert "https://example.org/blog" in page and PROSE not in page


def test_admin_lists_notes_read_only(client, imported):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get(reverse("admin:imports_qualitynote_changelist"))
    assert page.status_code == 200 and "lon_" in page.content.decode()
    assert client.get(reverse("admin:imports_importrun_changelist")).status_code == 200


def test_queue_pages_keep_the_filters_and_an_old_page_shows_the_last(client, editor, imported, monkeypatch):
    """The queue pages with the shared page arithmetic (core.pagination), like every other list."""
    monkeypatch.setattr("monitora.imports.views.PAGE_SIZE", 1)
    client.force_login(editor)
    url = reverse("imports:queue")
    first = client.get(url, {"tipo": ""}).content.decode()
    assert "Pagina 1 di 2" in first and "pagina=2" in first and "tipo=" in first
    second = client.get(url, {"pagina": "2"}).content.decode()
    assert "Pagina 2 di 2" in second and "pagina=1" in second
    titles = [r.title for r in imported[:2]]
    assert sum(t in first for t in titles) == 1 and sum(t in second for t in titles) == 1
    assert "Pagina 2 di 2" in client.get(url, {"pagina": "9"}).content.decode()
    assert client.get(url, {"pagina": "NaN"}).status_code == 400
