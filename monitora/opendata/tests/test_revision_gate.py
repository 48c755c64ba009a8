"""A pending revision of a published report never leaves through the reuse channels.

The revision model belongs to the moderation workflow (authoring branch); this test runs as soon as
`monitora.reports.models.ReportRevision` exists and is skipped before that.
"""

import pytest
from django.urls import reverse

from .corpus import build_corpus

moderation_models = pytest.importorskip("monitora.reports.models")
ReportRevision = getattr(moderation_models, "ReportRevision", None)
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(ReportRevision is None, reason="the revision model is not on this branch yet"),
]
PENDING = "REVISIONE-NON-APPROVATA"


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8")
    return response.content.decode("utf-8")


def test_pending_revision_stays_private(client):
    corpus = build_corpus()
    report = corpus.published
    ReportRevision.objects.create(
        report=report,
        proposed={"fields": {"title": PENDING}, "answers": {"avanzamento": PENDING}},
        base_lock_version=report.lock_version,
    )
    urls = [
        f"/api/v1/reports/{report.pk}",
        "/api/v1/reports",
        f"/api/v1/reports?q={PENDING}",
        f"/api/v1/projects/{corpus.project.code}",
        f"/api/v1/projects/{corpus.project.code}/reports",
        reverse("opendata:feed_all"),
        reverse("opendata:feed_project", args=[corpus.project.code]),
        *(
            reverse("opendata:download", args=[name])
            for name in ("reports.csv", "reports-semicolon.csv", "reports.json", "reports.geojson")
        ),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert PENDING not in _body(response), url
