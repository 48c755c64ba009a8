"""Every environment variable the settings read is documented for operators."""

import re

from config.env import BASE_DIR

ENV_CALL = re.compile(r'env(?:\.[a-z]+)?\("([A-Z][A-Z_0-9]+)"')


def settings_variables() -> set[str]:
    found: set[str] = set()
    for path in (BASE_DIR / "config").rglob("*.py"):
        found.update(ENV_CALL.findall(path.read_text(encoding="utf-8")))
    return found


def test_settings_read_some_variables():
    assert {"SECRET_KEY", "DATABASE_URL"} <= settings_variables()


def test_every_variable_in_configuration_doc_and_env_example():
    doc = (BASE_DIR / "docs" / "configuration.md").read_text(encoding="utf-8")
    example = (BASE_DIR / ".env.example").read_text(encoding="utf-8")
    missing_doc = sorted(v for v in settings_variables() if f"`{v}`" not in doc)
    missing_example = sorted(v for v in settings_variables() if not re.search(rf"^#? ?{v}=", example, re.M))
    assert missing_doc == [], f"add to docs/configuration.md: {missing_doc}"
    assert missing_example == [], f"add to .env.example: {missing_example}"
