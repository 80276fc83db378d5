"""Curation in the alias file (issue 13): a type given to an entity, and a merge undone in some
articles only (by id, path or the words of the sentence), on every graph. Our own articles."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from conftest import run_json

from newsents.cli import cli

POLITICS = (
    "Brown visits Leeds\n\nGordon Brown spoke to workers in Leeds on Monday. Brown said the "
    "council had no plan for the city.\n"
)
MUSIC = (
    "Soul night in Leeds\n\nBrown sang for two hours at the Leeds arena. The crowd cheered "
    "when Brown came back on stage.\n"
)


@pytest.fixture
def news(tmp_path):
    for desk, text in (("politics", POLITICS), ("music", MUSIC)):
        (tmp_path / "news" / desk).mkdir(parents=True)
        (tmp_path / "news" / desk / "story.txt").write_text(text, encoding="utf-8")
    return tmp_path


def _extract(news, aliases: str | None = None) -> dict:
    args = ["extract", str(news / "news"), "--db", str(news / "news.db")]
    if aliases is not None:
        (news / "aliases.toml").write_text(aliases, encoding="utf-8")
        args += ["--aliases", str(news / "aliases.toml")]
    code, graph, err = run_json(CliRunner(), args)
    assert code == 0, err
    return graph


def _people(graph: dict) -> dict[str, set[str]]:
    """Each person's name → the desks of the articles that mention them."""
    desks = {a["id"]: a["path"].split("/")[-2] for a in graph["articles"]}
    return {
        e["name"]: {desks[m["article"]] for m in e["mentions"]}
        for e in graph["entities"]
        if e["type"] == "person"
    }


def test_without_a_split_the_lone_surname_joins_the_one_brown_of_the_corpus(news):
    assert _people(_extract(news))["Gordon Brown"] == {"politics", "music"}


@pytest.mark.parametrize(
    "where",
    ['paths = ["*/music/*"]', 'context = ["sang", "stage"]', "articles = [{music_id}]"],
)
def test_a_split_by_path_context_or_article_undoes_the_merge_there_only(news, where):
    music_id = next(
        a["id"] for a in _extract(news)["articles"] if a["path"].endswith("music/story.txt")
    )
    rule = where.format(music_id=f'"{music_id}"')
    graph = _extract(news, f'split = [{{ name = "Brown", {rule} }}]\n')
    people = _people(graph)
    assert people["Gordon Brown"] == {"politics"}  # the article's own surname join stands
    assert people["Brown"] == {"music"}
    brown = next(e for e in graph["entities"] if e["name"] == "Brown")
    assert {"alias": "Brown", "reason": "alias_file_split"} in brown["merges"]


def test_a_type_in_the_alias_file_overrides_the_model_and_the_corpus(news):
    before = {e["name"]: e for e in _extract(news)["entities"]}
    assert before["Leeds"]["type"] == "place"
    graph = _extract(news, '[type]\n"Leeds" = "organization"\n')
    leeds = [e for e in graph["entities"] if e["name"] == "Leeds"]
    assert [(e["type"], e["id"][:4]) for e in leeds] == [("organization", "org_")]
    assert leeds[0]["mention_count"] == before["Leeds"]["mention_count"]
    shown = CliRunner().invoke(cli, ["info", "--db", str(news / "news.db")]).stdout
    assert "type     Leeds = organization" in shown


def test_a_type_the_alias_file_cannot_give_is_one_clear_error(news):
    (news / "aliases.toml").write_text('[type]\n"Leeds" = "city"\n', encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["extract", str(news / "news"), "--db", str(news / "x.db"), "--aliases",
              str(news / "aliases.toml")],
    )  # fmt: skip
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert "aliases.toml" in line and "type.Leeds" in line


@pytest.mark.parametrize(
    ("rules", "says"),
    [
        ('split = [{ name = "Brown", pathz = ["*"] }]\n', "split.0.pathz: Extra inputs"),
        ('split = [{ paths = ["*"] }]\n', "split.0.name: Field required"),
        ('split = [{ name = "Brown", paths = "*/music/*" }]\n', "split.0.paths: Input should"),
        ('[merge]\n"Leeds" = ["LDS"]\n"Leeds United" = ["LDS"]\n', "'LDS' is merged into both"),
    ],
)
def test_a_wrong_alias_file_says_what_is_wrong_in_one_line(news, rules, says):
    (news / "aliases.toml").write_text(rules, encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["extract", str(news / "news"), "--db", str(news / "x.db"), "--aliases",
              str(news / "aliases.toml")],
    )  # fmt: skip
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert says in line, line
