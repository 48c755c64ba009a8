import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from monitora.attachments.models import Attachment
from monitora.attachments.services import (
    attachment_create,
    attachment_delete,
    attachment_set_cover,
    attachment_update_caption,
    attachments_delete_for_report,
)
from monitora.attachments.storage import attachment_storage
from monitora.core.models import AuditLog
from monitora.reports.tests.factories import ReportFactory

from . import files
from .factories import AttachmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def report():
    return ReportFactory()


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user(username="autrice", password="pw-autrice-1")


def test_photo_with_gps_stored_stripped_under_random_name(report, user):
    attachment = attachment_create(
        report=report,
        uploaded_file=files.upload("../../etc/passwd.jpg", files.jpeg(gps=(files.GPS_LAT, files.GPS_LON))),
        by=user,
        caption="  Il cantiere  ",
    )

    assert attachment.kind == "image" and attachment.is_cover
    assert (attachment.gps_latitude, attachment.gps_longitude) == pytest.approx(
        (files.GPS_LAT, files.GPS_LON), abs=1e-5
    )
    assert attachment.original_name == "passwd.jpg" and attachment.caption == "Il cantiere"
    assert "passwd" not in attachment.file.name and ".." not in attachment.file.name
    assert len(attachment.file.name.split("/")[-1]) >= 32
    storage = attachment_storage()
    with storage.open(attachment.file.name) as handle:
        stored = handle.read()
    assert len(stored) == attachment.size
    assert b"MonitoraCam" not in stored and b"Exif" not in stored
    assert not Image.open(io.BytesIO(stored)).getexif()
    assert set(attachment.thumbnails) == {"270", "180", "90"}
    assert all(storage.exists(name) for name in attachment.thumbnails.values())
    entry = AuditLog.objects.get(action="attachment.created")
    assert entry.actor == user and entry.object_id == str(attachment.pk)
    assert entry.data["report"] == report.pk and entry.data["had_gps"] is True


def test_document_kept_byte_for_byte(report, user):
    attachment = AttachmentFactory(report=report, data=files.pdf(), name="delibera.pdf", by=user)
    assert attachment.kind == "document" and not attachment.is_cover
    with attachment_storage().open(attachment.file.name) as handle:
        assert handle.read() == files.pdf()
    assert attachment.thumbnails == {}


def stored_files() -> set[str]:
    storage = attachment_storage()
    directories, names = storage.listdir("")
    found = set(names)
    for directory in directories:
        found.update(f"{directory}/{name}" for name in storage.listdir(directory)[1])
    return found


def test_refused_file_leaves_nothing(report, user):
    before = stored_files()
    with pytest.raises(ValidationError):
        attachment_create(report=report, uploaded_file=files.upload("x.jpg", files.SHELL_SCRIPT), by=user)
    assert not Attachment.objects.exists() and not AuditLog.objects.exists()
    assert stored_files() == before


def test_failure_after_storing_removes_stored_files(report, user, monkeypatch):
    def broken_log(*args, **kwargs):
        raise RuntimeError("audit table unavailable")

    monkeypatch.setattr("monitora.attachments.services.log_action", broken_log)
    before = stored_files()
    with pytest.raises(RuntimeError):
        attachment_create(report=report, uploaded_file=files.upload("a.jpg", files.jpeg()), by=user)
    assert not Attachment.objects.exists()
    assert stored_files() == before


def test_same_file_twice_refused_and_files_cleaned(report, user):
    first = AttachmentFactory(report=report, data=files.png(), name="a.png")
    with pytest.raises(ValidationError) as excinfo:
        AttachmentFactory(report=report, data=files.png(), name="b.png")
    assert excinfo.value.code == "duplicate" and "a.png" in excinfo.value.messages[0]
    assert list(Attachment.objects.all()) == [first]
    # The same file may be attached to another report.
    assert AttachmentFactory(report=ReportFactory(), data=files.png()).sha256 == first.sha256


def test_limit_per_report(report, settings):
    settings.ATTACHMENT_MAX_PER_REPORT = 2
    AttachmentFactory(report=report, data=files.png((10, 10)))
    AttachmentFactory(report=report, data=files.png((11, 10)))
    with pytest.raises(ValidationError) as excinfo:
        AttachmentFactory(report=report, data=files.png((12, 10)))
    assert excinfo.value.code == "too_many_attachments"


def test_positions_and_single_cover(report):
    first = AttachmentFactory(report=report, data=files.pdf(), name="a.pdf")
    second = AttachmentFactory(report=report, data=files.png((10, 10)))
    third = AttachmentFactory(report=report, data=files.png((20, 10)))
    assert [first.position, second.position, third.position] == [1, 2, 3]
    assert [a.is_cover for a in (first, second, third)] == [False, True, False]

    attachment_set_cover(attachment=third, by=None)
    assert list(Attachment.objects.filter(is_cover=True)) == [third]
    with pytest.raises(ValidationError):
        attachment_set_cover(attachment=first, by=None)


def test_delete_removes_files_after_commit_and_moves_cover(report, user, django_capture_on_commit_callbacks):
    cover = AttachmentFactory(report=report, data=files.png((400, 300)))
    other = AttachmentFactory(report=report, data=files.png((300, 300)))
    names = cover.storage_names()
    assert len(names) == 4

    with django_capture_on_commit_callbacks(execute=True):
        attachment_delete(attachment=cover, by=user)

    assert not any(attachment_storage().exists(name) for name in names)
    other.refresh_from_db()
    assert other.is_cover
    entry = AuditLog.objects.get(action="attachment.deleted")
    assert entry.actor == user and entry.data["name"] == "foto.png"


def test_delete_for_report(report, django_capture_on_commit_callbacks):
    AttachmentFactory(report=report, data=files.png((10, 10)))
    AttachmentFactory(report=report, data=files.pdf(), name="a.pdf")
    with django_capture_on_commit_callbacks(execute=True):
        assert attachments_delete_for_report(report=report, by=None) == 2
    assert not Attachment.objects.exists()


def test_caption_update_audited(report, user):
    attachment = AttachmentFactory(report=report)
    attachment_update_caption(attachment=attachment, caption=" <b>Ponte</b> ", by=user)
    attachment.refresh_from_db()
    assert attachment.caption == "<b>Ponte</b>"  # stored as text; templates escape it
    assert AuditLog.objects.filter(action="attachment.caption_changed", actor=user).exists()
