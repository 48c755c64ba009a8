"""Every discrepancy rule fires on the case it describes and stays quiet on its near misses."""

import datetime as dt

import pytest

from monitora.insights.rules import RULES, RULES_BY_CODE, Case

NOW = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
PUBLISHED = dt.datetime(2023, 3, 5, tzinfo=dt.UTC)


def case(**kwargs) -> Case:
    base = {"report_id": 1, "project_id": 1, "visited_on": dt.date(2023, 3, 1), "published_at": PUBLISHED}
    return Case(**{**base, **kwargs})


def check(code: str, c: Case):
    rule = RULES_BY_CODE[code]
    return rule.check(rule, c, NOW)


def test_every_rule_has_a_title_an_explanation_and_parameters():
    assert len({r.code for r in RULES}) == len(RULES) == 5
    for rule in RULES:
        assert str(rule.title) and len(str(rule.explanation)) > 40 and rule.params


# blocked_but_concluded
def test_blocked_but_officially_concluded_fires_on_the_snapshot_first():
    found = check("blocked_but_concluded", case(progress="5", snapshot={"state": "Concluso"}, current={}))
    assert found[0] == "snapshot" and found[1]["official"] == {"state": "Concluso"}


def test_never_started_with_payments_at_100_percent_fires_on_current_data():
    current = {"state": "In corso", "payments": "500000.00", "public_funding": "500000.00"}
    c = case(progress="2", snapshot={"state": "In corso"}, current=current)
    found = check("blocked_but_concluded", c)
    assert found[0] == "current" and found[1]["payment_ratio"] == 1.0


@pytest.mark.parametrize(
    "progress,current",
    [
        ("3", {"state": "Concluso"}),  # citizens found it going on: another rule's business
        ("5", {"state": "In corso", "payments": "100.00", "public_funding": "500000.00"}),
    ],
)
def test_blocked_but_concluded_does_not_fire(progress, current):
    assert check("blocked_but_concluded", case(progress=progress, current=current)) is None


# concluded_without_result
def test_concluded_but_citizens_found_it_still_in_progress_fires():
    found = check("concluded_without_result", case(progress="4", current={"state": "Concluso"}))
    assert found[0] == "current"


def test_concluded_and_citizens_found_no_assessable_result_fires():
    c = case(progress="6", effectiveness="4", snapshot={"state": "Liquidato"})
    assert check("concluded_without_result", c)


@pytest.mark.parametrize(
    "progress,effectiveness,state",
    [("6", "1", "Concluso"), ("4", "2", "In corso"), ("7", "4", "Concluso")],
)
def test_concluded_without_result_does_not_fire(progress, effectiveness, state):
    official = {"state": state}
    c = case(progress=progress, effectiveness=effectiveness, snapshot=official, current=official)
    assert check("concluded_without_result", c) is None


# overdue_in_progress
def test_planned_end_passed_long_before_the_visit_and_still_in_progress_fires():
    snapshot = {"state": "In corso", "planned_end_date": "2021-12-31"}
    found = check("overdue_in_progress", case(snapshot=snapshot, current={"state": "In corso"}))
    assert found[0] == "snapshot" and found[1]["days_late"] == 425


@pytest.mark.parametrize(
    "planned,now_state",
    [("2022-12-31", "In corso"), ("2020-01-01", "Concluso")],  # only two months late; concluded since
)
def test_overdue_in_progress_does_not_fire(planned, now_state):
    c = case(snapshot={"state": "In corso", "planned_end_date": planned}, current={"state": now_state})
    assert check("overdue_in_progress", c) is None


# far_from_places
MATERA = (40.6664, 16.6043)


def test_report_location_far_from_every_place_of_the_project_fires():
    found = check("far_from_places", case(latitude=45.07, longitude=7.69, places=[MATERA]))  # Torino
    assert found[0] == "current" and found[1]["nearest_place_km"] > 800


@pytest.mark.parametrize(
    "lat,lon,places",
    [(40.67, 16.61, [MATERA]), (45.07, 7.69, []), (None, None, [MATERA])],  # near; no places; no pin
)
def test_far_from_places_does_not_fire(lat, lon, places):
    assert check("far_from_places", case(latitude=lat, longitude=lon, places=places)) is None


# payments_stalled
def test_payments_unchanged_for_years_after_a_blocked_report_fires():
    found = check(
        "payments_stalled",
        case(progress="5", snapshot={"payments": "1000.00"}, current={"payments": "1000.00"}),
    )
    assert found[0] == "current" and found[1]["years"] >= 3


@pytest.mark.parametrize(
    "progress,after,published,last_change",
    [
        ("5", "2000.00", PUBLISHED, None),  # payments moved
        ("3", "1000.00", PUBLISHED, None),  # not blocked
        ("5", "1000.00", dt.datetime(2025, 6, 1, tzinfo=dt.UTC), None),  # only one year
        ("5", "1000.00", PUBLISHED, dt.datetime(2024, 1, 1, tzinfo=dt.UTC)),  # changed and back
    ],
)
def test_payments_stalled_does_not_fire(progress, after, published, last_change):
    c = case(
        progress=progress,
        published_at=published,
        snapshot={"payments": "1000.00"},
        current={"payments": after},
        last_payment_change=last_change,
    )
    assert check("payments_stalled", c) is None
