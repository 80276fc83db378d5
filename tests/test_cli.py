"""End to end through the CLI with the real pinned model."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from conftest import SEEDS, run_json

from newsents.cli import cli

SEED = next(SEEDS.glob("*.txt"))


@pytest.fixture
def seed_graph(runner, db):
    code, graph, _ = run_json(runner, ["extract", str(SEEDS), "--db", db])
    assert code == 0
    return graph


def _entity(graph: dict, name: str) -> dict:
    return next(e for e in graph["entities"] if e["name"] == name)


def test_extract_seed_article_metadata(seed_graph):
    (article,) = seed_graph["articles"]
    assert (
        article["title"] == "Binance China’s Presence ‘Grows’ as Unit Joins UN Sustainability Drive"
    )
    assert article["authors"] == ["Tim Alper"]
    assert article["reading_time_minutes"] == 2
    assert article["updated"] is None
    assert article["published"] is None
    assert article["credits"] == ["Adobe/AlekseyIvanov"]
    assert article["path"] == str(SEEDS / SEED.name)


def test_an_image_credits_names_are_entities_linked_to_nothing(seed_graph):
    credited = [
        e for e in seed_graph["entities"] if any(m["section"] == "credit" for m in e["mentions"])
    ]
    assert [e["name"] for e in credited] == ["Adobe"]
    assert not [edge for edge in seed_graph["edges"] if credited[0]["id"] in edge.values()]


def test_author_is_a_person_from_the_byline_and_not_linked_to_the_story(seed_graph):
    author = _entity(seed_graph, "Tim Alper")
    assert author["type"] == "person"
    assert [m["section"] for m in author["mentions"]] == ["byline"]
    assert not any(author["id"] in (d["source"], d["target"]) for d in seed_graph["edges"])


def test_every_mention_is_an_exact_span_of_the_source_text(seed_graph):
    source = SEED.read_text(encoding="utf-8")
    for entity in seed_graph["entities"]:
        for m in entity["mentions"]:
            assert source[m["start"] : m["end"]] == m["text"]


def test_names_have_no_leading_the_or_possessive(seed_graph):
    names = [e["name"] for e in seed_graph["entities"]]
    assert "Binance China" in {n for e in seed_graph["entities"] for n in e["aliases"]}
    assert not [n for n in names if n.lower().startswith("the ") or n.endswith(("’s", "'s"))]


def test_edges_are_sorted_pairs_with_weights_and_articles(seed_graph):
    assert seed_graph["edges"], "the seed has entities that share sentences"
    ids = {e["id"] for e in seed_graph["entities"]}
    for edge in seed_graph["edges"]:
        assert edge["source"] < edge["target"] and {edge["source"], edge["target"]} <= ids
        assert edge["weight"] >= 1 and edge["articles"]


def test_extract_twice_is_byte_identical_and_does_not_run_nlp_again(runner, db, monkeypatch):
    first = runner.invoke(cli, ["extract", str(SEEDS), "--db", db], catch_exceptions=False)

    def no_nlp(name):
        raise AssertionError("the stored analysis should have been reused")

    monkeypatch.setattr("newsents.nlp.load_pipeline", no_nlp)
    second = runner.invoke(cli, ["extract", str(SEEDS), "--db", db], catch_exceptions=False)
    assert second.exit_code == 0
    assert first.stdout == second.stdout


def test_extract_reads_one_article_from_stdin(runner, db):
    text = SEED.read_bytes()
    result = runner.invoke(cli, ["extract", "-", "--db", db], input=text, catch_exceptions=False)
    assert result.exit_code == 0
    graph = json.loads(result.stdout)
    assert graph["articles"][0]["path"] == "-"
    assert graph["articles"][0]["authors"] == ["Tim Alper"]


def test_output_file_and_stdout_carry_the_same_graph(runner, db, tmp_path):
    out = tmp_path / "graph.json"
    runner.invoke(cli, ["extract", str(SEEDS), "--db", db, "-o", str(out)], catch_exceptions=False)
    _, graph, _ = run_json(runner, ["extract", str(SEEDS), "--db", db])
    assert json.loads(out.read_text(encoding="utf-8")) == graph


def test_show_finds_an_entity_by_name_or_alias_any_case(runner, db, seed_graph):
    code, reports, _ = run_json(runner, ["show", "--entity", "BINANCE", "--db", db, "--json"])
    assert code == 0
    assert {r["name"] for r in reports} == {"Binance"}
    report = max(reports, key=lambda r: r["mention_count"])
    assert report["articles"][0]["title"].startswith("Binance China")
    assert report["neighbours"] and report["contexts"]
    context = report["contexts"][0]
    assert context["sentence"][context["start"] : context["end"]] == context["text"]


def test_show_human_report_names_the_entity(runner, db, seed_graph):
    result = runner.invoke(cli, ["show", "--entity", "binance", "--db", db], catch_exceptions=False)
    assert result.exit_code == 0
    assert "Binance" in result.stdout + result.stderr
    assert "Occurs with" in result.stdout + result.stderr


def test_show_writes_its_report_to_stdout_so_it_pipes(db, seed_graph):
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "newsents", "show", "--entity", "Binance", "--db", db],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0
    assert "Occurs with" in done.stdout and "Binance" in done.stdout
    assert "\x1b[" not in done.stdout  # no colour codes in a pipe
    assert done.stderr == ""


def test_show_limits_lists_all_of_them_or_neighbours_of_one_type(runner, db, seed_graph):
    def report(*args: str) -> dict:
        code, reports, _ = run_json(
            runner, ["show", "--entity", "Binance", "--db", db, "--json", *args]
        )
        assert code == 0
        return max(reports, key=lambda r: r["mention_count"])

    everything = report("--all")
    assert len(everything["contexts"]) == everything["mention_count"] > 2
    assert len(everything["neighbours"]) > 2
    assert len(report("--limit", "2")["contexts"]) == 2
    one = report("--limit", "1")
    assert len(one["neighbours"]) == len(one["contexts"]) == 1
    assert one["neighbours"][0] == everything["neighbours"][0]  # the strongest link first
    people = report("--all", "--type", "person")
    assert people["neighbours"] == [n for n in everything["neighbours"] if n["type"] == "person"]
    assert people["neighbours"]


def test_show_finds_a_date_by_its_value_and_says_what_it_stands_for(runner, db, seed_graph):
    result = runner.invoke(cli, ["show", "--entity", "2017-09", "--db", db, "--json"])
    assert result.exit_code == 0, result.stderr
    (report,) = json.loads(result.stdout)
    assert (report["name"], report["value"], report["granularity"]) == (
        "September 2017",
        "2017-09",
        "month",
    )
    text = runner.invoke(cli, ["show", "--entity", "September 2017", "--db", db]).stdout
    assert "stands for 2017-09 (a month)" in text


def test_show_says_how_many_neighbours_and_mentions_it_leaves_out(runner, db, seed_graph):
    everything = json.loads(
        runner.invoke(cli, ["show", "--entity", "Binance", "--db", db, "--json", "--all"]).stdout
    )[0]
    one = json.loads(
        runner.invoke(
            cli, ["show", "--entity", "Binance", "--db", db, "--json", "--limit", "1"]
        ).stdout
    )[0]
    assert one["neighbour_count"] == everything["neighbour_count"] == len(everything["neighbours"])
    assert len(one["neighbours"]) == 1 < one["neighbour_count"]
    text = runner.invoke(cli, ["show", "--entity", "Binance", "--db", db, "--limit", "1"]).stdout
    left = everything["neighbour_count"] - 1
    assert f"… and {left} more entities" in text
    assert f"… and {everything['mention_count'] - 1} more mentions" in text


def test_show_unknown_entity_exits_1_with_near_matches(runner, db, seed_graph):
    result = runner.invoke(cli, ["show", "--entity", "Binanse", "--db", db], catch_exceptions=False)
    assert result.exit_code == 1
    assert "Did you mean" in result.stderr and "Binance" in result.stderr


def test_show_reads_the_store_without_importing_spacy_or_the_loader(db, seed_graph):
    # What `show` does not import it need not wait for: it answers at once.
    code = (
        "import sys; from newsents.cli import main; sys.argv = ['newsents', 'show', '--entity', "
        f"'Binance', '--db', {db!r}, '--json']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "assert 'spacy' not in sys.modules, 'show imported spaCy'\n"
        "heavy = ('newsents.load.formats', 'newsents.load.records', 'newsents.aliases',\n"
        "         'newsents.graph', 'newsents.resolve.corpus', 'charset_normalizer',\n"
        "         'rapidfuzz', 'rich.progress')\n"
        "assert not [m for m in heavy if m in sys.modules], [m for m in heavy if m in sys.modules]"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)[0]["name"] == "Binance"


def test_schema_command_prints_the_json_schema_of_the_graph(runner):
    result = runner.invoke(cli, ["schema"], catch_exceptions=False)
    schema = json.loads(result.stdout)
    assert {"schema_version", "articles", "entities", "edges"} <= set(schema["properties"])


# -- bad input ----------------------------------------------------------------------------


def test_missing_path_is_a_usage_error_in_one_line(runner, db):
    result = runner.invoke(cli, ["extract", "no/such/dir", "--db", db])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == ["Error: no/such/dir: no such file or folder"]


def test_empty_folder_gives_an_empty_graph_and_a_warning(runner, db, tmp_path):
    (tmp_path / "empty").mkdir()
    code, graph, err = run_json(runner, ["extract", str(tmp_path / "empty"), "--db", db])
    assert code == 0
    assert graph["articles"] == [] and graph["entities"] == [] and graph["edges"] == []
    assert "Warning" in err


def test_bad_files_are_reported_one_line_each_and_the_rest_is_processed(runner, db, tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    shutil.copy(SEED, folder / "b_good.txt")
    (folder / "a_empty.txt").write_bytes(b"")
    (folder / "c_binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    code, graph, err = run_json(runner, ["extract", str(folder), "--db", db])
    assert code == 1
    assert [a["path"] for a in graph["articles"]] == [str(folder / "b_good.txt")]
    lines = [line for line in err.splitlines() if line.startswith("Error")]
    assert len(lines) == 2
    assert "a_empty.txt" in lines[0] and "c_binary.txt" in lines[1]
    assert "Traceback" not in err
    # The store kept the good article: the next run reuses it.
    code, again, _ = run_json(runner, ["extract", str(folder / "b_good.txt"), "--db", db])
    assert code == 0 and again["entities"] == graph["entities"]


def test_legacy_encoding_is_decoded_and_said_on_stderr(runner, db, tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Price rise\n\nShares in Tesco rose to £5 in London.\n".encode("latin-1"))
    code, graph, err = run_json(runner, ["extract", str(path), "--db", db])
    assert code == 0
    assert "latin1.txt" in err and "UTF-8" in err
    assert graph["articles"][0]["encoding"] != "utf-8"


def test_missing_model_says_how_to_install_it(runner, db):
    result = runner.invoke(cli, ["extract", str(SEEDS), "--db", db, "--model", "spacy_md_nope"])
    assert result.exit_code == 1
    assert "spacy_md_nope" in result.stderr and "install" in result.stderr
    assert "Traceback" not in result.stderr


def test_interrupted_extract_keeps_what_was_stored_and_resumes(runner, db, tmp_path, monkeypatch):
    folder = tmp_path / "two"
    folder.mkdir()
    shutil.copy(SEED, folder / "a.txt")
    (folder / "b.txt").write_text(
        "Second story\n\nAngela Merkel visited Paris.\n", encoding="utf-8"
    )
    import newsents.nlp as nlp_module

    real_analyze = nlp_module.analyze_texts

    def analyze_then_interrupt(articles, nlp, **kwargs):
        for i, analysis in enumerate(real_analyze(articles, nlp, **kwargs)):
            if i == 1:
                raise KeyboardInterrupt
            yield analysis

    monkeypatch.setattr(nlp_module, "analyze_texts", analyze_then_interrupt)
    result = runner.invoke(cli, ["extract", str(folder), "--db", db])
    assert result.exit_code == 130
    assert "interrupted" in result.stderr
    monkeypatch.setattr(nlp_module, "analyze_texts", real_analyze)
    code, graph, err = run_json(runner, ["extract", str(folder), "--db", db])
    assert code == 0 and len(graph["articles"]) == 2


def test_alias_file_merges_splits_and_ignores_on_every_run(runner, db, tmp_path):
    aliases = tmp_path / "aliases.toml"
    aliases.write_text(
        'ignore = ["Tim Alper"]\nsplit = ["Hai"]\n\n[merge]\n"Binance" = ["Binance China"]\n',
        encoding="utf-8",
    )
    args = ["extract", str(SEEDS), "--db", db, "--aliases", str(aliases)]
    code, graph, _ = run_json(runner, args)
    assert code == 0
    names = {e["name"] for e in graph["entities"]}
    assert "Tim Alper" not in names and "Binance China" not in names
    binance = _entity(graph, "Binance")
    assert {"alias": "Binance China", "reason": "alias_file"} in binance["merges"]
    assert _entity(graph, "Hai")["type"] == "person"  # split: kept apart from Helen Hai
    # The store remembers the rules: show's view agrees without the flag.
    code, reports, _ = run_json(runner, ["show", "--entity", "Binance China", "--db", db, "--json"])
    assert reports[0]["name"] == "Binance"


def test_info_says_what_the_store_holds_and_the_alias_rules_in_force(runner, db, tmp_path):
    aliases = tmp_path / "aliases.toml"
    aliases.write_text('ignore = ["Tim Alper"]\n[merge]\n"Binance" = ["Binance China"]\n')
    code, graph, _ = run_json(
        runner, ["extract", str(SEEDS), "--db", db, "--aliases", str(aliases)]
    )
    assert code == 0
    code, found, _ = run_json(runner, ["info", "--db", db, "--json"])
    assert code == 0
    assert found["articles"] == len(graph["articles"])
    assert sum(found["entities"].values()) == len(graph["entities"])
    assert found["mentions"] == sum(len(e["mentions"]) for e in graph["entities"])
    assert found["links"] == len(graph["edges"]) and found["graph_current"]
    assert found["alias_rules"]["merge"] == {"Binance": ["Binance China"]}
    # The rules stay in force after the file is gone, and a run without one says so.
    aliases.unlink()
    again = runner.invoke(cli, ["extract", str(SEEDS), "--db", db])
    assert "alias rules kept from an earlier extract are in force" in again.stderr
    shown = runner.invoke(cli, ["info", "--db", db]).stdout
    assert "merge    Binance = Binance China" in shown and "ignore   Tim Alper" in shown


def test_bad_alias_file_is_one_clear_error(runner, db, tmp_path):
    aliases = tmp_path / "aliases.toml"
    aliases.write_text("merge = 3\n", encoding="utf-8")
    result = runner.invoke(cli, ["extract", str(SEEDS), "--db", db, "--aliases", str(aliases)])
    assert result.exit_code == 1
    assert "aliases.toml" in result.stderr and "Traceback" not in result.stderr


# -- entities people can trust (the real model on the seed) ---------------------------------


@pytest.mark.parametrize("name", ["Binance", "Huobi", "Sinopec", "BlackBerry", "Chainnews"])
def test_seed_companies_are_organisations(seed_graph, name):
    assert _entity(seed_graph, name)["type"] == "organization"


def test_seed_has_no_person_named_global_compact(seed_graph):
    people = {a for e in seed_graph["entities"] if e["type"] == "person" for a in e["aliases"]}
    assert "Global Compact" not in people


def test_seed_helen_hai_is_one_person_with_her_title_and_short_form(seed_graph):
    hai = _entity(seed_graph, "Helen Hai")
    assert hai["type"] == "person" and "Hai" in hai["aliases"]
    assert any(m["titles"] for m in hai["mentions"])
    assert {"alias": "Hai", "reason": "surname"} in hai["merges"]


def test_seed_binance_and_binance_china_are_related_not_merged(seed_graph):
    binance, unit = _entity(seed_graph, "Binance"), _entity(seed_graph, "Binance China")
    assert {
        "source": unit["id"],
        "target": binance["id"],
        "kind": "part_of",
        "reason": "name_prefix",
    } in seed_graph["relations"]


def test_seed_dates_resolve_only_where_the_text_allows(seed_graph):
    dates = {e["name"]: e for e in seed_graph["entities"] if e["type"] == "date"}
    assert dates["September 2017"]["value"] == "2017-09"
    # The seed has no publication date: `March this year` names no time a reader could place,
    # so it is a mention of its article (value null), not a node of the graph.
    assert "March this year" not in dates


@pytest.mark.parametrize(
    "args",
    [["show", "--entity", "Binance"], ["entities"], ["articles"], ["export", "--format", "json"]],
)
def test_read_only_commands_do_not_create_a_store(runner, tmp_path, args):
    db = tmp_path / "nothing-here.db"
    result = runner.invoke(cli, [*args, "--db", str(db)])
    assert result.exit_code == 1
    assert "no store at" in result.stderr and "newsents extract" in result.stderr
    assert not db.exists()


def test_articles_piped_in_one_by_one_accumulate_in_the_store(runner, db):
    for text in (
        "Story\n\nTim Cook met Angela Merkel in Berlin.\n",
        "Other\n\nEmmanuel Macron met Olaf Scholz.\n",
    ):
        runner.invoke(
            cli, ["extract", "-", "--db", db], input=text.encode(), catch_exceptions=False
        )
    code, reports, _ = run_json(runner, ["show", "--entity", "Angela Merkel", "--db", db, "--json"])
    assert code == 0 and reports[0]["name"] == "Angela Merkel"


def test_an_article_too_long_to_be_one_is_a_one_line_failure(runner, db, tmp_path):
    folder = tmp_path / "big"
    folder.mkdir()
    shutil.copy(SEED, folder / "a.txt")
    (folder / "b.txt").write_text("Title\n\n" + "Word salad. " * 90_000, encoding="utf-8")
    code, graph, err = run_json(runner, ["extract", str(folder), "--db", db])
    assert code == 1 and len(graph["articles"]) == 1
    assert "b.txt: too long for one article" in err


def test_an_unwritable_output_file_is_said_before_any_work(runner, db, tmp_path):
    result = runner.invoke(
        cli, ["extract", str(SEEDS), "--db", db, "-o", str(tmp_path / "no" / "x.json")]
    )
    assert result.exit_code == 2 and "does not exist" in result.stderr


def test_an_output_file_that_cannot_be_created_is_said_before_anything_is_analysed(
    runner, db, tmp_path, monkeypatch
):
    # Root may write in any ordinary folder, but no one creates files in /proc.
    if not os.path.isdir("/proc/self"):
        pytest.skip("needs Linux's /proc: a folder in which no file can be created")
    target = "/proc/newsents-output.json"

    def no(*args, **kwargs):
        raise AssertionError("nothing should be analysed when the output cannot be written")

    monkeypatch.setattr("newsents.pipeline.extract", no)
    result = runner.invoke(cli, ["extract", str(SEEDS), "--db", db, "-o", target])
    assert result.exit_code == 1
    assert f"cannot write {target}" in result.stderr
    assert "Traceback" not in result.stderr


def test_names_never_run_across_a_paragraph_break(runner, db, tmp_path):
    path = tmp_path / "b.txt"
    path.write_text(
        "Tech giants meet\n\nBackground\n\nApple said Tim Cook will visit Berlin.\n",
        encoding="utf-8",
    )
    _, graph, _ = run_json(runner, ["extract", str(path), "--db", db])
    assert all("\n\n" not in m["text"] for e in graph["entities"] for m in e["mentions"])


def test_a_national_side_is_its_own_entity_and_show_relates_it_to_the_country(runner, db, tmp_path):
    (tmp_path / "match.txt").write_text(
        "CRICKET - ENGLAND SEE OFF SRI LANKA BY SIX WICKETS.\n"
        "BRISTOL, England 2024-06-14\n"
        "England beat Sri Lanka by six wickets in the third Twenty20 match on Friday.\n"
        "Tom Varley hit 71 on his recall to the England side.\n",
        encoding="utf-8",
    )
    (tmp_path / "floods.txt").write_text(
        "Storms shut railways\n\nHeavy rain swept across England on Tuesday, and lines in the "
        "west of England were closed.\n",
        encoding="utf-8",
    )
    code, graph, _ = run_json(runner, ["extract", str(tmp_path), "--db", db])
    assert code == 0
    side, country = _entity(graph, "England (cricket team)"), _entity(graph, "England")
    assert side["type"] == country["type"] == "place"
    assert {m["text"] for m in side["mentions"]} == {"ENGLAND", "England"}
    assert len({m["article"] for m in country["mentions"]}) == 2  # the dateline, the floods
    assert {
        "source": side["id"],
        "target": country["id"],
        "kind": "related",
        "reason": "side_of",
    } in graph["relations"]
    shown = runner.invoke(cli, ["show", "--entity", "England", "--db", db])
    said = shown.stdout + shown.stderr
    assert "England (cricket team)" in said and "related to: England (cricket team)" in said


# -- what a command says on stderr --------------------------------------------------------------


def _copies(folder, n: int) -> None:
    folder.mkdir()
    for i in range(n):
        (folder / f"copy{i}.txt").write_text("Faro news\n\nRui Costa went to Faro.\n")


def test_a_run_ends_with_a_summary_line_off_a_terminal_and_q_silences_it(runner, tmp_path):
    db = str(tmp_path / "news.db")
    said = runner.invoke(cli, ["extract", str(SEEDS), "--db", db]).stderr
    assert said.splitlines()[-1].startswith("1 article (1 analysed")
    for args in (["-q", "extract", str(SEEDS)], ["extract", str(SEEDS), "-q"]):
        result = runner.invoke(cli, [*args, "--db", db])
        assert result.exit_code == 0 and result.stderr == ""
    export = runner.invoke(cli, ["export", "--db", db, "-o", str(tmp_path / "g.json")])
    assert "→ " + str(tmp_path / "g.json") in export.stderr
    assert "→ stdout" in runner.invoke(cli, ["export", "--db", db, "--format", "jsonl"]).stderr


def test_warnings_said_file_after_file_are_counted_after_the_first_few(runner, tmp_path):
    _copies(tmp_path / "in", 8)
    db = str(tmp_path / "news.db")
    lines = runner.invoke(cli, ["extract", str(tmp_path / "in"), "--db", db]).stderr.splitlines()
    same = [line for line in lines if "same content as" in line]
    assert len(same) == 4  # 3 of the 7 copies said, then one line for the other 4
    assert same[-1].startswith("Warning: 4 more like this") and "-v lists them" in same[-1]
    # The count says what they are, not the last one's file (as if all were copies of it).
    assert "the same content as a file read before" in same[-1] and "copy" not in same[-1]
    assert "7 duplicates" in lines[-1]
    verbose = runner.invoke(cli, ["extract", str(tmp_path / "in"), "--db", db, "-v"]).stderr
    assert len([line for line in verbose.splitlines() if "same content as" in line]) == 7
