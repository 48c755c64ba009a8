import pytest


@pytest.fixture(autouse=True)
def _no_remote_pdf_images(settings):
    """Tests never fetch remote images; the PDF tests that need one fake the fetch."""
    settings.PDF_IMAGE_HOSTS = []
