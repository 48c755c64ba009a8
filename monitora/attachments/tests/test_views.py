"""Serving and the upload panel: permissions per role, headers, CSRF, htmx behaviour."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from monitora.attachments.models import Attachment
from monitora.reports.models import ReportStatus
from monitora.reports.tests.factories import ReportFactory
from monitora.teams.models import Membership
from monitora.teams.tests.factories import TeamFactory

from . import files
from .factories import AttachmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    return ReportFactory(status=ReportStatus.DRAFT)


@pytest.fixture
def member(django_user_model, draft):
    user = django_user_model.objects.create_user(username="membro", password="pw-membro-1")
    Membership.objects.create(team=draft.team, user=user, role=Membership.Role.MEMBER)
    return user


@pytest.fixture
def outsider(django_user_model):
    user = django_user_model.objects.create_user(username="estraneo", password="pw-estraneo-1")
    Membership.objects.create(team=TeamFactory(), user=user, role=Membership.Role.OWNER)
    return user


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def file_url(attachment: Attachment) -> str:
    return reverse("attachments:file", args=[attachment.pk])


# --- serving -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 404), ("outsider", 404), ("inactive_member", 404), ("member", 200), ("editor", 200)],
)
def test_draft_attachment_only_for_team_and_editors(who, expected, draft, member, outsider, editor):
    if who == "inactive_member":
        member.is_active = False
        member.save()
    user = {"anonymous": None, "outsider": outsider, "member": member, "editor": editor}.get(who, member)
    attachment = AttachmentFactory(report=draft)
    response = client_for(user).get(file_url(attachment))
    assert response.status_code == expected
    thumb = client_for(user).get(reverse("attachments:thumbnail", args=[attachment.pk, 180]))
    assert thumb.status_code == expected


@pytest.mark.parametrize("status", [ReportStatus.SUBMITTED, ReportStatus.REJECTED, ReportStatus.IN_REVIEW])
def test_unpublished_states_stay_private(status):
    attachment = AttachmentFactory(report=ReportFactory(status=status))
    assert Client().get(file_url(attachment)).status_code == 404


def test_published_image_is_public_inline_with_safe_headers():
    attachment = AttachmentFactory(report=ReportFactory(published=True), name="ponte.jpg")
    response = Client().get(file_url(attachment))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Cache-Control"].startswith("public")
    body = b"".join(response.streaming_content)
    assert body[:3] == b"\xff\xd8\xff" and len(body) == attachment.size


def test_document_served_as_download():
    attachment = AttachmentFactory(report=ReportFactory(published=True), data=files.pdf(), name="bando.pdf")
    response = Client().get(file_url(attachment))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="bando.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_private_file_not_cacheable(draft, member):
    response = client_for(member).get(file_url(AttachmentFactory(report=draft)))
    assert response["Cache-Control"] == "private, no-store"


def test_thumbnail_sizes():
    attachment = AttachmentFactory(report=ReportFactory(published=True), data=files.png((1000, 500)))
    response = Client().get(reverse("attachments:thumbnail", args=[attachment.pk, 270]))
    assert response.status_code == 200 and response["Content-Type"] == "image/webp"
    assert Client().get(reverse("attachments:thumbnail", args=[attachment.pk, 271])).status_code == 404


def test_unknown_id_and_forbidden_id_look_the_same(draft):
    attachment = AttachmentFactory(report=draft)
    missing = Client().get(reverse("attachments:file", args=[attachment.pk + 1000]))
    forbidden = Client().get(file_url(attachment))
    assert missing.status_code == forbidden.status_code == 404


# --- panel -------------------------------------------------------------------------------


def panel_url(report) -> str:
    return reverse("attachments:panel", args=[report.pk])


def test_panel_requires_team_or_editor(draft, member, outsider, editor):
    assert Client().get(panel_url(draft)).status_code == 302  # to login
    assert client_for(outsider).get(panel_url(draft)).status_code == 404
    assert client_for(member).get(panel_url(draft)).status_code == 200
    assert client_for(editor).get(panel_url(draft)).status_code == 200


def test_team_cannot_change_attachments_once_submitted(member, editor, draft):
    draft.status = ReportStatus.SUBMITTED
    draft.save()
    upload = {"file": files.upload("a.png", files.png())}
    assert client_for(member).post(panel_url(draft), upload).status_code == 404
    assert (
        client_for(editor).post(panel_url(draft), {"file": files.upload("a.png", files.png())}).status_code
        == 302
    )


def test_htmx_upload_returns_panel_with_gps_event(draft, member):
    client = client_for(member)
    response = client.post(
        panel_url(draft),
        {
            "file": files.upload("cantiere.jpg", files.jpeg(gps=(files.GPS_LAT, files.GPS_LON))),
            "caption": "Cantiere",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert b'id="attachments-panel-' in response.content and b"<html" not in response.content
    assert "cantiere.jpg" in response.content.decode()
    event = json.loads(response["HX-Trigger"])["monitora:photo-location"]
    attachment = Attachment.objects.get()
    assert event == {
        "attachment": attachment.pk,
        "lat": attachment.gps_latitude,
        "lon": attachment.gps_longitude,
    }
    assert attachment.uploaded_by == member and attachment.caption == "Cantiere"


def test_upload_errors_are_shown_escaped(draft, member):
    response = client_for(member).post(
        panel_url(draft),
        {"file": files.upload("<img src=x onerror=alert(1)>.jpg", files.SHELL_SCRIPT)},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and 'role="alert"' in html
    assert "<img src=x" not in html and "non è un&#x27;immagine" in html
    assert not Attachment.objects.exists()


def test_plain_post_with_error_renders_full_page_400(draft, member):
    response = client_for(member).post(
        panel_url(draft), {"file": files.upload("s.svg", files.SVG_WITH_SCRIPT)}
    )
    assert response.status_code == 400 and b"<html" in response.content
    assert "SVG" in response.content.decode()


def test_oversized_upload_is_cut_off_by_handler(draft, member):
    big = files.upload("enorme.jpg", b"\xff\xd8\xff" + bytes(8 * 1024 * 1024))
    response = client_for(member).post(panel_url(draft), {"file": big}, headers={"HX-Request": "true"})
    assert "«enorme.jpg» supera il limite di 8 MB per file." in response.content.decode()
    assert not Attachment.objects.exists()


def test_upload_requires_csrf_token(draft, member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    response = client.post(panel_url(draft), {"file": files.upload("a.png", files.png())})
    assert response.status_code == 403
    assert not Attachment.objects.exists()
    page = client.get(panel_url(draft))
    token = page.cookies["csrftoken"].value
    ok = client.post(
        panel_url(draft), {"file": files.upload("a.png", files.png()), "csrfmiddlewaretoken": token}
    )
    assert ok.status_code == 302 and Attachment.objects.count() == 1


def test_delete_and_cover_views(draft, member, outsider):
    first = AttachmentFactory(report=draft, data=files.png((10, 10)))
    second = AttachmentFactory(report=draft, data=files.png((20, 10)))
    assert client_for(outsider).post(reverse("attachments:delete", args=[first.pk])).status_code == 404
    assert client_for(member).get(reverse("attachments:delete", args=[first.pk])).status_code == 405

    response = client_for(member).post(
        reverse("attachments:cover", args=[second.pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    second.refresh_from_db()
    assert second.is_cover

    response = client_for(member).post(reverse("attachments:delete", args=[first.pk]))
    assert response.status_code == 302
    assert list(Attachment.objects.all()) == [second]


# --- public media block ----------------------------------------------------------------------


def test_public_page_shows_materials_only_for_published_reports(client, editor):
    """The public "Materiali" block (public/presenters.report_materials), escaped, published only."""
    from monitora.attachments.links import source_link_add

    published = ReportFactory(published=True)
    draft = ReportFactory()
    for report in (published, draft):
        AttachmentFactory(report=report, caption="<script>alert(1)</script>")
        AttachmentFactory(report=report, data=files.pdf(), name="delibera.pdf")
        source_link_add(report=report, url="https://example.org/fonte", by=editor)

    html = client.get(reverse("public:report_detail", args=[published.pk])).content.decode()
    assert "Allegato 1: delibera.pdf" in html and "https://example.org/fonte" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html
    assert client.get(reverse("public:report_detail", args=[draft.pk])).status_code == 404


def test_admin_shows_escaped_name_and_checked_link(editor, django_user_model):
    admin = django_user_model.objects.create_superuser(username="admin", password="pw-admin-1")
    attachment = AttachmentFactory(
        report=ReportFactory(), name='<img src=x onerror="alert(1)">.png', data=files.png()
    )
    client = client_for(admin)
    listing = client.get(reverse("admin:attachments_attachment_changelist")).content.decode()
    detail = client.get(reverse("admin:attachments_attachment_change", args=[attachment.pk])).content.decode()
    for html in (listing, detail):
        assert "<img src=x" not in html
    assert file_url(attachment) in detail and attachment.file.name not in detail


def test_panel_tag_for_other_pages(draft, member):
    from django.middleware.csrf import get_token
    from django.template import RequestContext, Template
    from django.test import RequestFactory

    AttachmentFactory(report=draft, caption="Facciata")
    request = RequestFactory().get("/")
    request.user = member
    get_token(request)
    html = Template("{% load attachments %}{% attachments_panel report %}").render(
        RequestContext(request, {"report": draft})
    )
    assert 'name="csrfmiddlewaretoken"' in html and "Facciata" in html
    assert f'hx-post="{reverse("attachments:panel", args=[draft.pk])}"' in html


def test_plain_post_returns_to_safe_next_only(draft, member):
    client = client_for(member)
    back = client.post(
        panel_url(draft), {"file": files.upload("a.png", files.png()), "next": "/report/1/modifica/?passo=2"}
    )
    assert back.status_code == 302 and back["Location"] == "/report/1/modifica/?passo=2"
    evil = client.post(
        panel_url(draft), {"file": files.upload("b.png", files.png((5, 5))), "next": "https://evil.example/"}
    )
    assert evil["Location"] == panel_url(draft)


def test_panel_tag_hides_links_unless_asked(draft, member):
    from django.template import RequestContext, Template
    from django.test import RequestFactory

    request = RequestFactory().get("/report/9/modifica/?passo=2")
    request.user = member
    render = lambda src: Template(src).render(RequestContext(request, {"report": draft}))  # noqa: E731
    without = render("{% load attachments %}{% attachments_panel report %}")
    assert 'name="url"' not in without
    assert 'name="next" value="/report/9/modifica/?passo=2"' in without
    assert 'name="url"' in render("{% load attachments %}{% attachments_panel report links=True %}")


def test_guided_form_step_2_embeds_the_panel_and_uploads_come_back(draft, member):
    client = client_for(member)
    edit = reverse("authoring:report_edit", args=[draft.pk])
    step1 = client.get(edit).content.decode()
    assert "attachments-panel-" not in step1
    step2 = client.get(edit + "?passo=2").content.decode()
    assert f'id="attachments-panel-{draft.pk}"' in step2
    assert f'name="next" value="{edit}?passo=2"' in step2
    # The panel's forms sit outside the report form (no nested forms).
    report_form_end = step2.index("</form>", step2.index('id="report-form"'))
    assert step2.index(f'id="attachments-panel-{draft.pk}"') > report_form_end
    back = client.post(
        panel_url(draft), {"file": files.upload("a.png", files.png()), "next": edit + "?passo=2"}
    )
    assert back["Location"] == edit + "?passo=2"
