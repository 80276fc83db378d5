"""End to end through the CLI with the real pinned model, on real Wikinews articles.

The fixtures under tests/data/gum/ are three GUM corpus documents (see its ATTRIBUTION); the
`corpus` tests run over the full corpora in ../shared and skip when it is absent.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DATA, run_json

from newsents.cli import cli

GUM = DATA / "gum"
# The articles are named one by one: the folder also holds README.md, which extract would read.
GUM_FILES = sorted(GUM.glob("*.txt"))
GUM_ARGS = [str(p) for p in GUM_FILES]
GOLD = GUM / "gum-news-sample.jsonl"

# What the page says under each headline and image: checked by reading the files by eye.
EXPECTED_CREDITS = {
    "GUM_news_afghan.txt": ["United States Navy"],
    "GUM_news_defector.txt": ["Mark Rathbun"],
    "GUM_news_questionnaire.txt": ["UK Government", "Brian Burnell", "Home Office"],
}
# Named people that the gold file marks as persons and that the pinned model finds as persons.
EXPECTED_PEOPLE = [
    ("GUM_news_afghan", "Donald Trump"),
    ("GUM_news_afghan", "Alireza Mehraban"),
    ("GUM_news_afghan", "Rodaba Noori"),
    ("GUM_news_defector", "Daniel Montalvo"),
    ("GUM_news_defector", "Kendrick Moxon"),
    ("GUM_news_defector", "Steve Whitmore"),
    ("GUM_news_defector", "Tom Devocht"),
    ("GUM_news_questionnaire", "Yvette Cooper"),
    ("GUM_news_questionnaire", "Rishi Sunak"),
]


def read_source(path: str | Path) -> str:
    """The file as the loader sees a UTF-8 file: decoded, newlines normalised to \\n."""
    text = Path(path).read_bytes().decode("utf-8")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def all_mentions(graph: dict) -> list[dict]:
    return [m for e in graph["entities"] for m in e["mentions"]]


def extract(runner, paths: list[str], db: str) -> tuple[int, dict, str]:
    return run_json(runner, ["extract", *paths, "--db", db])


@pytest.fixture(scope="module")
def gum_graph(tmp_path_factory) -> dict:
    """The graph of the GUM fixture folder (extracted once: the model run is the slow part)."""
    from click.testing import CliRunner

    db = str(tmp_path_factory.mktemp("gum") / "gum.db")
    code, graph, err = extract(CliRunner(), GUM_ARGS, db)
    assert code == 0, err
    return graph


@pytest.fixture(scope="module")
def articles_by_file(gum_graph) -> dict[str, dict]:
    return {Path(a["path"]).name: a for a in gum_graph["articles"]}


# -- the GUM fixture folder ---------------------------------------------------------------


def test_fixture_folder_gives_one_article_per_file(gum_graph):
    assert len(GUM_FILES) == 3
    assert [a["path"] for a in gum_graph["articles"]] == GUM_ARGS
    assert all(a["encoding"] == "utf-8" for a in gum_graph["articles"])


@pytest.mark.parametrize("path", GUM_FILES, ids=lambda p: p.stem)
def test_title_is_the_headline_and_published_is_the_date_line(articles_by_file, path):
    article = articles_by_file[path.name]
    headline, date_line = [line for line in read_source(path).split("\n") if line.strip()][:2]
    assert article["title"] == headline
    expected = datetime.strptime(date_line, "%A, %B %d, %Y").date().isoformat()
    assert article["published"] == expected
    assert article["updated"] is None and article["authors"] == []


def test_afghan_article_is_dated_21_july_2017(articles_by_file):
    assert articles_by_file["GUM_news_afghan.txt"]["published"] == "2017-07-21"


@pytest.mark.parametrize("path", GUM_FILES, ids=lambda p: p.stem)
def test_captions_are_kept_and_image_credits_listed(articles_by_file, path):
    article = articles_by_file[path.name]
    source = read_source(path)
    assert article["credits"] == EXPECTED_CREDITS[path.name]
    assert article["captions"]
    for caption in article["captions"]:
        assert caption in source
        assert "Image:" not in caption
    if path.name == "GUM_news_afghan.txt":
        assert article["captions"] == [
            "The first FIRST Global robotics competition was held this week in Washington D.C."
        ]


def _credit_spans(source: str, credit: str) -> list[tuple[int, int]]:
    """Where "Image: <credit>" stands in the source: the whole credit, label included."""
    found = [m.span() for m in re.finditer(re.escape(f"Image: {credit}"), source)]
    assert found, f"credit {credit!r} not found in the source"
    return found


def test_the_names_in_an_image_credit_are_mentions_inside_it_linked_to_nothing(gum_graph):
    """News annotation counts a credited photographer or agency as named (GUM and CoNLL++
    do), so the credit's names are mentions; a credit is no sentence of the story, so they
    co-occur with nothing there. No name runs from a caption into its credit."""
    credited = 0
    for article in gum_graph["articles"]:
        source = read_source(article["path"])
        spans = [span for c in article["credits"] for span in _credit_spans(source, c)]
        mentions = [m for m in all_mentions(gum_graph) if m["article"] == article["id"]]
        for m in mentions:
            inside = [(s, e) for s, e in spans if m["start"] < e and m["end"] > s]
            if inside:
                start, end = inside[0]
                assert start <= m["start"] and m["end"] <= end, (m, source[start:end])
                assert m["section"] == "credit"
                credited += 1
            else:
                assert m["section"] != "credit"
            assert not m["text"].endswith(" Image"), m
    assert credited >= 4
    by_name = {e["name"]: e for e in gum_graph["entities"]}
    assert by_name["Brian Burnell"]["type"] == "person"
    burnell = by_name["Brian Burnell"]["id"]
    assert not [e for e in gum_graph["edges"] if burnell in (e["source"], e["target"])]
    # A credited photographer who is also in the story is found in both.
    rathbun = by_name["Mark Rathbun"]
    assert rathbun["type"] == "person"
    assert {m["section"] for m in rathbun["mentions"]} == {"body", "credit"}


def test_every_mention_is_an_exact_span_of_its_source_file(gum_graph):
    sources = {a["id"]: read_source(a["path"]) for a in gum_graph["articles"]}
    mentions = all_mentions(gum_graph)
    assert len(mentions) > 100
    for m in mentions:
        assert sources[m["article"]][m["start"] : m["end"]] == m["text"], m


@pytest.mark.parametrize(("doc", "name"), EXPECTED_PEOPLE)
def test_gold_people_found_by_the_model_are_person_entities(gum_graph, articles_by_file, doc, name):
    gold = next(
        json.loads(line)
        for line in GOLD.read_text(encoding="utf-8").splitlines()
        if json.loads(line)["id"] == doc
    )
    gold_people = [(g["start"], g["end"]) for g in gold["mentions"] if g["etype"] == "person"]
    article_id = articles_by_file[f"{doc}.txt"]["id"]
    (entity,) = [e for e in gum_graph["entities"] if e["name"] == name]
    assert entity["type"] == "person"
    mentions = [m for m in entity["mentions"] if m["article"] == article_id]
    assert mentions
    # Each mention lies within a span the annotators marked as a person ("President Donald Trump").
    for m in mentions:
        assert any(s <= m["start"] and m["end"] <= e for s, e in gold_people), m


def test_edges_join_only_entities_that_exist(gum_graph):
    ids = {e["id"] for e in gum_graph["entities"]}
    assert gum_graph["edges"]
    for edge in gum_graph["edges"]:
        assert edge["source"] in ids and edge["target"] in ids
        assert edge["source"] < edge["target"]


def test_entities_and_edges_are_sorted_by_stable_keys(gum_graph):
    entities = gum_graph["entities"]
    keys = [(e["type"], e["name"].casefold(), e["id"]) for e in entities]
    assert keys == sorted(keys)
    assert len({e["id"] for e in entities}) == len(entities)
    pairs = [(d["source"], d["target"]) for d in gum_graph["edges"]]
    assert pairs == sorted(pairs)
    assert len(set(pairs)) == len(pairs)


# -- runs and the store -------------------------------------------------------------------


def test_two_fresh_stores_give_byte_identical_output(runner, tmp_path):
    outputs = []
    for name in ("first.db", "second.db"):
        result = runner.invoke(
            cli, ["extract", *GUM_ARGS, "--db", str(tmp_path / name)], catch_exceptions=False
        )
        assert result.exit_code == 0
        outputs.append(result.stdout_bytes)
    assert outputs[0] == outputs[1]
    assert json.loads(outputs[0])["entities"]


def _forbid_nlp(monkeypatch):
    def no_nlp(name):
        raise AssertionError("the stored analysis should have been reused")

    monkeypatch.setattr("newsents.nlp.load_pipeline", no_nlp)


def test_same_content_at_a_new_path_reuses_the_analysis_and_reports_the_new_path(
    runner, db, tmp_path, monkeypatch
):
    original = GUM / "GUM_news_afghan.txt"
    code, first, _ = extract(runner, [str(original)], db)
    assert code == 0
    moved = tmp_path / "elsewhere" / "robotics.txt"
    moved.parent.mkdir()
    shutil.copy(original, moved)
    _forbid_nlp(monkeypatch)
    code, second, _ = extract(runner, [str(moved)], db)
    assert code == 0
    (article,) = second["articles"]
    assert article["path"] == str(moved)
    assert article["id"] == first["articles"][0]["id"]
    assert second["entities"] == first["entities"]


def test_a_changed_file_replaces_its_old_version_in_the_store(runner, db, tmp_path):
    path = tmp_path / "defector.txt"
    shutil.copy(GUM / "GUM_news_defector.txt", path)
    code, before, _ = extract(runner, [str(path)], db)
    assert code == 0
    assert "Jason Beghe" in {e["name"] for e in before["entities"]}

    text = path.read_text(encoding="utf-8")
    assert text.count("actor Jason Beghe") == 1
    path.write_text(text.replace("actor Jason Beghe", "an actor"), encoding="utf-8")
    code, after, _ = extract(runner, [str(path)], db)
    assert code == 0
    (article,) = after["articles"]
    assert article["id"] != before["articles"][0]["id"]
    assert "Jason Beghe" not in {e["name"] for e in after["entities"]}

    gone = runner.invoke(cli, ["show", "--entity", "Jason Beghe", "--db", db])
    assert gone.exit_code == 1
    kept = runner.invoke(cli, ["show", "--entity", "Tiziano Lugli", "--db", db, "--json"])
    assert kept.exit_code == 0
    assert json.loads(kept.stdout)[0]["articles"][0]["id"] == article["id"]


def test_byte_identical_files_are_one_article_and_the_copy_is_named(runner, db, tmp_path):
    folder = tmp_path / "copies"
    folder.mkdir()
    for name in ("a.txt", "b.txt"):
        shutil.copy(GUM / "GUM_news_afghan.txt", folder / name)
    code, graph, err = extract(runner, [str(folder)], db)
    assert code == 0
    assert [a["path"] for a in graph["articles"]] == [str(folder / "a.txt")]
    assert "b.txt" in err and "same content as" in err and "a.txt" in err


# -- whole corpora in ../shared -----------------------------------------------------------


def _assert_offsets_hold(graph: dict) -> None:
    from newsents.load import read_article

    sources = {a["id"]: read_article(a["path"]).text for a in graph["articles"]}
    bad = [
        (m["article"], m["start"], m["end"], m["text"])
        for m in all_mentions(graph)
        if sources[m["article"]][m["start"] : m["end"]] != m["text"]
    ]
    assert not bad, f"{len(bad)} mentions are not source[start:end], e.g. {bad[:5]}"
    # One mention never belongs to two entities: no two mentions of an article overlap.
    spans = sorted((m["article"], m["start"], m["end"], m["text"]) for m in all_mentions(graph))
    overlapping = [
        (a, b) for a, b in zip(spans, spans[1:], strict=False) if a[0] == b[0] and b[1] < a[2]
    ]
    assert not overlapping, f"{len(overlapping)} overlapping mentions, e.g. {overlapping[:3]}"


@pytest.mark.corpus
def test_whole_bbc_corpus_extracts_with_exact_offsets(runner, shared, tmp_path):
    from newsents.load import content_id, iter_input_files

    bbc = shared / "corpora" / "bbc"
    files = list(iter_input_files([str(bbc)]))
    assert len(files) == 2225
    code, graph, err = extract(runner, [str(bbc)], str(tmp_path / "bbc.db"))
    assert code == 0, err
    # 98 of the files repeat another file byte for byte; every distinct content is an article
    # (see test_byte_identical_files_at_two_paths_are_two_articles for the duplicates).
    contents = {content_id(Path(f).read_bytes()) for f in files}
    assert {a["id"] for a in graph["articles"]} == contents
    assert {a["path"] for a in graph["articles"]} <= set(files)
    _assert_offsets_hold(graph)
    latin1 = next(a for a in graph["articles"] if a["path"] == str(bbc / "sport" / "199.txt"))
    assert latin1["encoding"] != "utf-8"
    assert "sport/199.txt" in err


@pytest.mark.corpus
@pytest.mark.parametrize("folder", ["gum-news-txt", "conll2003-dev-txt"])
def test_gold_eval_folders_extract_with_exact_offsets(runner, shared, tmp_path, folder):
    path = shared / "eval" / folder
    code, graph, err = extract(runner, [str(path)], str(tmp_path / "eval.db"))
    assert code == 0, err
    assert len(graph["articles"]) == len(list(path.glob("*.txt")))
    _assert_offsets_hold(graph)


def _as_if_an_older_build_made(db: Path, *, keep_model_output: bool) -> None:
    """Make a store look filled by an older build: other rules (a name resolved differently)
    and a graph those rules built; without model outputs, a build from before they were kept."""
    c = sqlite3.connect(db)
    with c:
        for article_id, analysis in c.execute("SELECT id, analysis FROM articles").fetchall():
            data = json.loads(analysis)
            for mention in data["mentions"]:
                mention["name"] = mention["key"] = mention["name"][:4]
            c.execute(
                "UPDATE articles SET analyzer = 'older rules', analysis = ? WHERE id = ?",
                (json.dumps(data), article_id),
            )
        c.execute("UPDATE entities SET name = substr(name, 1, 4)")
        c.execute("UPDATE meta SET value = 'older rules' WHERE key = 'graph_rules'")
        if not keep_model_output:
            c.execute("DELETE FROM model_outputs")
    c.close()


STORY = "Lender in court\n\nQuillmoor Capital was sued by Dana Whitcombe in Lisbon on Monday.\n"


def test_a_store_made_by_a_build_with_other_rules_gives_the_fresh_graph_without_nlp(
    tmp_path, monkeypatch
):
    """Stored analyses are keyed by a fingerprint of the rules' code: a store an older build
    filled gives, re-run with this build, the graph a fresh store gives, resolved again from
    the model output it keeps (the model is not even loaded)."""
    from newsents import nlp
    from newsents.pipeline import extract
    from newsents.store import open_store

    article = tmp_path / "story.txt"
    article.write_text(STORY, "utf-8")
    fresh = open_store(tmp_path / "fresh.db")
    expected = extract([str(article)], store=fresh).graph
    fresh.close()
    assert "Quillmoor Capital" in [e.name for e in expected.entities]

    old = open_store(tmp_path / "old.db")
    extract([str(article)], store=old)
    old.close()
    _as_if_an_older_build_made(tmp_path / "old.db", keep_model_output=True)
    old = open_store(tmp_path / "old.db")

    def no_model(name: str):
        raise AssertionError("the model should not run: its output is stored")

    monkeypatch.setattr(nlp, "load_pipeline", no_model)
    again = extract([str(article)], store=old)
    assert (again.analysed, again.resolved, again.reused) == (0, 1, 0)
    assert again.graph == expected
    assert old.load_graph().entities == expected.entities
    old.close()


def test_a_store_from_before_model_outputs_were_kept_is_analysed_again(tmp_path):
    from newsents.pipeline import extract
    from newsents.store import open_store

    article = tmp_path / "story.txt"
    article.write_text(STORY, "utf-8")
    store = open_store(tmp_path / "old.db")
    expected = extract([str(article)], store=store).graph
    store.close()
    _as_if_an_older_build_made(tmp_path / "old.db", keep_model_output=False)
    store = open_store(tmp_path / "old.db")
    again = extract([str(article)], store=store)
    assert (again.analysed, again.resolved) == (1, 0)
    assert again.graph == expected
    store.close()


def test_rebuild_brings_an_old_store_up_to_date_without_its_files(tmp_path):
    runner = CliRunner()
    article = tmp_path / "story.txt"
    article.write_text(STORY, "utf-8")
    db = str(tmp_path / "news.db")
    assert runner.invoke(cli, ["extract", str(article), "--db", db]).exit_code == 0
    expected = runner.invoke(cli, ["export", "--db", db]).stdout
    _as_if_an_older_build_made(Path(db), keep_model_output=True)
    article.unlink()

    stale = runner.invoke(cli, ["entities", "--db", db, "--json"])
    assert stale.exit_code == 0 and "out of date" in stale.stderr and "rebuild" in stale.stderr
    assert "Quillmoor Capital" not in stale.stdout
    done = runner.invoke(cli, ["rebuild", "--db", db])
    assert done.exit_code == 0, done.stderr
    after = runner.invoke(cli, ["export", "--db", db])
    assert after.stdout == expected and "out of date" not in after.stderr


def test_read_commands_never_write_to_the_store_even_when_its_graph_is_stale(tmp_path):
    import hashlib

    runner = CliRunner()
    article = tmp_path / "story.txt"
    article.write_text(STORY, "utf-8")
    db = tmp_path / "news.db"
    assert runner.invoke(cli, ["extract", str(article), "--db", str(db)]).exit_code == 0
    _as_if_an_older_build_made(db, keep_model_output=True)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    for args in (
        ["entities", "--json"],
        ["articles", "--json"],
        ["show", "--entity", "Quillmoor Capital"],
        ["export", "--format", "json"],
    ):
        result = runner.invoke(cli, [*args, "--db", str(db)])
        assert result.exit_code == 0, (args, result.stderr)
        assert "out of date" in result.stderr
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    # SQLite's readers may leave its shared-memory index beside a WAL store, never a change.
    wal = tmp_path / "news.db-wal"
    assert not wal.exists() or wal.stat().st_size == 0


def test_a_read_command_on_a_sqlite_file_that_is_no_store_changes_nothing(tmp_path):
    import hashlib

    other = tmp_path / "other.db"
    with sqlite3.connect(other) as c:
        c.execute("CREATE TABLE notes (body TEXT)")
    before = hashlib.sha256(other.read_bytes()).hexdigest()
    result = CliRunner().invoke(cli, ["entities", "--db", str(other)])
    assert result.exit_code == 1 and "not a newsents store" in result.stderr
    assert "Traceback" not in result.stderr
    assert hashlib.sha256(other.read_bytes()).hexdigest() == before


def test_an_extract_of_one_new_file_brings_the_rest_of_an_old_store_up_to_date(tmp_path):
    """After an upgrade, extracting one new file resolves the other stored articles again
    too (from their model output): the graph is never a mix of old and new rules."""
    from newsents.pipeline import extract
    from newsents.store import open_store

    story, other = tmp_path / "story.txt", tmp_path / "other.txt"
    story.write_text(STORY, "utf-8")
    other.write_text("Mill sold\n\nHarlow Paper was sold to Vantor Group.\n", "utf-8")
    fresh = open_store(tmp_path / "fresh.db")
    extract([str(story)], store=fresh)
    expected = extract([str(other)], store=fresh)
    expected_entities = fresh.load_graph().entities
    fresh.close()
    old = open_store(tmp_path / "old.db")
    extract([str(story)], store=old)
    old.close()
    _as_if_an_older_build_made(tmp_path / "old.db", keep_model_output=True)
    old = open_store(tmp_path / "old.db")
    again = extract([str(other)], store=old)
    assert again.graph == expected.graph
    assert old.load_graph().entities == expected_entities
    old.close()


def test_an_article_in_another_script_is_stored_with_a_warning_and_no_model_entities(tmp_path):
    # The English model reads Cyrillic as noise (`Есть` a person): nothing is taken from it.
    from click.testing import CliRunner

    from newsents.cli import cli

    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "moscow.txt").write_text(
        "Новый музей\n\nВчера в Москве открылся новый музей современного искусства. Есть мнение, "
        "что Иван Петров и Мария Смирнова помогли собрать коллекцию картин для города.\n",
        encoding="utf-8",
    )
    (folder / "lisbon.txt").write_text(
        "Harbour reopens\n\nMaria Lopez reopened the harbour in Lisbon on Monday, and the mayor "
        "of Moscow, Сергей Орлов, sent his thanks.\n",
        encoding="utf-8",
    )
    db = str(tmp_path / "n.db")
    result = CliRunner().invoke(cli, ["extract", str(folder), "--db", db])
    assert result.exit_code == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "script" in line]
    assert len(warnings) == 1 and "moscow.txt" in warnings[0] and "Cyrillic" in warnings[0]
    graph = json.loads(result.stdout)
    moscow = next(a["id"] for a in graph["articles"] if a["path"].endswith("moscow.txt"))
    in_moscow = [
        e["name"] for e in graph["entities"] if any(m["article"] == moscow for m in e["mentions"])
    ]
    assert in_moscow == []
    assert {"Maria Lopez", "Lisbon"} <= {e["name"] for e in graph["entities"]}


# Our own wire story: its sign-off names the reporter and editor, who are not in the story.
WIRE_STORY = """Dock workers end strike in Valparaiso

Dock workers in Valparaiso ended a two-week strike on Friday after the port operator Pacific \
Quay Holdings agreed to raise wages, union leader Marta Soto said.

The agreement covers about 3,000 workers. Marta Soto said the union would vote on it in \
Valparaiso on Monday. (Reporting by Daniel Whitmore in Santiago; Editing by Helen Ashford)
"""


def test_a_wire_sign_off_names_people_who_link_to_nothing_in_the_story(runner, tmp_path):
    story = tmp_path / "strike.txt"
    story.write_text(WIRE_STORY, encoding="utf-8")
    code, graph, err = extract(runner, [str(story)], str(tmp_path / "n.db"))
    assert code == 0, err
    by_name = {e["name"]: e for e in graph["entities"]}
    staff = [by_name[name] for name in ("Daniel Whitmore", "Helen Ashford")]
    assert all(e["type"] == "person" for e in staff)
    assert {m["section"] for e in staff for m in e["mentions"]} == {"signoff"}
    linked = {e["source"] for e in graph["edges"]} | {e["target"] for e in graph["edges"]}
    assert linked and not linked & {e["id"] for e in staff}
    assert by_name["Marta Soto"]["id"] in linked  # the story's own people still link
