"""Staging and merge on both databases: many batches, duplicates, malformed records, announcements."""

import pytest
from django.db import connection

from monitora.catalogue.changes import project_changed
from monitora.catalogue.importing import cleaning
from monitora.catalogue.importing.services import catalogue_import
from monitora.catalogue.models import Project

from .conftest import esteso_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_frames(monkeypatch):
    """Tiny Arrow blocks and frames: a few thousand rows make dozens of staged batches."""
    monkeypatch.setattr(cleaning, "BLOCK_BYTES", 32 * 1024)
    monkeypatch.setattr(cleaning, "FRAME_ROWS", 50)


@pytest.mark.django_db(transaction=True)
def test_first_load_in_many_batches_keeps_the_first_of_duplicate_codes(
    territories, esteso_file, small_frames
):
    rows = [esteso_row(f"P{i:05d}", COD_COMUNE="001272") for i in range(3000)]
    rows[10] = esteso_row("DUP", OC_TITOLO_PROGETTO="prima", COD_COMUNE="001272")
    rows[2900] = esteso_row("DUP", OC_TITOLO_PROGETTO="seconda", COD_REGIONE="015", COD_COMUNE="")
    run = catalogue_import(paths=[esteso_file(rows)], max_errors=5)
    assert (run.status, run.rows_read, run.inserted, run.rejected) == ("succeeded", 3000, 2999, 1)
    duplicate = Project.objects.get(code="DUP")
    assert duplicate.title == "prima"
    assert set(duplicate.territories.values_list("code", flat=True)) == {"001272", "001", "01"}
    assert run.errors == [
        {
            "file": "progetti_esteso_test.csv",
            "line": 2902,
            "column": "COD_LOCALE_PROGETTO",
            "value": "DUP",
            "reason": "codice già presente alla riga 12 dello stesso file",
        }
    ]
    assert Project.objects.count() == 2999
    assert Project.objects.filter(territories__code="001272").count() == 2999
    if connection.vendor == "postgresql":  # the staging table's generated column made the vectors
        found = Project.objects.extra(where=["search_vector @@ plainto_tsquery('monitora_it', 'prima')"])
        assert found.count() == 1


def test_record_with_wrong_column_count_falls_back_to_exact_lines(territories, esteso_file, tmp_path):
    path = esteso_file([esteso_row("A1"), esteso_row("A2"), esteso_row("A3")])
    lines = path.read_bytes().split(b"\r\n")
    lines[2] = b'"A2";"ROTTA"'  # the second record lost its other columns
    path.write_bytes(b"\r\n".join(lines))
    run = catalogue_import(paths=[path], max_errors=5)
    assert (run.inserted, run.rejected) == (2, 1)
    [error] = run.errors
    assert error["line"] == 3 and "colonne invece di 199" in error["reason"]
    assert sorted(Project.objects.values_list("code", flat=True)) == ["A1", "A3"]


def test_search_vector_follows_orm_edits(territories, esteso_file):
    if connection.vendor != "postgresql":
        pytest.skip("search_vector is the PostgreSQL full-text column")
    catalogue_import(paths=[esteso_file([esteso_row("V1", OC_TITOLO_PROGETTO="Asilo nido comunale")])])
    project = Project.objects.get(code="V1")
    project.title = "Biblioteca civica"
    project.save()
    found = Project.objects.extra(where=["search_vector @@ plainto_tsquery('monitora_it', 'biblioteche')"])
    assert list(found.values_list("code", flat=True)) == ["V1"]
    Project.objects.create(code="V2", title="Palestra scolastica")
    found = Project.objects.extra(where=["search_vector @@ plainto_tsquery('monitora_it', 'palestre')"])
    assert list(found.values_list("code", flat=True)) == ["V2"]


def test_update_run_reports_duplicates_and_keeps_the_first(territories, esteso_file):
    catalogue_import(paths=[esteso_file([esteso_row("U1"), esteso_row("U2")], "base.csv")])
    path = esteso_file(
        [
            esteso_row("U1", OC_TITOLO_PROGETTO="Titolo nuovo"),
            esteso_row("U3", OC_TITOLO_PROGETTO="prima"),
            esteso_row("U3", OC_TITOLO_PROGETTO="seconda"),
        ],
        "update.csv",
    )
    run = catalogue_import(paths=[path], max_errors=5)
    assert (run.inserted, run.updated, run.rejected) == (1, 1, 1)
    assert [(e["line"], e["value"]) for e in run.errors] == [(4, "U3")]
    assert "riga 3" in run.errors[0]["reason"]
    assert Project.objects.get(code="U3").title == "prima"
    assert Project.objects.get(code="U1").title == "Titolo nuovo"


def test_update_run_with_a_malformed_record_reports_its_line(territories, esteso_file):
    catalogue_import(paths=[esteso_file([esteso_row("M1"), esteso_row("M2")], "base.csv")])
    path = esteso_file(
        [esteso_row("M1"), esteso_row("M2", OC_TITOLO_PROGETTO="Cambiato"), esteso_row("M3")], "update.csv"
    )
    lines = path.read_bytes().split(b"\r\n")
    lines[3] = b'"M3";"ROTTA"'
    path.write_bytes(b"\r\n".join(lines))
    run = catalogue_import(paths=[path], max_errors=5)
    assert (run.inserted, run.updated, run.unchanged, run.rejected) == (0, 1, 1, 1)
    assert run.errors[0]["line"] == 4 and "colonne invece di 199" in run.errors[0]["reason"]
    assert Project.objects.get(code="M2").title == "Cambiato"


def test_a_changed_existing_code_twice_in_the_input_keeps_the_first(territories, esteso_file):
    catalogue_import(paths=[esteso_file([esteso_row("E1")], "base.csv")])
    path = esteso_file(
        [esteso_row("E1", OC_TITOLO_PROGETTO="prima"), esteso_row("E1", OC_TITOLO_PROGETTO="seconda")],
        "u.csv",
    )
    run = catalogue_import(paths=[path], max_errors=5)
    assert (run.inserted, run.updated, run.rejected) == (0, 1, 1)
    assert Project.objects.get(code="E1").title == "prima"


def test_reimport_announces_exactly_the_changed_projects(
    territories, esteso_file, django_capture_on_commit_callbacks
):
    announced = []

    def receiver(sender, project_ids, reason, **kwargs):
        announced.append((set(project_ids), reason))

    project_changed.connect(receiver)
    try:
        rows = [esteso_row("C1"), esteso_row("C2"), esteso_row("C3")]
        with django_capture_on_commit_callbacks(execute=True):
            catalogue_import(paths=[esteso_file(rows, "first.csv")])
        assert announced == []  # a first load into an empty catalogue: no report can be on them
        rows[1] = esteso_row("C2", OC_COD_TEMA_SINTETICO="11", OC_TEMA_SINTETICO="Istruzione e formazione")
        with django_capture_on_commit_callbacks(execute=True):
            run = catalogue_import(paths=[esteso_file(rows, "second.csv")])
        assert (run.updated, run.unchanged) == (1, 2)
        assert announced == [({Project.objects.get(code="C2").pk}, "catalogue.import")]
        with django_capture_on_commit_callbacks(execute=True):
            catalogue_import(paths=[esteso_file([*rows, esteso_row("C4")], "third.csv")], dry_run=True)
        assert len(announced) == 1  # a dry run announces nothing
        with django_capture_on_commit_callbacks(execute=True):
            catalogue_import(
                paths=[esteso_file([*rows[:2], esteso_row("C4")], "fourth.csv")], full_release=True
            )
        c3, c4 = Project.objects.get(code="C3").pk, Project.objects.get(code="C4").pk
        assert announced[-1] == ({c3, c4}, "catalogue.import")  # C3 removed, C4 created
    finally:
        project_changed.disconnect(receiver)
