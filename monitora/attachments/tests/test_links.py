import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from monitora.attachments.links import (
    report_link_add,
    report_link_delete,
    source_link_add,
    video_embed_url,
    video_link_add,
)
from monitora.attachments.selectors import report_video_links
from monitora.core.models import AuditLog
from monitora.reports.models import ReportLink
from monitora.reports.tests.factories import ReportFactory
from monitora.teams.models import Membership


@pytest.mark.parametrize(
    ("url", "embed"),
    [
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        ("https://youtu.be/dQw4w9WgXcQ?si=abc", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://m.youtube.com/shorts/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://www.youtube.com/embed/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871"),
        ("https://vimeo.com/76979871/abcdef1234", "https://player.vimeo.com/video/76979871?h=abcdef1234"),
        ("https://player.vimeo.com/video/76979871", "https://player.vimeo.com/video/76979871"),
        ("https://www.youtube.com/watch?v=bad", None),
        ('https://www.youtube.com/watch?v=dQw4w9WgXcQ"><script>', None),
        ("https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ", None),
        ("https://evil.example/?u=https://youtu.be/dQw4w9WgXcQ", None),
        ("javascript://youtu.be/dQw4w9WgXcQ", None),
        ("https://www.dailymotion.com/video/x7tgad0", None),
    ],
)
def test_video_embed_recognition(url, embed):
    assert video_embed_url(url) == embed


@pytest.mark.django_db
class TestLinkServices:
    @pytest.fixture
    def report(self):
        return ReportFactory()

    def test_source_and_video_added_and_audited(self, report, editor):
        source = source_link_add(report=report, url=" https://opencoesione.gov.it/it/progetti/1 ", by=editor)
        video = video_link_add(report=report, url="https://youtu.be/dQw4w9WgXcQ", title="Visita", by=editor)
        assert (source.kind, source.url, source.position) == (
            "source",
            "https://opencoesione.gov.it/it/progetti/1",
            1,
        )
        assert (video.kind, video.title) == ("video", "Visita")
        [item] = report_video_links(report=report)
        assert item.embed_url == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
        assert AuditLog.objects.filter(action="report_link.created", actor=editor).count() == 2

        report_link_delete(link=source, by=editor)
        assert not ReportLink.objects.filter(pk=source.pk).exists()
        assert AuditLog.objects.filter(action="report_link.deleted").count() == 1

    def test_other_video_sites_kept_as_plain_links(self, report):
        video_link_add(report=report, url="https://www.dailymotion.com/video/x7tgad0", by=None)
        [item] = report_video_links(report=report)
        assert item.embed_url is None

    @pytest.mark.parametrize(
        ("url", "code"),
        [
            ("javascript:alert(1)", "invalid_url"),
            ("data:text/html,<script>alert(1)</script>", "invalid_url"),
            ("ftp://example.org/file", "invalid_url"),
            ("file:///etc/passwd", "invalid_url"),
            ("www.example.org", "invalid_url"),
            ("https://user:secret@example.org/", "credentials_in_url"),
            ("https://example.org/" + "a" * 1000, "too_long"),
            ("", "required"),
        ],
    )
    def test_bad_urls_refused(self, report, url, code):
        with pytest.raises(ValidationError) as excinfo:
            source_link_add(report=report, url=url, by=None)
        assert excinfo.value.code == code
        assert not ReportLink.objects.exists()

    def test_duplicates_and_kinds(self, report):
        source_link_add(report=report, url="https://example.org/a", by=None)
        with pytest.raises(ValidationError) as excinfo:
            source_link_add(report=report, url="https://example.org/a", by=None)
        assert excinfo.value.code == "duplicate"
        with pytest.raises(ValidationError):
            report_link_add(
                report=report, kind=ReportLink.Kind.IMAGE, url="https://example.org/x.jpg", by=None
            )

    def test_link_views(self, report, django_user_model):
        member = django_user_model.objects.create_user(username="m", password="pw-m-12345")
        Membership.objects.create(team=report.team, user=member)
        client = Client()
        client.force_login(member)
        url = reverse("attachments:link_add", args=[report.pk])
        response = client.post(
            url, {"kind": "video", "url": "javascript:alert(1)"}, headers={"HX-Request": "true"}
        )
        assert response.status_code == 200 and "non è un indirizzo web valido" in response.content.decode()
        response = client.post(
            url, {"kind": "source", "url": "https://example.org/delibera", "title": "<b>x</b>"}
        )
        assert response.status_code == 302
        link = ReportLink.objects.get()
        page = client.get(reverse("attachments:panel", args=[report.pk])).content.decode()
        assert "&lt;b&gt;x&lt;/b&gt;" in page and "<b>x</b>" not in page
        assert Client().post(reverse("attachments:link_delete", args=[link.pk])).status_code == 302  # login
        assert client.post(reverse("attachments:link_delete", args=[link.pk])).status_code == 302
        assert not ReportLink.objects.exists()


@pytest.mark.django_db
def test_links_stored_by_other_paths_are_not_rendered_unless_http():
    from monitora.public.presenters import report_materials

    report = ReportFactory(published=True)
    ReportLink.objects.create(report=report, kind="source", url="javascript:alert(1)")
    ReportLink.objects.create(report=report, kind="video", url="JaVaScRiPt:alert(1)//youtu.be/dQw4w9WgXcQ")
    ReportLink.objects.create(report=report, kind="source", url="HTTPS://example.org/ok")
    materials = report_materials(report)
    assert [link.url for link in materials.sources] == ["HTTPS://example.org/ok"]
    assert materials.videos == []
