"""Filters that combine (issue 13): repeatable --type and --entity, --any, --since, --until,
--path and --limit, the same on `entities` and `articles`. The articles are our own."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from conftest import run_json

from newsents.cli import cli

STORIES = {
    ("politics", "budget.txt", "2005-01-10"): (
        "Budget row in London\n\nGordon Brown met Tony Blair in London on Monday. "
        "Gordon Brown said the budget was fair to families in Leeds.\n"
    ),
    ("politics", "election.txt", "2005-02-03"): (
        "Election tour\n\nTony Blair spoke to voters in Leeds. Michael Howard answered him "
        "from Bristol a day later.\n"
    ),
    ("sport", "final.txt", "2005-03-21"): (
        "Cup final in Cardiff\n\nGordon Brown watched the cup final in Cardiff with Alan "
        "Shearer. Alan Shearer said Cardiff was loud.\n"
    ),
}


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    root = tmp_path_factory.mktemp("filters")
    db = str(root / "news.db")
    for (desk, name, date), text in STORIES.items():
        path = root / "news" / desk / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        result = CliRunner().invoke(cli, ["extract", str(path), "--db", db, "--published", date])
        assert result.exit_code == 0, result.stderr
    return db


def _names(db: str, *args: str) -> list[str]:
    code, rows, err = run_json(CliRunner(), ["entities", "--db", db, "--json", *args])
    assert code == 0, err
    return [r["name"] for r in rows]


def _titles(db: str, *args: str) -> list[str]:
    code, rows, err = run_json(CliRunner(), ["articles", "--db", db, "--json", *args])
    assert code == 0, err
    return [r["title"] for r in rows]


def test_several_types_list_entities_of_any_of_them(db):
    people = set(_names(db, "--type", "person"))
    places = set(_names(db, "--type", "place"))
    assert {"Gordon Brown", "Tony Blair"} <= people and {"London", "Cardiff"} <= places
    assert set(_names(db, "--type", "person", "--type", "place")) == people | places


def test_several_entities_list_the_articles_that_name_all_of_them_or_with_any_either(db):
    assert _titles(db, "--entity", "Gordon Brown", "--entity", "Tony Blair") == [
        "Budget row in London"
    ]
    assert _titles(db, "--entity", "Alan Shearer", "--entity", "Tony Blair", "--any") == [
        "Budget row in London",
        "Election tour",
        "Cup final in Cardiff",
    ]
    assert _titles(db, "--entity", "Tony Blair", "--limit", "1") == ["Budget row in London"]


def test_a_path_glob_counts_only_the_mentions_in_those_articles(db):
    code, rows, _ = run_json(
        CliRunner(), ["entities", "--db", db, "--json", "--path", "*/politics/*"]
    )
    counts = {r["name"]: (r["mention_count"], r["article_count"]) for r in rows}
    assert counts["Gordon Brown"] == (2, 1)  # his mention in the sport story is not counted
    assert "Alan Shearer" not in counts and "Cardiff" not in counts
    assert _titles(db, "--path", "*/sport/*") == ["Cup final in Cardiff"]


def test_since_and_until_select_articles_by_publication_date(db):
    assert _titles(db, "--since", "2005-02") == ["Election tour", "Cup final in Cardiff"]
    assert _titles(db, "--until", "2005-02") == ["Budget row in London", "Election tour"]
    assert _titles(db, "--since", "2005-02-01", "--until", "2005-02-28") == ["Election tour"]
    february = set(_names(db, "--since", "2005-02", "--until", "2005-02", "--type", "person"))
    assert february == {"Tony Blair", "Michael Howard"}


# -- export and show within the same filters ---------------------------------------------


def _export(db: str, *args: str) -> dict:
    result = CliRunner().invoke(cli, ["export", "--db", db, "--compact", *args])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_an_export_within_a_path_is_the_graph_those_articles_make(db):
    graph = _export(db, "--path", "*/politics/*")
    titles = {a["id"]: a["title"] for a in graph["articles"]}
    assert set(titles.values()) == {"Budget row in London", "Election tour"}
    people = {e["name"]: e for e in graph["entities"] if e["type"] == "person"}
    assert set(people) == {"Gordon Brown", "Tony Blair", "Michael Howard"}
    assert people["Gordon Brown"]["article_count"] == 1  # not his sport story
    assert all(m["article"] in titles for e in graph["entities"] for m in e["mentions"])
    names = {e["id"]: e["name"] for e in graph["entities"]}
    assert all(d["source"] in names and d["target"] in names for d in graph["edges"])
    assert all(set(d["articles"]) <= set(titles) for d in graph["edges"])


def test_an_export_within_dates_keeps_the_people_of_those_articles(db):
    graph = _export(db, "--since", "2005-02", "--until", "2005-02", "--format", "json")
    people = {e["name"] for e in graph["entities"] if e["type"] == "person"}
    assert people == {"Tony Blair", "Michael Howard"}


def test_a_filter_that_keeps_everything_gives_the_stored_graph_exactly(db):
    assert _export(db, "--path", "*") == _export(db)
    code, everything, _ = run_json(CliRunner(), ["show", "--db", db, "--entity", "Gordon Brown",
                                                  "--json", "--all", "--path", "*"])  # fmt: skip
    assert code == 0
    assert (
        everything
        == run_json(
            CliRunner(), ["show", "--db", db, "--entity", "Gordon Brown", "--json", "--all"]
        )[1]
    )


def test_show_within_a_path_weighs_the_links_in_those_articles(db):
    code, reports, err = run_json(
        CliRunner(),
        ["show", "--db", db, "--entity", "Gordon Brown", "--json", "--all", "--path", "*/sport/*"],
    )
    assert code == 0, err
    (brown,) = reports
    assert [a["title"] for a in brown["articles"]] == ["Cup final in Cardiff"]
    assert brown["mention_count"] == 1
    weights = {n["name"]: n["weight"] for n in brown["neighbours"]}
    assert weights.keys() >= {"Alan Shearer", "Cardiff"}
    assert "Tony Blair" not in weights and weights["Alan Shearer"] == 1
    assert all(c["article"] == brown["articles"][0]["id"] for c in brown["contexts"])


@pytest.mark.parametrize(
    ("since", "until", "kept", "left"),
    [
        ("2005-03", "2005-03", ["2005-03-05", "2005-03", "2005-Q1", "2005", "2005-W10"],
         ["2005-04-01", "2005-Q4", "2005-H2", "2004", "PRESENT_REF"]),
        ("2005", "2005", ["2005-03-05", "2005-12", "200"], ["2004-12-31", "2006"]),
        ("2005-02-10", None, ["2005-02-10", "2005-02", "2010"], ["2005-02-09", "2004"]),
    ],
)  # fmt: skip
def test_a_date_entity_is_kept_when_the_days_it_stands_for_meet_the_range(since, until, kept, left):
    from newsents.store import ArticleFilter

    within = ArticleFilter(since=since, until=until)
    assert [v for v in kept if within.takes_date_value(v)] == kept
    assert [v for v in left if within.takes_date_value(v)] == []


def test_a_range_that_ends_before_it_starts_is_a_usage_error(db):
    result = CliRunner().invoke(cli, ["entities", "--db", db, "--since", "2006", "--until", "2005"])
    assert result.exit_code == 2 and "--since 2006 is after --until 2005" in result.stderr


def test_a_filter_that_keeps_no_article_says_so(db):
    result = CliRunner().invoke(cli, ["export", "--db", db, "--path", "/nowhere/*"])
    assert result.exit_code == 0
    assert "no stored article matches --since, --until or --path" in result.stderr


def test_a_date_that_is_no_date_is_a_usage_error(db):
    result = CliRunner().invoke(cli, ["articles", "--db", db, "--since", "2005-13"])
    assert result.exit_code == 2 and "write a date as 2005" in result.stderr


# -- newsents remove ------------------------------------------------------------------------------


def test_remove_forgets_a_folder_and_missing_files_and_the_graph_follows(tmp_path):
    runner = CliRunner()
    db = str(tmp_path / "news.db")
    for (desk, name, _), text in STORIES.items():
        path = tmp_path / "news" / desk / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert runner.invoke(cli, ["extract", str(tmp_path / "news"), "--db", db]).exit_code == 0
    removed = runner.invoke(cli, ["remove", str(tmp_path / "news" / "sport"), "--db", db])
    assert removed.exit_code == 0 and "1 article removed" in removed.stderr
    assert "Alan Shearer" not in _names(db) and "Tony Blair" in _names(db)
    assert _titles(db) == ["Budget row in London", "Election tour"]

    (tmp_path / "news" / "politics" / "election.txt").unlink()
    gone = runner.invoke(cli, ["remove", "--missing", "--db", db])
    assert gone.exit_code == 0 and "1 article removed" in gone.stderr
    assert _titles(db) == ["Budget row in London"]
    assert "Michael Howard" not in _names(db)
    # The graph is the graph of what is left, as a fresh store of it gives.
    fresh = str(tmp_path / "fresh.db")
    budget = str(tmp_path / "news" / "politics" / "budget.txt")
    assert runner.invoke(cli, ["extract", budget, "--db", fresh]).exit_code == 0
    left = runner.invoke(cli, ["export", "--db", db, "--compact"]).stdout
    assert left == runner.invoke(cli, ["export", "--db", fresh, "--compact"]).stdout

    nothing = runner.invoke(cli, ["remove", str(tmp_path / "elsewhere"), "--db", db])
    assert nothing.exit_code == 1 and "no stored article was read from it" in nothing.stderr


def test_remove_finds_an_article_however_its_path_is_written(tmp_path, monkeypatch):
    # Extracted as `news/sport/...` from its folder; removed by its absolute path, or the
    # other way round.
    runner = CliRunner()
    for (desk, name, _), text in STORIES.items():
        path = tmp_path / "news" / desk / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    db = str(tmp_path / "news.db")
    assert runner.invoke(cli, ["extract", "news", "--db", db]).exit_code == 0
    sport = next((tmp_path / "news" / "sport").iterdir())
    removed = runner.invoke(cli, ["remove", str(sport.resolve()), "--db", db])
    assert removed.exit_code == 0 and "1 article removed" in removed.stderr, removed.stderr
    again = runner.invoke(cli, ["remove", "./news/politics/", "--db", db])
    assert again.exit_code == 0 and "2 articles removed" in again.stderr, again.stderr
