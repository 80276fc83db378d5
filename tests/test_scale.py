"""Re-runs and reads at scale: what costs only what is new, and what streams (issue 12).

The GUM fixture articles (tests/data/gum, CC BY, see its ATTRIBUTION) stand in for a corpus;
the figures on the BBC corpus are measured by benchmarks/store_scale.py, never here.
"""

from __future__ import annotations

import json
import re

import pytest
from conftest import DATA

from newsents.cli import cli
from newsents.console import dump_json
from newsents.store import open_store

GUM_ARGS = [str(p) for p in sorted((DATA / "gum").glob("*.txt"))]


def _forbid_resolving(monkeypatch):
    def no(*args, **kwargs):
        raise AssertionError("a re-run with nothing new should resolve and build nothing")

    monkeypatch.setattr("newsents.pipeline.build_graph", no)
    monkeypatch.setattr("newsents.pipeline.analyse_article", no)
    monkeypatch.setattr("newsents.store.Store.load_analyses", no)


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    """A store of the GUM articles and the bytes its first `extract` printed."""
    from click.testing import CliRunner

    db = str(tmp_path_factory.mktemp("scale") / "news.db")
    result = CliRunner().invoke(cli, ["extract", *GUM_ARGS, "--db", db], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return db, result.stdout_bytes


def test_a_rerun_with_nothing_new_prints_the_same_bytes_without_resolving_anything(
    runner, first_run, monkeypatch
):
    db, first = first_run
    _forbid_resolving(monkeypatch)
    again = runner.invoke(cli, ["extract", *GUM_ARGS, "--db", db], catch_exceptions=False)
    assert again.exit_code == 0, again.stderr
    assert again.stdout_bytes == first
    pretty = runner.invoke(cli, ["extract", *GUM_ARGS, "--db", db, "--pretty"])
    assert pretty.stdout == json.dumps(json.loads(first), ensure_ascii=False, indent=2) + "\n"


def test_the_streamed_graph_is_the_stored_graph_as_json_dumps_writes_it(runner, first_run):
    db, first = first_run
    store = open_store(db, create=False)
    graph = store.load_graph()
    store.close()
    assert first.decode() == dump_json(graph.model_dump(mode="json"), pretty=False)
    export = runner.invoke(cli, ["export", "--format", "json", "--db", db, "--compact"])
    assert export.stdout_bytes == first


def test_filtered_streamed_exports_equal_the_filtered_graph(runner, first_run, tmp_path):
    from newsents.export import filter_graph, to_cypher, to_jsonl

    db, _ = first_run
    store = open_store(db, create=False)
    graph = filter_graph(store.load_graph(), types={"person", "place"}, min_weight=2)
    store.close()
    assert graph.entities and graph.edges  # the filter keeps something to compare
    args = ["--db", db, "--type", "person", "--type", "place", "--min-weight", "2"]
    as_json = runner.invoke(cli, ["export", "--format", "json", "--compact", *args])
    assert as_json.stdout == dump_json(graph.model_dump(mode="json"), pretty=False)
    as_jsonl = runner.invoke(cli, ["export", "--format", "jsonl", *args])
    assert as_jsonl.stdout == "".join(to_jsonl(graph))
    out = tmp_path / "graph.cypher"
    runner.invoke(cli, ["export", "--format", "cypher", "-o", str(out), *args])
    streamed = out.read_text(encoding="utf-8")
    # Salience is the store's: a Graph alone does not carry it.
    assert "salience: null" not in streamed and "salience: null" in to_cypher(graph)
    assert _without_salience(streamed) == _without_salience(to_cypher(graph))


def _without_salience(script: str) -> str:
    return re.sub(r"salience: (null|[0-9.]+)", "salience: _", script)


def test_a_run_naming_some_of_the_stored_articles_prints_their_graph_only(runner, first_run):
    db, _ = first_run
    code = runner.invoke(cli, ["extract", GUM_ARGS[0], "--db", db])
    assert code.exit_code == 0, code.stderr
    graph = json.loads(code.stdout)
    assert [a["path"] for a in graph["articles"]] == [GUM_ARGS[0]]
    ids = {a["id"] for a in graph["articles"]}
    assert all(m["article"] in ids for e in graph["entities"] for m in e["mentions"])


def test_an_export_to_a_file_that_cannot_be_finished_leaves_the_old_file_whole(
    runner, first_run, tmp_path, monkeypatch
):
    db, _ = first_run
    out = tmp_path / "graph.jsonl"
    out.write_text("the previous export\n", encoding="utf-8")

    def broken(graph):
        yield '{"kind":"article"}\n'
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("newsents.export.to_jsonl", broken)
    result = runner.invoke(cli, ["export", "--format", "jsonl", "-o", str(out), "--db", db])
    assert result.exit_code == 1
    assert "No space left on device" in result.stderr
    assert out.read_text(encoding="utf-8") == "the previous export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.jsonl"]


# -- files not read again ------------------------------------------------------------------


def _counting_reads(monkeypatch) -> list[str]:
    """The files `extract` reads (parses) from now on."""
    import newsents.pipeline as pipeline

    read: list[str] = []
    real = pipeline.read_source

    def counted(path, options=None):
        read.append(path)
        return real(path, options)

    monkeypatch.setattr(pipeline, "read_source", counted)
    return read


def _corpus(tmp_path):
    folder = tmp_path / "news"
    folder.mkdir()
    for source in sorted((DATA / "gum").glob("*.txt"))[:3]:
        (folder / source.name).write_bytes(source.read_bytes())
    (folder / "dump.jsonl").write_text(
        json.dumps({"title": "Harbour", "text": "Maria Lopez opened the harbour in Lisbon."})
        + "\n"
        + json.dumps({"title": "Ferry", "text": "Carlos Ortega ran the ferry to Madrid."})
        + "\n",
        encoding="utf-8",
    )
    (folder / "broken.json").write_text("{ not json", encoding="utf-8")
    return folder


def test_a_rerun_reads_no_file_that_has_not_changed_and_prints_the_same(
    runner, tmp_path, monkeypatch
):
    folder = _corpus(tmp_path)
    db = str(tmp_path / "n.db")
    first = runner.invoke(cli, ["extract", str(folder), "--db", db])
    assert first.exit_code == 1  # broken.json
    read = _counting_reads(monkeypatch)
    again = runner.invoke(cli, ["extract", str(folder), "--db", db])
    assert again.exit_code == 1 and "broken.json" in again.stderr  # said again, every run
    assert read == [str(folder / "broken.json")]
    assert again.stdout_bytes == first.stdout_bytes
    assert "5 already stored" in again.stderr, again.stderr


def test_a_changed_or_touched_file_is_read_again(runner, tmp_path, monkeypatch):
    import os

    folder = _corpus(tmp_path)
    (folder / "broken.json").unlink()
    db = str(tmp_path / "n.db")
    assert runner.invoke(cli, ["extract", str(folder), "--db", db]).exit_code == 0
    dump, text = folder / "dump.jsonl", sorted(folder.glob("*.txt"))[0]
    with dump.open("a", encoding="utf-8") as more:
        more.write(json.dumps({"title": "Port", "text": "Ana Ruiz sailed from Porto."}) + "\n")
    stat = text.stat()
    os.utime(text, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # same content
    read = _counting_reads(monkeypatch)
    again = runner.invoke(cli, ["extract", str(folder), "--db", db])
    assert again.exit_code == 0, again.stderr
    assert sorted(read) == sorted([str(dump), str(text)])
    assert "Ana Ruiz" in {e["name"] for e in json.loads(again.stdout)["entities"]}
    # Read with other options, every file is read again.
    read.clear()
    dated = runner.invoke(cli, ["extract", str(folder), "--db", db, "--published", "2024-05-01"])
    assert dated.exit_code == 0, dated.stderr
    assert len(read) == 4  # every file


def test_a_file_whose_article_was_removed_is_read_again(runner, tmp_path, monkeypatch):
    folder = _corpus(tmp_path)
    (folder / "broken.json").unlink()
    db = str(tmp_path / "n.db")
    assert runner.invoke(cli, ["extract", str(folder), "--db", db]).exit_code == 0
    text = sorted(folder.glob("*.txt"))[0]
    assert runner.invoke(cli, ["remove", str(text), "--db", db]).exit_code == 0
    read = _counting_reads(monkeypatch)
    again = runner.invoke(cli, ["extract", str(folder), "--db", db])
    assert again.exit_code == 0 and read == [str(text)], (read, again.stderr)


# Articles of our own for the corpus added in parts: the second part makes `Ramanathan`, a
# lone surname in the first part's second article, a surname two people share, so a stored
# article is resolved otherwise once new ones come (not only the new ones change).
PARTS = {
    "part1/ferry-vote.txt": (
        "Harbour council backs new ferry\n\n"
        "The Harbour Council in Port Elwyn voted on Tuesday to fund a new ferry. Councillor "
        "Priya Ramanathan said the vote had been close. Port Elwyn has waited years for a "
        "service to the mainland.\n"
    ),
    "part1/ferry-fares.txt": (
        "Ferry fares divide the town\n\n"
        "Ramanathan told reporters that the Elwyn Ferry Company would run the boats from "
        "March. Shopkeepers in Port Elwyn said the fares were too high for families.\n"
    ),
    "part2/second-candidate.txt": (
        "A second Ramanathan joins the race\n\n"
        "Vikram Ramanathan, who runs a bakery on the quay, will stand for the council next "
        "year. Vikram Ramanathan said the ferry was long overdue.\n"
    ),
    "part3/boats-ordered.txt": (
        "Ferry company orders two boats\n\n"
        "The Elwyn Ferry Company has ordered two boats from a yard in Glasgow. The Elwyn "
        "Ferry Company said the first would sail in the spring, weather permitting.\n"
    ),
}


def _write_parts(root):
    for name, text in PARTS.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    gum = sorted((DATA / "gum").glob("*.txt"))
    return [[str(root / "part1"), str(gum[0])], [str(root / "part2"), str(gum[1])],
            [str(root / "part3"), str(gum[2])]]  # fmt: skip


def _graph_rows(db):
    """Every row of the graph tables, sorted: what the stored graph is, whatever its order."""
    store = open_store(db, create=False)
    tables = ("entities", "entity_names", "edges", "salience", "relations", "graph_articles")
    rows = {t: sorted(store.db.execute(f"SELECT * FROM {t}").fetchall()) for t in tables}
    store.close()
    return rows


def _record_updates(monkeypatch):
    """The dirty articles of each update of a stored graph, by the ids of the articles' paths."""
    from newsents import graph_update, pipeline

    dirty: list[set[str]] = []

    def recording(resolved, states, stored, heads):
        update = graph_update.graph_update(resolved, states, stored, heads)
        paths = {a.article.id: a.article.path for a in resolved.analyses}
        dirty.append({paths.get(a, a) for a in update.dirty})
        return update

    monkeypatch.setattr(pipeline, "graph_update", recording)
    return dirty


def test_a_store_added_to_in_three_parts_holds_the_graph_of_one_run(runner, tmp_path, monkeypatch):
    parts = _write_parts(tmp_path)
    dirty = _record_updates(monkeypatch)
    added = str(tmp_path / "added.db")
    so_far: list[str] = []
    for part in parts:
        so_far += part
        result = runner.invoke(cli, ["extract", *so_far, "--db", added], catch_exceptions=False)
        assert result.exit_code == 0, result.stderr
    whole = str(tmp_path / "whole.db")
    at_once = runner.invoke(cli, ["extract", *so_far, "--db", whole], catch_exceptions=False)
    assert result.stdout_bytes == at_once.stdout_bytes
    assert _graph_rows(added) == _graph_rows(whole)
    # The second and third runs updated the stored graph (the first and the whole run had
    # none to start from), and an article of the first part was among what changed.
    assert len(dirty) == 2
    assert str(tmp_path / "part1" / "ferry-fares.txt") in dirty[0]
    assert len(dirty[0]) < len(so_far)


def test_removing_articles_updates_the_graph_to_that_of_the_rest(runner, tmp_path, monkeypatch):
    parts = _write_parts(tmp_path)
    dirty = _record_updates(monkeypatch)
    every = [path for part in parts for path in part]
    db = str(tmp_path / "news.db")
    assert runner.invoke(cli, ["extract", *every, "--db", db]).exit_code == 0
    removed = runner.invoke(cli, ["remove", *parts[1], "--db", db])
    assert removed.exit_code == 0, removed.stderr
    assert dirty, "the graph was built again whole, not updated"
    rest = str(tmp_path / "rest.db")
    assert runner.invoke(cli, ["extract", *parts[0], *parts[2], "--db", rest]).exit_code == 0
    assert _graph_rows(db) == _graph_rows(rest)
