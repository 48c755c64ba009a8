"""`make setup` installs the project quietly: the two setuptools banners it used to print (a
deprecated `project.license` table, the editable-install warning) come from pyproject.toml."""

import tomllib

from config.env import BASE_DIR


def test_pyproject_avoids_the_setuptools_banners():
    project = tomllib.loads((BASE_DIR / "pyproject.toml").read_text(encoding="utf-8"))
    assert isinstance(project["project"]["license"], str)  # an SPDX expression, not a table
    assert project["build-system"]["requires"] == ["setuptools>=77"]  # SPDX strings need 77+
    # A simple layout makes the editable install a plain .pth entry, without the banner.
    assert project["tool"]["setuptools"]["package-dir"] == {"": "."}
