"""The whole life of a report in a real Chromium: sign-up to published Step 3.

Uses the Playwright fixtures of `monitora/public/tests/browser.py` (`page`, `browser`,
`live_url`), registered by the root conftest. The author uploads a real phone photo (JPEG with
EXIF GPS, made with Pillow) through the attachments panel of the guided form; it stays private
until the report is published, then the public page shows it with its metadata stripped.
"""

import io
import re

import pytest
from django.core import mail
from PIL import Image

from monitora.accounts.tests.factories import PASSWORD, UserFactory
from monitora.attachments.tests import files
from monitora.catalogue.tests.factories import ProjectFactory, TerritoryFactory
from monitora.public.tests.browser import assert_console_clean, log_in, watch_console
from monitora.reports.models import Report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Where the photo was taken: the Sasso Caveoso, a few hundred metres from the centre of Matera.
PHOTO_GPS = (40.663512, 16.612461)


def _path(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def test_report_lifecycle(page, browser, live_url, tmp_path):
    comune = TerritoryFactory(name="Matera", latitude=40.6664, longitude=16.6043)
    project = ProjectFactory(title="Recupero del Sasso Caveoso", summary="Lavori di consolidamento")
    project.territories.add(comune)
    editor_user = UserFactory(is_staff=True, email="redazione@example.org")

    # Sign up and confirm the address.
    page.goto("/account/signup/")
    page.fill("input[name=email]", "anna@example.org")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.select_option("select[name=author_category]", "asoc_secondary")
    page.check("input[name=privacy]")
    page.locator("form:has(input[name=password1]) button[type=submit]").click()
    link = re.search(r"https?://\S+/account/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    page.goto(_path(link))
    page.locator("main form button[type=submit]").click()
    log_in(page, "anna@example.org")

    # Create a team, find the project, start the report.
    page.goto("/team/nuovo/")
    page.fill("input[name=name]", "Classe 5B")
    page.select_option("select[name=category]", "asoc_secondary")
    page.locator("main form button[type=submit]").click()
    page.goto("/report/nuovo/")
    page.fill("#id_progetto", project.opencoesione_url)
    page.get_by_role("button", name="Cerca").click()
    page.get_by_role("button", name="Inizia il report").click()
    page.wait_for_url(re.compile(r"/report/\d+/modifica/"))
    report = Report.objects.get(project=project)

    # Step 1, then Step 2 with conditional questions.
    page.fill("textarea[name=q_obiettivi]", "Mettere in sicurezza il costone")
    page.get_by_role("button", name="Salva e vai al passo 2").click()
    page.wait_for_url("**passo=2")
    problems = page.locator('div[data-key="problemi_tecnici"]')
    assert problems.is_hidden()
    page.check('input[name=q_stato_di_avanzamento][value="4"]')
    assert problems.is_visible()
    assert "sviluppo incoraggiante" in page.locator('label[for="id_q_gs_1"]').inner_text()
    page.check("input[name=q_problemi_tecnici]")
    page.fill("textarea[name=q_avanzamento]", "Cantiere aperto da marzo")
    assert page.input_value("input[name=latitude]") == "40.6664"
    page.get_by_role("button", name="Salva bozza").click()
    page.wait_for_url("**passo=2")

    # With the draft saved, upload a phone photo in the attachments panel (htmx swaps the panel).
    photo = tmp_path / "IMG_20240312_101500.jpg"
    photo.write_bytes(files.jpeg((1200, 900), gps=PHOTO_GPS))
    panel = page.locator(".attachments-panel")
    panel.locator("input[name=file]").set_input_files(str(photo))
    panel.locator("input[name=caption]").fill("Il costone visto dal belvedere")
    panel.get_by_role("button", name="Carica", exact=True).click()
    panel.locator(".attachments-list").wait_for()
    assert page.url.endswith("passo=2")  # still in the guided form
    assert panel.locator(".attachment-body > a").inner_text() == photo.name
    file_path = panel.locator(".attachment-body > a").get_attribute("href")
    # The photo's GPS position is offered (never published); the author takes it for the report.
    panel.locator("button.use-photo-location").click()
    assert page.input_value("input[name=latitude]").startswith("40.6635")
    assert page.input_value("input[name=longitude]").startswith("16.6124")
    page.get_by_role("button", name="Salva bozza").click()
    page.wait_for_url("**passo=2")
    assert page.locator(".attachments-panel .attachment-body > a").inner_text() == photo.name

    page.check("form[action$='/invia/'] input[type=checkbox]")
    page.get_by_role("button", name="Invia alla redazione").click()
    page.wait_for_url(re.compile(r"/report/\d+/stato/"))
    report.refresh_from_db()
    assert report.status == "submitted"
    assert (round(float(report.latitude), 4), round(float(report.longitude), 4)) == (40.6635, 16.6125)
    anonymous = browser.new_context(base_url=live_url)
    assert anonymous.request.get(file_path).status == 404  # not public before publication

    # The editor asks for a change on one field.
    editor_context = browser.new_context(base_url=live_url, locale="it-IT")
    editor = editor_context.new_page()
    watch_console(editor)
    log_in(editor, editor_user.email)
    editor.goto("/redazione/")
    editor.get_by_role("link", name=report.title).click()
    editor.select_option("select[name=field_key]", "obiettivi")
    editor.fill("textarea[name=text]", "Indicate la fonte degli obiettivi")
    editor.get_by_role("button", name="Aggiungi commento").click()
    editor.get_by_role("button", name="Richiedi modifiche").click()
    editor.wait_for_selector("text=Modifiche richieste")

    # The author sees the comment next to the field, fixes it, resolves it, resubmits.
    page.goto(f"/report/{report.pk}/modifica/?passo=1")
    comment = page.locator('div[data-key="obiettivi"] .review-comment')
    assert "Indicate la fonte" in comment.inner_text()
    page.fill("textarea[name=q_obiettivi]", "Mettere in sicurezza il costone (fonte: delibera 12/2024)")
    page.get_by_role("button", name="Salva bozza").click()
    page.wait_for_url("**passo=1")
    page.locator('div[data-key="obiettivi"]').get_by_role("button", name="Segna come risolto").click()
    page.wait_for_url("**/modifica/**")
    page.check("form[action$='/invia/'] input[type=checkbox]")
    page.get_by_role("button", name="Invia alla redazione").click()
    page.wait_for_url(re.compile(r"/report/\d+/stato/"))

    # The editor publishes; the public page shows it.
    editor.goto(f"/redazione/report/{report.pk}/")
    editor.get_by_role("button", name="Pubblica").click()
    editor.wait_for_selector("text=Pubblicato")
    page.goto(f"/report/{report.pk}/")
    assert "delibera 12/2024" in page.content()
    _assert_public_photo(page, anonymous, file_path)

    # Step 3: filled by the team, approved on its own, then public.
    page.goto(f"/report/{report.pk}/impatto/")
    page.fill("textarea[name=q_impact_description]", "Il Comune ha anticipato i lavori")
    page.get_by_role("button", name="Salva e invia alla redazione").click()
    page.wait_for_url(re.compile(r"/report/\d+/stato/"))
    page.goto(f"/report/{report.pk}/")
    assert "anticipato i lavori" not in page.content()
    editor.goto(f"/redazione/report/{report.pk}/")
    editor.get_by_role("button", name="Step 3: approva").click()
    editor.wait_for_selector("text=Fatto")
    page.goto(f"/report/{report.pk}/")
    assert "anticipato i lavori" in page.content()
    assert_console_clean(editor)
    editor_context.close()
    anonymous.close()


def _assert_public_photo(page, anonymous, file_path: str) -> None:
    """The published page shows the photo (thumbnail linking to the file, both from the
    attachments serving view); anyone can now fetch it, and the served JPEG has no EXIF left."""
    link = page.locator(f'figure a[href="{file_path}"]')
    img = link.locator("img")
    assert img.get_attribute("alt") == "Il costone visto dal belvedere"
    assert img.get_attribute("src").startswith(file_path.replace("/file/", "/anteprima/"))
    img.scroll_into_view_if_needed()  # lazy-loaded
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img.element_handle())
    assert page.evaluate("img => img.naturalWidth", img.element_handle()) == 270
    assert "Il costone visto dal belvedere" in page.locator("figure figcaption").inner_text()
    response = anonymous.request.get(file_path)
    assert response.status == 200 and response.headers["content-type"] == "image/jpeg"
    served = Image.open(io.BytesIO(response.body()))
    assert served.size == (1200, 900)
    assert not served.getexif() and "exif" not in served.info  # no camera data, no GPS position
