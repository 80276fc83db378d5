"""Reliability: inputs that once hung, blew up or corrupted something, kept fixed (issue 10)."""

from __future__ import annotations

import codecs
import json
import time
from pathlib import Path

import pytest

from newsents.graph import build_graph
from newsents.load import parse_article
from newsents.resolve import analyse_article


def _short_lines(n: int) -> str:
    first = ["Anna", "Boris", "Chen", "Dara", "Emil", "Farah"]
    last = ["Keller", "Moreau", "Okafor", "Petrov", "Quint", "Rossi"]
    towns = ["Lyon", "Tartu", "Kyoto", "Accra", "Quito", "Perth"]
    lines = [
        f"{first[i % 6]} {last[i // 6 % 6]} met in {towns[i // 36 % 6]} on {i % 28 + 1} May."
        for i in range(n)
    ]
    return "Lines\n\n" + "\n".join(lines) + "\n"


def _resolve_seconds(nlp, text: str) -> float:
    """CPU seconds the rules take over an article, the least of three (the model's output is
    computed once, beforehand). CPU time of this process, with the cycle collector paused, so
    neither other processes on a shared machine nor the size of the heap bend the figure."""
    from newsents.gcpause import cycle_collector_paused
    from newsents.nlp import analyze

    loaded = parse_article(text, path="lines.txt", article_id="lines", encoding="utf-8")
    ((_, output),) = analyze([loaded], nlp)
    seconds = []
    for _ in range(3):
        with cycle_collector_paused():
            began = time.process_time()
            graph = build_graph([analyse_article(loaded, output)])
            seconds.append(time.process_time() - began)
        assert graph.entities
    return min(seconds)


@pytest.fixture(scope="module")
def nlp():
    from newsents.nlp import DEFAULT_MODEL, load_pipeline

    return load_pipeline(DEFAULT_MODEL)


def test_an_article_of_many_short_lines_is_resolved_in_time_proportional_to_its_length(nlp):
    """100,000 short lines once ran for 18 minutes: sentences were matched against every
    block and names against every span taken. Eight times the lines must take well under
    24 times as long: linear is eight, quadratic sixty-four (measured about seven)."""
    _resolve_seconds(nlp, _short_lines(200))  # warm up
    small = _resolve_seconds(nlp, _short_lines(1_000))
    large = _resolve_seconds(nlp, _short_lines(8_000))
    assert large < 24 * small, f"1,000 lines {small:.2f} s, 8,000 lines {large:.2f} s"


def _parse_seconds(text: str) -> float:
    """CPU seconds the loader takes over a text, the least of three."""
    seconds = []
    for _ in range(3):
        began = time.process_time()
        parse_article(text, path="odd.txt", article_id="odd", encoding="utf-8")
        seconds.append(time.process_time() - began)
    return min(seconds)


@pytest.mark.parametrize(
    "line",
    [
        "(Reporting by Ana Ruiz{spaces}x",  # a sign-off that never closes
        "Reporting by Ana Ruiz{spaces}x",
        "LIMA{spaces}x",  # a dateline's place, then no dash
        "Ana Ruiz{spaces}Tom Hale",  # a line of names in the header: a byline?
    ],
)
def test_a_line_with_a_long_run_of_spaces_is_read_in_time_proportional_to_it(line):
    """Patterns that could read a run of spaces several ways once took 35 s over a line of
    4,000 spaces. Four times the spaces must take well under 12 times as long: linear is
    four, quadratic sixteen."""

    def text(n: int) -> str:
        odd = line.format(spaces=" " * n)  # as the first line, in the header and in the body
        return f"{odd}\n\n{odd}\n\nFirst paragraph.\n\n{odd}\n"

    _parse_seconds(text(250))  # warm up
    small = _parse_seconds(text(500))
    large = _parse_seconds(text(2_000))
    assert large < 12 * max(small, 1e-4), f"500 spaces {small:.4f} s, 2,000 {large:.4f} s"


@pytest.mark.parametrize("tail", ["x(y", "x-y", "x\ny", "x 9 y"])
def test_a_name_span_with_a_long_run_of_spaces_is_split_in_time_proportional_to_it(tail):
    """A span the model ran over a run of spaces is split where two names meet: the
    separators' pattern once tried each space of the run afresh (2 s for 8,000)."""
    from newsents.resolve.spans import _split_at_spaced_dashes

    def seconds(n: int) -> float:
        span = "Ana" + " " * n + tail
        return min(_timed(lambda: _split_at_spaced_dashes(span, 0, len(span))) for _ in range(3))

    small, large = seconds(2_000), seconds(8_000)
    assert large < 12 * max(small, 1e-4), f"2,000 spaces {small:.4f} s, 8,000 {large:.4f} s"


def _timed(run) -> float:
    began = time.process_time()
    run()
    return time.process_time() - began


def test_a_long_article_goes_to_the_model_in_pieces_cut_between_paragraphs():
    """spaCy's memory grows with a Doc's length (3.8 GB for one Doc of 720 KB): a long text
    is cut into pieces, at blank lines where it can, and nothing is lost or moved."""
    from newsents.nlp import PIECE_CHARS, text_pieces

    text = _short_lines(3_000).replace("May.\n", "May.\n\n", 1500)
    pieces = list(text_pieces(text))
    assert len(pieces) > 1 and all(len(p) <= PIECE_CHARS for p, _, _ in pieces)
    assert "".join(p for p, _, _ in pieces) == text
    assert all(text[offset : offset + len(p)] == p for p, offset, _ in pieces)
    assert [last for _, _, last in pieces] == [False] * (len(pieces) - 1) + [True]
    assert all(p.endswith("\n") for p, _, _ in pieces[:-1])


def test_a_long_article_analysed_in_pieces_keeps_exact_offsets(nlp):
    from newsents.nlp import analyze

    text = _short_lines(2_500)
    loaded = parse_article(text, path="long.txt", article_id="long", encoding="utf-8")
    ((_, output),) = analyze([loaded], nlp)
    analysis = analyse_article(loaded, output)
    assert len(analysis.mentions) > 5_000
    assert all(text[m.start : m.end] == m.text for m in analysis.mentions)
    # The model saw the end of the text too: the last line's person is found.
    last_line = text.rstrip("\n").rsplit("\n", 1)[1]
    assert last_line.startswith("Dara Okafor")
    assert analysis.mentions[-3].start == len(text.rstrip("\n")) - len(last_line)


ESC_TITLE = "Rates\x1b]0;owned\x07 rise\x1b[2J"
ESC_STORY = f"{ESC_TITLE}\n\nThe bank of Quillmoor\x1b[31m said rates rose in Lisbon.\n"


def test_control_characters_never_reach_the_terminal_but_json_keeps_them(tmp_path, monkeypatch):
    """A scraped title or name can carry terminal escapes (retitle the window, clear the
    screen): everything printed for people shows them as pictures; JSON keeps the text."""
    from click.testing import CliRunner

    from newsents import console
    from newsents.cli import cli

    article = tmp_path / "story.txt"
    article.write_text(ESC_STORY, encoding="utf-8")
    bad = tmp_path / "bad\x1b[2J.txt"
    bad.write_bytes(b"\x00\x01\x02" * 50)
    db = str(tmp_path / "news.db")
    runner = CliRunner()
    extracted = runner.invoke(cli, ["extract", str(tmp_path), "--db", db])
    assert extracted.exit_code == 1
    assert "\x1b" not in extracted.stderr and "bad␛[2J.txt" in extracted.stderr
    assert ESC_TITLE in [a["title"] for a in json.loads(extracted.stdout)["articles"]]
    monkeypatch.setattr(console, "stdout_is_terminal", lambda: True)
    for args in (["articles"], ["entities"]):
        shown = runner.invoke(cli, [*args, "--db", db])
        assert shown.exit_code == 0, shown.stderr
        assert "\x1b" not in shown.stdout + shown.stderr, args
        if args == ["articles"]:
            assert "Rates␛]0;owned␇" in shown.stdout and "rise␛[2J" in shown.stdout


def test_printable_keeps_length_and_ordinary_text():
    from newsents import console
    from newsents.console import printable

    assert printable("Café Zürich — “quoted”\tand\nlines") == "Café Zürich — “quoted”\tand\nlines"
    table = console.table("t", ["name"])
    table.add_row("=Ministry\x1b[2J")
    with console.err.capture() as captured:
        console.err.print(table)
    assert "Ministry␛[2J" in captured.get() and "\x1b" not in captured.get()
    assert printable("a\x1b[2Jb\x07\r\x7f\x9b\u202e") == "a␛[2Jb␇␍\u2421\ufffd\ufffd"
    assert len(printable("\x1b" * 7)) == 7


def _hostile_graph():
    from newsents.models import Article, Entity, Graph, Mention

    def entity(entity_id: str, name: str) -> Entity:
        mention = Mention(
            article="a1", start=0, end=len(name), text=name, sentence=0, section="body",
            label="ORG", name=name,
        )  # fmt: skip
        return Entity(
            id=entity_id, name=name, type="organization", label="ORG", aliases=[name],
            mention_count=1, article_count=1, mentions=[mention],
        )  # fmt: skip

    names = ["=Ministry of Defence", "@SUM(A1)", "+Plus", "-Minus", "Bell\x07 and\x1b[2J Co"]
    return Graph(
        articles=[Article(id="a1", path="a.txt", title="t\x00itle", encoding="utf-8")],
        entities=[entity(f"org_{i}", name) for i, name in enumerate(names)],
        edges=[],
    )


def test_csv_cells_a_spreadsheet_would_run_as_formulas_are_neutralised(tmp_path):
    import csv

    from newsents.export import write_csv

    write_csv(_hostile_graph(), tmp_path)
    with (tmp_path / "nodes.csv").open(encoding="utf-8", newline="") as fh:
        labels = [row["Label"] for row in csv.DictReader(fh)]
    assert labels == [
        "'=Ministry of Defence",
        "'@SUM(A1)",
        "'+Plus",
        "'-Minus",
        "Bell\x07 and\x1b[2J Co",
    ]


def test_graphml_and_gexf_are_well_formed_xml_whatever_a_name_holds(tmp_path):
    import xml.etree.ElementTree as ET

    import networkx as nx

    from newsents.export import write_gexf, write_graphml

    graph = _hostile_graph()
    write_graphml(graph, tmp_path / "g.graphml")
    write_gexf(graph, tmp_path / "g.gexf")
    for name in ("g.graphml", "g.gexf"):
        ET.parse(tmp_path / name)  # raises on a character XML 1.0 cannot hold
    labels = nx.get_node_attributes(nx.read_graphml(tmp_path / "g.graphml"), "label")
    assert labels["org_4"] == "Bell␇ and␛[2J Co"


# -- inputs that once hung or were skipped in silence ----------------------------------------


def _extract(tmp_path, *paths: str):
    from click.testing import CliRunner

    from newsents.cli import cli

    return CliRunner().invoke(cli, ["extract", *paths, "--db", str(tmp_path / "news.db")])


STORY = "Flood warning\n\nRain fell on Lisbon and Porto on Monday, officials said.\n"


def test_a_fifo_is_skipped_with_one_line_and_never_waited_for(tmp_path):
    import os

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(STORY, encoding="utf-8")
    os.mkfifo(folder / "pipe.txt")
    result = _extract(tmp_path, str(folder))  # would wait forever on the FIFO
    assert result.exit_code == 1
    assert "pipe.txt: not a regular file" in result.stderr
    assert len(json.loads(result.stdout)["articles"]) == 1


def test_an_unreadable_folder_is_one_line_and_exit_1(tmp_path):
    import os

    if os.geteuid() == 0:
        pytest.skip("root reads every folder: run the suite as a user to check permissions")
    folder = tmp_path / "in"
    (folder / "locked").mkdir(parents=True)
    (folder / "locked" / "b.txt").write_text(STORY, encoding="utf-8")
    (folder / "a.txt").write_text(STORY.replace("Porto", "Faro"), encoding="utf-8")
    (folder / "locked").chmod(0)
    try:
        result = _extract(tmp_path, str(folder))
    finally:
        (folder / "locked").chmod(0o755)
    assert result.exit_code == 1
    assert "locked: cannot read this folder: permission denied" in result.stderr


def test_a_symlinked_folder_is_followed_once_and_a_loop_is_no_trap(tmp_path):
    folder = tmp_path / "in"
    (folder / "real").mkdir(parents=True)
    (folder / "real" / "a.txt").write_text(STORY, encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "b.txt").write_text(STORY.replace("Porto", "Braga"), encoding="utf-8")
    (folder / "linked").symlink_to(elsewhere, target_is_directory=True)
    (folder / "real" / "up").symlink_to(folder, target_is_directory=True)  # a loop
    result = _extract(tmp_path, str(folder))
    assert result.exit_code == 0, result.stderr
    paths = sorted(a["path"] for a in json.loads(result.stdout)["articles"])
    assert paths == [str(folder / "linked" / "b.txt"), str(folder / "real" / "a.txt")]


def test_a_folder_the_walk_cannot_read_is_reported_not_skipped(tmp_path, monkeypatch):
    """As root every folder reads, so the walk's error is simulated: the folder is an input
    that fails with one line, never a silent gap."""
    import os

    from newsents.load import files as load

    folder = tmp_path / "in"
    (folder / "locked").mkdir(parents=True)
    (folder / "a.txt").write_text(STORY, encoding="utf-8")
    real_walk, real_listdir = os.walk, os.listdir
    locked = str(folder / "locked")

    def walk(top, onerror=None, followlinks=False):
        for root, dirs, files in real_walk(top, followlinks=followlinks):
            if root == locked:
                onerror(PermissionError(13, "Permission denied", locked))
                continue
            yield root, dirs, files

    def listdir(path):
        if str(path) == locked:
            raise PermissionError(13, "Permission denied", locked)
        return real_listdir(path)

    monkeypatch.setattr(load.os, "walk", walk)
    monkeypatch.setattr(load.os, "listdir", listdir)
    result = _extract(tmp_path, str(folder))
    assert result.exit_code == 1
    assert f"{locked}: cannot read this folder: permission denied" in result.stderr
    assert len(json.loads(result.stdout)["articles"]) == 1


def test_a_newline_in_a_bad_files_name_cannot_forge_a_second_error_line(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ok\nError: all is fine.txt").write_bytes(b"\x00\x00\x00 binary")
    result = _extract(tmp_path, str(folder))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len([line for line in lines if line.startswith("Error:")]) == 1
    assert "ok␤Error: all is fine.txt" in result.stderr


def test_a_full_stdout_is_one_line_not_a_traceback(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    article = tmp_path / "a.txt"
    article.write_text(STORY, encoding="utf-8")
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "newsents",
                "extract",
                str(article),
                "--db",
                str(tmp_path / "n.db"),
            ],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=300,
        )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "cannot write the output: No space left on device" in done.stderr


def test_a_store_damaged_in_the_middle_is_one_line_and_is_never_written_into(tmp_path):
    """One page in the middle of a store overwritten (a disk fault, a copy cut short): the
    commands that write refuse it in one line and leave it as it is; no command gives a
    traceback."""
    import hashlib
    import subprocess
    import sys

    from conftest import DATA, SEEDS

    db = tmp_path / "news.db"
    assert _extract(tmp_path, str(SEEDS), str(DATA / "gum")).exit_code == 0
    data = bytearray(db.read_bytes())
    pages = len(data) // 4096
    assert pages > 20
    data[pages // 2 * 4096 : (pages // 2 + 1) * 4096] = b"\xa5" * 4096
    db.write_bytes(bytes(data))
    before = hashlib.sha256(db.read_bytes()).hexdigest()

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "newsents", *args, "--db", str(db)]
        return subprocess.run(command, capture_output=True, text=True, timeout=300)

    for args in (["extract", str(SEEDS)], ["rebuild"]):
        done = run(*args)
        assert done.returncode == 1, (args, done.stderr)
        assert done.stderr.count("\n") == 1 and "is damaged" in done.stderr, done.stderr
        assert ".recover" in done.stderr
    for args in (["entities", "--json"], ["export"], ["articles", "--json"]):
        done = run(*args)
        assert "Traceback" not in done.stderr, (args, done.stderr)
        assert done.returncode == 0 or done.stderr.count("\n") == 1, (args, done.stderr)
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


# -- concurrent writers and readers -----------------------------------------------------------


def _articles(folder, n: int, offset: int = 0) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    towns = ["Lisbon", "Porto", "Faro", "Braga", "Evora", "Sintra"]
    people = ["Ana Sousa", "Rui Costa", "Ines Lobo", "Tiago Reis", "Marta Pinto", "Joao Vaz"]
    for i in range(offset, offset + n):
        text = (
            f"Report {i}\n\n{people[i % 6]} met {people[(i + 1) % 6]} in {towns[i % 6]} "
            f"on Monday. The Quillmoor Bank lent {i} million.\n"
        )
        (folder / f"a{i:03}.txt").write_text(text, encoding="utf-8")


def _cli(*args: str, **kwargs):
    import subprocess
    import sys

    return subprocess.Popen(
        [sys.executable, "-m", "newsents", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


def _exported_entities(db) -> list:
    done = _cli("export", "--db", str(db))
    out, err = done.communicate(timeout=300)
    assert done.returncode == 0, err
    return sorted((e["id"], e["mention_count"]) for e in json.loads(out)["entities"])


def test_readers_and_two_writers_at_once_leave_the_graph_a_sequential_run_gives(tmp_path):
    """Readers used to rebuild the graph outside the writer's transaction and mark it fresh
    over what was written meanwhile, losing entities for good. Two writers and a reader in a
    loop, at once, must end with the graph that one writer after the other gives."""
    one, two = tmp_path / "one", tmp_path / "two"
    _articles(one, 150)
    _articles(two, 150, offset=150)
    sequential = tmp_path / "sequential.db"
    out = str(tmp_path / "graph.json")
    for folder in (one, two):
        done = _cli("extract", str(folder), "--db", str(sequential), "-o", out)
        _, err = done.communicate(timeout=600)
        assert done.returncode == 0, err
    raced = tmp_path / "raced.db"
    first = _cli("extract", str(one / "a000.txt"), "--db", str(raced), "-o", out)
    assert first.wait(timeout=600) == 0
    writers = [
        _cli(
            "extract", str(folder), "--db", str(raced), "-o", str(tmp_path / f"{folder.name}.json")
        )
        for folder in (one, two)
    ]
    reads = 0
    while any(w.poll() is None for w in writers):
        readers = [_cli("entities", "--json", "--db", str(raced)) for _ in range(2)]
        for reader in readers:
            _, err = reader.communicate(timeout=300)
            assert "Traceback" not in err
            reads += 1
    for writer in writers:
        _, err = writer.communicate()
        assert writer.returncode == 0, err
    assert reads >= 2
    assert _exported_entities(raced) == _exported_entities(sequential)


# -- a store on read-only media ---------------------------------------------------------------


@pytest.fixture
def read_only_view(tmp_path):
    """A read-only view of a folder: a read-only bind mount where one may mount (root in a
    container), else the folder's write permission removed (which root would ignore)."""
    import os
    import subprocess

    source, view = tmp_path / "media", tmp_path / "view"
    source.mkdir()
    view.mkdir()
    mounted = False

    def make_read_only():
        nonlocal mounted
        binds = [["mount", "--bind", str(source), str(view)]]
        binds.append(["mount", "-o", "remount,ro,bind", str(view)])
        if all(subprocess.run(b, capture_output=True).returncode == 0 for b in binds):
            mounted = True
            return view
        subprocess.run(["umount", str(view)], capture_output=True)
        if os.geteuid() == 0:
            pytest.skip("running as root without permission to mount: cannot make media read-only")
        source.chmod(0o555)
        return source

    yield source, make_read_only
    if mounted:
        subprocess.run(["umount", str(view)], check=True)
    source.chmod(0o755)


def test_a_store_on_read_only_media_can_be_read_and_refuses_writes_in_one_line(
    tmp_path, read_only_view
):
    import hashlib

    from click.testing import CliRunner

    from newsents.cli import cli

    source, make_read_only = read_only_view
    db = source / "news.db"
    (tmp_path / "story.txt").write_text(STORY, encoding="utf-8")
    runner = CliRunner()
    assert (
        runner.invoke(cli, ["extract", str(tmp_path / "story.txt"), "--db", str(db)]).exit_code == 0
    )
    wanted = runner.invoke(cli, ["entities", "--json", "--db", str(db)]).stdout
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    read_only = make_read_only() / "news.db"

    listed = runner.invoke(cli, ["entities", "--json", "--db", str(read_only)])
    assert (listed.exit_code, listed.stdout) == (0, wanted)
    shown = runner.invoke(cli, ["show", "--entity", "Lisbon", "--db", str(read_only)])
    assert shown.exit_code == 0 and "Lisbon" in shown.output
    out = tmp_path / "graph.graphml"
    exported = runner.invoke(
        cli, ["export", "--format", "graphml", "-o", str(out), "--db", str(read_only)]
    )
    assert exported.exit_code == 0 and "Lisbon" in out.read_text(encoding="utf-8")

    added = runner.invoke(cli, ["extract", str(tmp_path / "story.txt"), "--db", str(read_only)])
    assert added.exit_code == 1
    assert added.stderr.count("\n") == 1 and "read-only" in added.stderr
    assert hashlib.sha256(read_only.read_bytes()).hexdigest() == before


# -- every kind of bad or odd file in one run -------------------------------------------------


def _zoo(folder):
    """A folder of every kind of file a real pile of articles holds: {name: what must happen}
    ("stored", or the reason its one error line gives); hidden files are not articles."""
    import os

    story = "Harbour news\n\nAna Sousa met Rui Costa in Lisbon on Monday.\n"
    files = {
        "empty.txt": (b"", "file is empty"),
        "blank.txt": (b" \n\t\r\n ", "no text"),
        "image.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64), "binary"),
        "nul-inside.txt": (b"Title\n\nSome text\x00 and more.", "binary"),
        "huge.txt": (b"word " * 800_001, "too large"),
        "latin1.txt": ("Caf\u00e9 owners\n\nIn S\u00e3o Paulo.\n".encode("latin-1"), "stored"),
        "invalid-utf8.txt": (b"Odd bytes\n\nMarta Pinto \xff\xfe\xfa went to Faro.\n", "stored"),
        "utf16-le-bom.txt": ("Le story\n\nTiago Reis in Porto.\n".encode("utf-16"), "stored"),
        "utf16-be-bom.txt": (
            codecs.BOM_UTF16_BE + "Be story\n\nInes Lobo in Braga.\n".encode("utf-16-be"),
            "stored",
        ),
        "utf16-no-bom.txt": ("No mark\n\nJoao Vaz in Evora.\n".encode("utf-16-le"), "stored"),
        "name with spaces.txt": (story.replace("Monday", "Tuesday").encode(), "stored"),
        "\u00fcn\u00efc\u00f6d\u00e9.txt": (story.replace("Monday", "Friday").encode(), "stored"),
        "-leading-dash.txt": (story.replace("Lisbon", "Sintra").encode(), "stored"),
        "quote'\"s.txt": (story.replace("Lisbon", "Faro").encode(), "stored"),
        "n" * 200 + ".txt": (story.replace("Lisbon", "Braga").encode(), "stored"),
        ".hidden.txt": (b"Hidden\n\nNot an article.\n", None),
    }
    for name, (data, _) in files.items():
        (folder / name).write_bytes(data)
    outside = folder.parent / "outside.txt"
    outside.write_text(story.replace("Lisbon", "Coimbra"), encoding="utf-8")
    os.symlink(outside, folder / "linked.txt")
    os.symlink(folder / "gone.txt", folder / "dangling.txt")
    (folder / "sub").mkdir()
    os.symlink(folder, folder / "sub" / "loop")
    expected = {name: want for name, (_, want) in files.items() if want is not None}
    expected["linked.txt"] = "stored"
    expected["dangling.txt"] = "cannot read"
    return expected


def test_every_kind_of_bad_or_odd_file_in_one_run_gives_one_line_each_and_the_rest_stored(
    tmp_path,
):
    import subprocess
    import sys

    folder = tmp_path / "pile"
    folder.mkdir()
    expected = _zoo(folder)
    db = folder / "news.db"  # the store in its own input folder
    args = [sys.executable, "-m", "newsents", "extract", str(folder), str(folder / "latin1.txt")]
    args += ["--db", str(db)]
    first = subprocess.run(args, capture_output=True, text=True, timeout=600)
    assert first.returncode == 1
    *lines, summary = first.stderr.splitlines()
    assert lines and all(line.startswith(("Error: ", "Warning: ")) for line in lines), lines
    assert "articles (" in summary and "failed" in summary
    stored = {Path(a["path"]).name for a in json.loads(first.stdout)["articles"]}
    for name, want in expected.items():
        naming = [line for line in lines if f"{folder / name}:" in line]
        if want == "stored":
            assert name in stored
            assert not [line for line in naming if line.startswith("Error")], naming
        else:
            assert name not in stored
            assert len(naming) == 1 and want in naming[0], (name, naming)
    assert stored == {name for name, want in expected.items() if want == "stored"}

    again = subprocess.run(args, capture_output=True, text=True, timeout=600)
    assert (again.returncode, again.stdout) == (1, first.stdout)
    errors = sorted(line for line in again.stderr.splitlines() if line.startswith("Error"))
    assert errors == sorted(line for line in lines if line.startswith("Error"))


def test_a_store_another_program_keeps_locked_is_one_line_saying_it_is_busy(tmp_path, monkeypatch):
    import sqlite3

    import newsents.store

    (tmp_path / "story.txt").write_text(STORY, encoding="utf-8")
    assert _extract(tmp_path, str(tmp_path / "story.txt")).exit_code == 0
    (tmp_path / "more.txt").write_text(STORY.replace("Lisbon", "Faro"), encoding="utf-8")
    monkeypatch.setattr(newsents.store, "WRITE_WAIT_SECONDS", 0.5)
    holder = sqlite3.connect(tmp_path / "news.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = _extract(tmp_path, str(tmp_path / "more.txt"))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "is busy" in result.stderr
    assert _extract(tmp_path, str(tmp_path / "more.txt")).exit_code == 0
