"""Whole files come from the scheduled export (`export_opendata --publish`), filtered ones are live."""

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from monitora.opendata import published
from monitora.opendata.datapackage import FILES

from .corpus import build_corpus

pytestmark = pytest.mark.django_db


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def exported():
    """Publish the package; delete every set afterwards (the test storage lives as long as the process)."""
    build_corpus()
    call_command("export_opendata", "--publish")
    yield published.current_stamp()
    for stamp in default_storage.listdir(published.OPENDATA_DIR)[0]:
        for name in default_storage.listdir(f"{published.OPENDATA_DIR}/{stamp}")[1]:
            default_storage.delete(f"{published.OPENDATA_DIR}/{stamp}/{name}")


def test_whole_files_are_the_exported_files_with_their_timestamp(client, exported):
    for filename in FILES:
        live = _body(client.get(reverse("opendata:download", args=[filename]), {"region": ""}))
        served = client.get(reverse("opendata:download", args=[filename]))
        assert served.status_code == 200
        assert _body(served) == live, filename  # the same bytes as the live stream
        stamp = published.published_file(filename)[1]
        assert f"-{timezone.localdate(stamp).isoformat()}." in served["Content-Disposition"]
        assert served["Last-Modified"] and "public" in served["Cache-Control"]
        again = client.get(
            reverse("opendata:download", args=[filename]), headers={"if-none-match": served["ETag"]}
        )
        assert again.status_code == 304


def test_a_new_publication_of_a_report_waits_for_the_next_export(client, exported, roles):
    from monitora.conftest import make_report
    from monitora.search.services import report_search_index

    url = reverse("opendata:download", args=["reports.csv"])
    before = _body(client.get(url))
    report = make_report(roles.team, status="published", title="Appena pubblicato")
    report_search_index(report)
    assert _body(client.get(url)) == before  # the whole file is the export's, as its date says
    assert b"Appena pubblicato" in _body(client.get(url, {"region": ""}))  # a filtered download is live
    call_command("export_opendata", "--publish")
    assert b"Appena pubblicato" in _body(client.get(url))


def test_filtered_downloads_are_capped(client, settings):
    build_corpus()
    settings.OPENDATA_LIVE_MAX_ROWS = 1
    url = reverse("opendata:download", args=["reports.csv"])
    refused = client.get(url, {"region": ""})
    assert refused.status_code == 400 and "al massimo 1" in refused.text
    assert client.get(url).status_code == 200  # the whole file is never capped


def test_publish_takes_no_output_path():
    with pytest.raises(CommandError):
        call_command("export_opendata", "out.csv", "--publish")
