# The catalogue's import fixtures (territories, esteso_file) serve the re-import tests here too.
from monitora.catalogue.tests.conftest import esteso_file, territories  # noqa: F401
