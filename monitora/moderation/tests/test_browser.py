"""What an editor sees on the review page before publishing, in a real Chromium: every file with its
thumbnail and EXIF/GPS status, every link, the location on a small map, and labels, not keys."""

import pytest
from django.test import Client

from monitora.accounts.tests.factories import MembershipFactory, UserFactory
from monitora.attachments.links import source_link_add, video_link_add
from monitora.attachments.services import attachment_create
from monitora.attachments.tests import files
from monitora.catalogue.tests.factories import ProjectFactory, TerritoryFactory
from monitora.conftest import make_report
from monitora.public.tests.browser import assert_no_axe_violations
from monitora.teams.tests.factories import TeamFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def submitted(live_url):
    project = ProjectFactory(summary="Recupero dei Sassi")
    project.territories.add(TerritoryFactory(name="Matera", latitude=40.6664, longitude=16.6043))
    team = TeamFactory()
    author = MembershipFactory(team=team).user
    report = make_report(
        team,
        status="submitted",
        project=project,
        title="Scuola di via Roma",
        address="Via Roma 1, Matera",
        latitude=40.6671,
        longitude=16.6102,
    )
    photo = files.upload("IMG_2024.jpg", files.jpeg((1200, 900), gps=(files.GPS_LAT, files.GPS_LON)))
    attachment_create(report=report, uploaded_file=photo, by=author, caption="Il cantiere fermo")
    attachment_create(report=report, uploaded_file=files.upload("delibera.pdf", files.pdf()), by=author)
    source_link_add(
        report=report, url="https://albo.comune.matera.it/delibera-12", by=author, title="Delibera"
    )
    video_link_add(report=report, url="https://www.youtube.com/watch?v=dQw4w9WgXcQ", by=author)
    editor = UserFactory(is_staff=True)
    client = Client()
    client.force_login(editor)
    return report, client.cookies["sessionid"].value


def test_review_page_shows_every_file_link_and_the_location_on_a_map(page, live_url, submitted):
    report, session = submitted
    page.context.add_cookies([{"name": "sessionid", "value": session, "url": live_url}])
    page.goto(f"/redazione/report/{report.pk}/")

    materials = page.locator(".review-materials")
    assert "2 allegati" in materials.inner_text()
    thumb = page.locator(".review-attachment img")
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumb.element_handle())
    assert page.evaluate("img => img.naturalWidth", thumb.element_handle()) == 180
    photo = page.locator(".review-attachment", has_text="IMG_2024.jpg")
    assert "Il cantiere fermo" in photo.inner_text()
    assert "EXIF rimossi al caricamento; la foto conteneva la posizione GPS 45.46421, 9.19138" in (
        photo.locator(".exif-status").inner_text()
    )
    assert page.locator(".review-attachment", has_text="delibera.pdf").count() == 1
    links = page.locator(".review-links")
    assert links.get_by_role("link", name="Delibera").get_attribute("href") == (
        "https://albo.comune.matera.it/delibera-12"
    )
    assert "youtube.com/watch" in links.inner_text()

    # The map: the report's position, the photo's private position and the project's comune.
    assert "Via Roma 1, Matera" in page.locator(".review-places").inner_text()
    page.wait_for_selector("#review-map .review-marker-report", state="attached")
    assert page.locator("#review-map .review-marker-photo").count() == 1
    assert page.locator("#review-map .review-marker-project").count() == 1
    box = page.locator("#review-map").bounding_box()
    assert box and box["height"] >= 200

    # Labels, not keys: the comment picker and the content.
    options = page.locator("select[name=field_key] option").all_inner_texts()
    assert "Obiettivi del progetto monitorato" in options and "obiettivi" not in options
    assert "Stato di avanzamento del progetto monitorato" in page.locator("#avanzamento").inner_text()
    assert page.locator("main code").count() == 0
    assert_no_axe_violations(page)
