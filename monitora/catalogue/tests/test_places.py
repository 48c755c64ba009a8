"""Finding projects by place name (accents and case ignored, a place covers what is inside it)
and near a point (browser position or a typed address, resolved offline)."""

import pytest
from django.urls import reverse

from monitora.catalogue.finding import project_find, projects_near_find
from monitora.catalogue.importing.territories import COMUNI_FILE, territories_load
from monitora.catalogue.models import Territory
from monitora.catalogue.places import address_place, place_in_query, projects_near
from monitora.catalogue.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


# The shipped ISTAT comuni of a few provinces (Torino, Forlì-Cesena, Catanzaro, Crotone, Cosenza): a
# real sample, quicker to load than all 7,899.
PROVINCES = ("001", "040", "078", "079", "101")


@pytest.fixture
def places(db, tmp_path):
    """Real territories, and projects in Crotone, Isola di Capo Rizzuto, Forlì, Torino."""
    lines = COMUNI_FILE.read_text(encoding="utf-8").splitlines()
    sample = tmp_path / "comuni.csv"
    sample.write_text(
        "\n".join([lines[0], *(line for line in lines[1:] if line.split(",")[3] in PROVINCES)]),
        encoding="utf-8",
    )
    territories_load(comuni_file=sample)
    get = lambda kind, name: Territory.objects.get(kind=kind, name=name)  # noqa: E731
    in_isola = ProjectFactory(code="ISOLA1", title="Recupero del castello aragonese")
    in_isola.territories.add(get("C", "Isola di Capo Rizzuto"))
    province_wide = ProjectFactory(code="KR1", title="Scuola materna provinciale")
    province_wide.territories.add(get("P", "Crotone"))
    in_forli = ProjectFactory(code="FC1", title="Scuola materna di Forlì")
    in_forli.territories.add(get("C", "Forlì"))
    in_turin = ProjectFactory(code="TO1", title="Biblioteca civica")
    in_turin.territories.add(get("C", "Torino"))
    return {"isola": in_isola, "kr": province_wide, "forli": in_forli, "turin": in_turin}


def _codes(finding) -> set[str]:
    return {p.code for p in finding.result.results}


@pytest.mark.parametrize("q", ["Isola di Capo Rizzuto", "isola di capo rizzuto", "ISOLA DI CAPO RIZZUTO"])
def test_a_comune_name_finds_its_projects(places, q):
    finding = project_find(q=q)
    assert finding.place.name == "Isola di Capo Rizzuto" and finding.place.kind == "C"
    assert _codes(finding) == {"ISOLA1"}


@pytest.mark.parametrize("q", ["Forlì", "forli", "FORLI'", "Forlí"])
def test_accents_are_ignored(places, q):
    assert _codes(project_find(q=q)) == {"FC1"}


def test_a_province_covers_its_comuni_and_the_most_precise_place_with_projects_wins(places):
    # "Crotone" is a comune (no project of its own here) and a province: the province is chosen.
    finding = project_find(q="Crotone")
    assert (finding.place.kind, finding.place.code) == ("P", "101")
    assert _codes(finding) == {"ISOLA1", "KR1"}
    assert [t.kind for t in finding.other_places] == ["C"]
    # "Torino" the comune has a project: it wins over the province of the same name.
    finding = project_find(q="torino")
    assert (finding.place.kind, _codes(finding)) == ("C", {"TO1"})
    # A region covers its provinces and comuni.
    assert _codes(project_find(q="Calabria")) == {"ISOLA1", "KR1"}


def test_words_and_a_place_together(places):
    finding = project_find(q="scuola materna Crotone")
    assert finding.place.name == "Crotone" and finding.words == "scuola materna"
    assert _codes(finding) == {"KR1"}
    assert place_in_query("scuola materna").place is None
    assert _codes(project_find(q="scuola materna")) == {"KR1", "FC1"}


def test_near_a_point_nearest_comuni_first(places):
    # A point in the sea off Isola di Capo Rizzuto: Isola first, then the province-wide project
    # (the province's centre), then nothing from Forlì or Torino (too far).
    near = projects_near(latitude=38.90, longitude=17.15)
    assert [r.project.code for r in near.results] == ["ISOLA1", "KR1"]
    assert near.results[0].km < near.results[1].km
    assert [r.project.code for r in projects_near(latitude=44.22, longitude=12.04).results] == ["FC1"]


def test_near_a_typed_address_resolved_offline(places):
    assert address_place("Via Roma 1, 88841 Isola di Capo Rizzuto (KR)").name == "Isola di Capo Rizzuto"
    assert address_place("corso vittorio emanuele torino").name == "Torino"
    finding = projects_near_find(address="Piazza Saffi 1, Forlì")
    assert finding.near_place.name == "Forlì" and finding.near.results[0].project.code == "FC1"
    assert projects_near_find(address="Atlantide").address_unknown


def test_search_page_place_and_near_me(client, places):
    page = client.get(reverse("catalogue:search"), {"q": "isola di capo rizzuto"}).text
    assert "Progetti a Isola di Capo Rizzuto" in page and "Recupero del castello aragonese" in page
    page = client.get(reverse("catalogue:search"), {"vicino": "Via Roma, Crotone"}).text
    assert "Progetti più vicini a Crotone" in page and "Scuola materna provinciale" in page
    page = client.get(reverse("catalogue:search"), {"lat": "44.22", "lon": "12.04"}).text
    assert "Scuola materna di Forlì" in page
    # A position that is not a number is ignored; a non-finite one is refused like every number (issue 16).
    # A coordinate that is not a number of degrees is a 400 naming it, not a silently ignored "near me".
    for lat, lon in (("x", "12"), ("44", "y"), ("91", "12"), ("44", "-181")):
        refused = client.get(reverse("catalogue:search"), {"lat": lat, "lon": lon})
        assert refused.status_code == 400
        assert ("«lat»" if lat in ("x", "91") else "«lon»") in refused.text
    assert client.get(reverse("catalogue:search"), {"lat": "NaN", "lon": "12"}).status_code == 400


def test_new_report_starts_from_the_search(client, places, roles):
    client.force_login(roles.member)
    page = client.get(reverse("authoring:report_new"), {"progetto": "scuola materna"}).text
    assert "Scegli il progetto" in page and "?progetto=KR1" in page and "?progetto=FC1" in page
    page = client.get(reverse("authoring:report_new"), {"progetto": "KR1"}).text
    assert "Inizia il report" in page  # the code box still works
