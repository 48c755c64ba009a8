import factory

from monitora.attachments.models import Attachment
from monitora.attachments.services import attachment_create
from monitora.reports.tests.factories import ReportFactory

from . import files


class AttachmentFactory(factory.django.DjangoModelFactory):
    """Goes through attachment_create, so every test attachment passed the real checks."""

    class Meta:
        model = Attachment

    report = factory.SubFactory(ReportFactory)

    @classmethod
    def _create(
        cls, model_class, *, report, data: bytes | None = None, name: str = "foto.jpg", by=None, caption=""
    ):
        return attachment_create(
            report=report,
            uploaded_file=files.upload(name, data if data is not None else files.jpeg()),
            by=by,
            caption=caption,
        )
