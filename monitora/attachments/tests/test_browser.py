"""A team member uploads a phone photo from the guided form in Chromium and uses its position."""

from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from monitora.attachments.models import Attachment
from monitora.public.tests.browser import assert_console_clean, watch_console
from monitora.questionnaires.models import Option, Question, Questionnaire
from monitora.questionnaires.services import questionnaire_sync_all
from monitora.reports.tests.factories import ReportFactory
from monitora.teams.models import Membership

from . import files


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_member_uploads_photo_and_sees_gps_offer(live_server, launch_chromium, django_user_model, tmp_path):
    questionnaire_sync_all(
        models=SimpleNamespace(Questionnaire=Questionnaire, Question=Question, Option=Option)
    )
    report = ReportFactory()
    user = django_user_model.objects.create_user(username="studente", password="pw-studente-1")
    Membership.objects.create(team=report.team, user=user)
    client = Client()
    client.force_login(user)
    photo = tmp_path / "IMG_2024.jpg"
    photo.write_bytes(files.jpeg((1200, 900), gps=(files.GPS_LAT, files.GPS_LON)))

    browser = launch_chromium()
    try:
        context = browser.new_context(locale="it-IT")
        context.add_cookies(
            [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
        )
        page = context.new_page()
        watch_console(page)
        edit_url = reverse("authoring:report_edit", args=[report.pk]) + "?passo=2"
        page.goto(live_server.url + edit_url)
        page.set_input_files("input[name=file]", str(photo))
        page.fill("input[name=caption]", "Il cantiere <fermo>")
        page.click(".attachments-upload button[type=submit]")
        page.wait_for_selector(".attachments-list")
        assert page.url == live_server.url + edit_url  # back in the guided form, step 2

        assert page.locator(".attachment-body > a").inner_text() == "IMG_2024.jpg"
        assert "Il cantiere <fermo>" in page.locator(".caption").inner_text()
        page.click("button.use-photo-location")
        assert page.input_value("#id_latitude").startswith("45.4642")
        assert page.input_value("#id_longitude").startswith("9.1913")
        thumb = page.locator(".attachments-list img")
        thumb.scroll_into_view_if_needed()  # lazy-loaded
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumb.element_handle())
        assert page.evaluate("img => img.naturalWidth", thumb.element_handle()) == 180

        file_path = page.locator(".attachment-body > a").get_attribute("href")
        anonymous = browser.new_context().new_page()
        assert anonymous.goto(live_server.url + file_path).status == 404
        assert_console_clean(page)
    finally:
        launch_chromium.stop()
    # ORM calls stay outside the Playwright block: inside its event loop Django would open a
    # separate connection that nobody closes (and PostgreSQL could not drop the test database).
    attachment = Attachment.objects.get()
    assert file_path == reverse("attachments:file", args=[attachment.pk])
    assert attachment.uploaded_by == user and attachment.has_gps
