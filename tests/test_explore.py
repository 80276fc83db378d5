"""Questions asked of the store: `entities`, `articles`, `show`, near matches and salience."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import pytest
from click.testing import CliRunner
from conftest import DATA, SEEDS

from newsents import console
from newsents.cli import cli
from newsents.explore import entity_reports, find_entity, near_matches
from newsents.fingerprint import corpus_rules
from newsents.models import (
    Article,
    ArticleAnalysis,
    Block,
    Entity,
    Graph,
    Mention,
    Sentence,
)
from newsents.salience import salience_scores
from newsents.store import open_store

# -- salience on hand-built articles ---------------------------------------------------------


def _article(text: str) -> ArticleAnalysis:
    """Line 1 is the title, line 2 the byline, then one body paragraph per line."""
    lines, blocks, sentences, start = text.split("\n"), [], [], 0
    for i, line in enumerate(lines):
        section = "title" if i == 0 else "byline" if i == 1 else "body"
        blocks.append(Block(section=section, start=start, end=start + len(line), text=line))
        sentences.append(Sentence(index=i, start=start, end=start + len(line), section=section))
        start += len(line) + 1
    return ArticleAnalysis(
        article=Article(id="a1", path="a.txt", title=lines[0], encoding="utf-8"),
        text=text,
        blocks=blocks,
        sentences=sentences,
        mentions=[],
    )


def _entity(analysis: ArticleAnalysis, name: str) -> Entity:
    mentions = []
    for sentence in analysis.sentences:
        at = analysis.text.find(name, sentence.start, sentence.end)
        while at != -1:
            mentions.append(
                Mention(
                    article=analysis.article.id,
                    start=at,
                    end=at + len(name),
                    text=name,
                    sentence=sentence.index,
                    section=sentence.section,
                    label="ORG",
                    name=name,
                )
            )
            at = analysis.text.find(name, at + len(name), sentence.end)
    return Entity(
        id=f"org_{name.lower()}",
        name=name,
        type="organization",
        label="ORG",
        aliases=[name],
        mention_count=len(mentions),
        article_count=1,
        mentions=mentions,
    )


ARTICLE = (
    "Acme buys Zenith\n"
    "Bob Writer\n"
    "Acme said on Monday it will buy Zenith. Acme is big.\n"
    "Acme and Zenith and Omega talked. Omega agreed. Acme paid."
)


def _scores(*names: str) -> dict[str, float]:
    analysis = _article(ARTICLE)
    graph = Graph(
        articles=[analysis.article], entities=[_entity(analysis, n) for n in names], edges=[]
    )
    return {e: s for (e, _), s in salience_scores(graph, [analysis]).items()}


def test_salience_of_the_most_mentioned_entity_in_title_and_lead_is_one():
    assert _scores("Acme", "Zenith", "Omega")["org_acme"] == 1.0


def test_salience_share_is_relative_to_the_most_mentioned_entity():
    scores = _scores("Acme", "Zenith", "Omega")
    # Zenith: 3 of Acme's 5 mentions, in the title and the lead.
    assert scores["org_zenith"] == round(0.6 * 3 / 5 + 0.25 + 0.15, 4)
    # Omega: 2 of 5, only in the second paragraph.
    assert scores["org_omega"] == round(0.6 * 2 / 5, 4)


def test_salience_of_an_entity_named_only_in_the_byline_is_zero():
    assert _scores("Acme", "Bob Writer")["org_bob writer"] == 0.0


def test_salience_is_between_zero_and_one():
    assert all(0 <= s <= 1 for s in _scores("Acme", "Zenith", "Omega", "Monday").values())


def test_an_older_store_gains_the_salience_table_and_rebuilds_its_graph(db):
    store = open_store(db)
    store.db.executescript(
        "DROP TABLE salience; DROP TABLE relations; DELETE FROM migrations "
        "WHERE name = '003_salience'; INSERT OR REPLACE INTO meta VALUES ('graph_stale', '0');"
    )
    store.close()
    store = open_store(db)
    assert store.graph_is_stale(corpus_rules())
    assert store.db.execute("SELECT count(*) FROM salience").fetchone() == (0,)


# -- a real store: seeds/ and the GUM fixtures, extracted once -------------------------------


@pytest.fixture(scope="module")
def store_db(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("explore") / "explore.db")
    result = CliRunner().invoke(
        cli, ["extract", str(SEEDS), str(DATA / "gum"), "--db", path], catch_exceptions=False
    )
    assert result.exit_code == 0, result.stderr
    return path


def _run(db: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, [*args, "--db", db], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def _json(db: str, *args: str):
    code, out, err = _run(db, *args)
    assert code == 0, err
    return json.loads(out)


def test_rebuild_fills_salience_for_every_entity_article_pair(store_db):
    with sqlite3.connect(store_db) as c:
        pairs = c.execute("SELECT count(*), min(score), max(score) FROM salience").fetchone()
        mentioned = c.execute(
            "SELECT count(*) FROM (SELECT DISTINCT e.id, json_extract(m.value, '$.article') "
            "FROM entities e, json_each(e.data, '$.mentions') m)"
        ).fetchone()[0]
    assert pairs[0] == mentioned and 0 <= pairs[1] <= pairs[2] <= 1


def test_entities_print_json_in_a_pipe_most_mentioned_first(store_db):
    rows = _json(store_db, "entities")
    assert rows and set(rows[0]) >= {"id", "name", "type", "mention_count", "salience"}
    counts = [r["mention_count"] for r in rows]
    assert counts == sorted(counts, reverse=True)


def test_entities_filter_by_type_and_mentions_and_limit(store_db):
    rows = _json(store_db, "entities", "--type", "person", "--min-mentions", "2", "--limit", "3")
    assert 0 < len(rows) <= 3
    assert all(r["type"] == "person" and r["mention_count"] >= 2 for r in rows)


@pytest.mark.parametrize(
    ("sort", "key", "reverse"),
    [
        ("mentions", "mention_count", True),
        ("articles", "article_count", True),
        ("salience", "salience", True),
        ("name", "name", False),
    ],
)
def test_entities_sort(store_db, sort, key, reverse):
    rows = _json(store_db, "entities", "--sort", sort)
    values = [r[key].casefold() if key == "name" else r[key] for r in rows]
    assert values == sorted(values, reverse=reverse)


def test_entity_salience_is_the_sum_over_its_articles(store_db):
    (scientology,) = [r for r in _json(store_db, "entities") if r["name"] == "Scientology"]
    with sqlite3.connect(store_db) as c:
        (total,) = c.execute(
            "SELECT sum(score) FROM salience WHERE entity_id = ?", (scientology["id"],)
        ).fetchone()
    assert scientology["salience"] == pytest.approx(total, abs=1e-4)


def test_nl_prints_one_record_per_line_and_json_forces_json(store_db):
    as_json = _json(store_db, "entities", "--json")
    _, out, _ = _run(store_db, "entities", "--nl")
    assert [json.loads(line) for line in out.splitlines()] == as_json


def test_listings_print_a_table_on_a_terminal(store_db, monkeypatch):
    monkeypatch.setattr(console, "stdout_is_terminal", lambda: True)
    _, out, _ = _run(store_db, "entities", "--limit", "3")
    assert "salience" in out and "Scientology" in out and not out.lstrip().startswith("[")
    _, out, _ = _run(store_db, "articles")
    assert "top entities" in out


def test_articles_have_title_date_authors_and_top_entities(store_db):
    rows = _json(store_db, "articles")
    seed = next(a for a in rows if a["path"].startswith(str(SEEDS)))
    assert seed["authors"] == ["Tim Alper"] and seed["title"].startswith("Binance China")
    assert "Binance" in [e["name"] for e in seed["top_entities"]]
    defector = next(a for a in rows if a["path"].endswith("GUM_news_defector.txt"))
    assert defector["date"] == "2010-10-09"
    for article in rows:
        scores = [e["salience"] for e in article["top_entities"]]
        assert len(scores) <= 5 and scores == sorted(scores, reverse=True)


def test_articles_of_an_entity_are_the_articles_show_lists(store_db):
    (report,) = _json(store_db, "show", "--entity", "scientology", "--json")
    rows = _json(store_db, "articles", "--entity", "scientology")
    assert {a["id"] for a in rows} == {a["id"] for a in report["articles"]}


def test_articles_of_an_unknown_entity_exit_1_with_near_matches(store_db):
    code, out, err = _run(store_db, "articles", "--entity", "Scientolgy")
    assert code == 1 and json.loads(out) == []
    assert "Did you mean: Scientology" in err


# -- show ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("Binanse", "Binance"),  # a typo
        ("helen hia", "Helen Hai"),  # a typo in one word of two
        ("Boswel", "Caitlin Boswell"),  # one word of a longer name
        ("Montalvoo", "Daniel Montalvo"),
    ],
)
def test_near_matches_find_typos_and_words_of_longer_names(store_db, typed, meant):
    store = open_store(store_db)
    try:
        assert meant in near_matches(store, typed)
    finally:
        store.close()


def test_near_matches_suggest_nothing_for_a_name_like_no_other(store_db):
    store = open_store(store_db)
    try:
        assert near_matches(store, "Xyzzy Qwerty") == []
    finally:
        store.close()


def test_show_json_gives_merges_type_votes_and_relations(store_db):
    (hai,) = _json(store_db, "show", "--entity", "Hai", "--json")
    assert {"alias": "Hai", "reason": "surname"} in hai["merges"]
    assert hai["type_votes"] and sum(hai["type_votes"].values()) >= 1
    (binance_china,) = _json(store_db, "show", "--entity", "Binance China", "--json")
    related = {(r["direction"], r["kind"], r["name"]) for r in binance_china["relations"]}
    assert ("outgoing", "part_of", "Binance") in related
    assert ("incoming", "part_of", "Binance China Blockchain Research Institute") in related


def test_show_gives_each_neighbour_a_sentence_where_both_occur(store_db):
    (report,) = _json(store_db, "show", "--entity", "Daniel Montalvo", "--json")
    assert report["neighbours"]
    for neighbour in report["neighbours"]:
        evidence = neighbour["evidence"]
        marked = {evidence["sentence"][s:e] for s, e in evidence["highlights"]}
        assert len(evidence["highlights"]) >= 2 and "" not in marked


def test_the_evidence_kept_with_each_link_is_the_one_found_from_the_mentions(store_db, tmp_path):
    """`show` reads each link's evidence from the store; a store written before links kept
    it finds the same sentences and highlights from the two entities' mentions."""
    older = tmp_path / "older.db"
    with sqlite3.connect(store_db) as source, sqlite3.connect(older) as copy:
        source.backup(copy)
        copy.execute("UPDATE edges SET evidence = NULL")
    with sqlite3.connect(store_db) as db:
        names = [r[0] for r in db.execute("SELECT name FROM entities ORDER BY id")]
        assert db.execute("SELECT count(*) FROM edges WHERE evidence IS NULL").fetchone()[0] == 0
    shown = 0
    for name in names:
        kept = _json(store_db, "show", "--entity", name, "--all", "--json")
        found = _json(str(older), "show", "--entity", name, "--all", "--json")
        assert kept == found, name
        shown += sum(1 for report in kept for n in report["neighbours"] if n["evidence"])
    assert shown > 100


def test_show_human_report_gives_merges_votes_relations_and_evidence(store_db):
    code, out, err = _run(store_db, "show", "--entity", "Binance China")
    text = out + err
    assert code == 0
    assert "part of: Binance" in text and "type votes: organization" in text
    assert "for example" in text
    _, out, err = _run(store_db, "show", "--entity", "Montalvo")
    assert "merged: Daniel (given_name), Montalvo (surname)" in out + err


def test_show_unknown_entity_suggests_the_nearest_names(store_db):
    code, _, err = _run(store_db, "show", "--entity", "Scientolgy")
    assert code == 1 and "Did you mean: Scientology" in err


@pytest.mark.parametrize(
    "args",
    [
        ["entities", "--json"],
        ["articles", "--entity", "Binance", "--json"],
        ["show", "--entity", "Binance", "--json"],
    ],
    ids=["entities", "articles", "show"],
)
def test_store_commands_do_not_import_spacy(store_db, args):
    code = (
        f"import sys; from newsents.cli import main; sys.argv = ['newsents', *{args!r}, "
        f"'--db', {store_db!r}]\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n"
        "assert 'spacy' not in sys.modules, 'imported spaCy'"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)


def test_shows_report_from_the_stored_json_is_the_models_field_for_field(store_db):
    """`show` builds its report from the store's JSON, without pydantic; `find_entity` checks
    the same dicts against `EntityReport`: a field missed, misnamed or of another form would
    differ here (a default filled in) or fail there."""
    store = open_store(store_db, create=False)
    try:
        names = [r[0] for r in store.db.execute("SELECT name FROM entities ORDER BY id")]
        for name in names[::4]:
            for limits in ({}, {"max_neighbours": None, "max_contexts": None}):
                reports = entity_reports(store, name, **limits)
                models = find_entity(store, name, **limits)
                assert json.loads(json.dumps(reports)) == [
                    m.model_dump(mode="json") for m in models
                ], name
    finally:
        store.close()
    assert len(names[::4]) > 20


def test_show_prints_its_report_without_importing_pydantic(store_db):
    """Importing pydantic and building the output models was 0.13 s of the 0.3 s `show`
    took: it reads the store's JSON as it is (docs/scale.md)."""
    code = (
        "import sys; from newsents.cli import main; sys.argv = ['newsents', 'show', '--entity', "
        f"'Binance China', '--db', {store_db!r}]\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n"
        "assert 'pydantic' not in sys.modules, 'show imported pydantic'"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "part of: Binance" in done.stdout and "Occurs with" in done.stdout


def test_show_reads_a_graph_another_version_wrote(store_db, tmp_path):
    """An older version's entities may lack fields this one writes: the model fills them in."""
    older = tmp_path / "older.db"
    with sqlite3.connect(store_db) as source, sqlite3.connect(older) as copy:
        source.backup(copy)
        copy.execute("UPDATE meta SET value = 'older' WHERE key = 'graph_rules'")
        copy.execute("UPDATE entities SET data = json_remove(data, '$.granularity', '$.value')")
    (report,) = _json(str(older), "show", "--entity", "Binance China", "--json")
    assert report["granularity"] is None and report["value"] is None
    code, out, err = _run(str(older), "show", "--entity", "Binance China")
    assert code == 0 and "part of: Binance" in out
    assert "out of date" in err


def test_articles_give_the_dateline_captions_and_credits_the_loader_read(tmp_path):
    story = tmp_path / "ferry.txt"
    story.write_text(
        "Ferry talks stall\n\nA ferry leaves Oslo harbour on Monday.\nREUTERS/Ana Lindqvist\n\n"
        "OSLO (Reuters) - The ferry talks stalled on Monday, the union said.\n",
        encoding="utf-8",
    )
    db = str(tmp_path / "ferry.db")
    code, _, err = _run(db, "extract", str(story))
    assert code == 0, err
    (article,) = _json(db, "articles", "--json")
    assert article["dateline"] == "OSLO"
    assert article["captions"] == ["A ferry leaves Oslo harbour on Monday."]
    assert article["credits"] == ["REUTERS/Ana Lindqvist"]
