"""The self-contained HTML view: data block, escaping, determinism, and a real headless Chromium."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsents.html import EVIDENCE_PER_NODE, graph_data, render_html
from newsents.models import Article, Edge, Entity, Graph, Mention, Relation
from newsents.store import open_store

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SCREENSHOT = ROOT / "docs" / "img" / "graph.png"

TEXT = (
    "Alice Smith met Bob Jones in Paris.\n"
    "The </script><b>Bob</b> <!-- show --> left Acme.\n"
    "Later \N{GRINNING FACE} Alice called Acme from Paris."
)


def _mention(article: str, text: str, needle: str, sentence: int, nth: int = 0) -> Mention:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return Mention(
        article=article,
        start=start,
        end=start + len(needle),
        text=needle,
        sentence=sentence,
        section="body",
        label="X",
        name=needle,
    )


def _entity(entity_id: str, name: str, type_: str, mentions: list[Mention], **extra) -> Entity:
    return Entity(
        id=entity_id,
        name=name,
        type=type_,
        label="X",
        aliases=sorted({m.text for m in mentions}),
        mention_count=len(mentions),
        article_count=len({m.article for m in mentions}),
        mentions=mentions,
        **extra,
    )


@pytest.fixture
def small() -> tuple[Graph, dict[str, str]]:
    a = "a1"
    alice = [_mention(a, TEXT, "Alice Smith", 0), _mention(a, TEXT, "Alice", 2, nth=1)]
    bob = [_mention(a, TEXT, "Bob Jones", 0), _mention(a, TEXT, "</script><b>Bob</b>", 1)]
    paris = [_mention(a, TEXT, "Paris", 0), _mention(a, TEXT, "Paris", 2, nth=1)]
    acme = [_mention(a, TEXT, "Acme", 1), _mention(a, TEXT, "Acme", 2, nth=1)]
    entities = [
        _entity("per_alice", "Alice Smith", "person", alice),
        _entity("per_bob", "Bob </script> Jones", "person", bob),
        _entity("loc_paris", "Paris", "place", paris),
        _entity("org_acme", "Acme", "organization", acme),
    ]
    edges = [
        Edge(source="loc_paris", target="per_alice", weight=2, articles=[a]),
        Edge(source="per_alice", target="per_bob", weight=1, articles=[a]),
        Edge(source="loc_paris", target="per_bob", weight=1, articles=[a]),
        Edge(source="org_acme", target="per_bob", weight=1, articles=[a]),
        Edge(source="org_acme", target="per_alice", weight=1, articles=[a]),
        Edge(source="loc_paris", target="org_acme", weight=1, articles=[a]),
    ]
    article = Article(id=a, path="a1.txt", title="A <title>", encoding="utf-8")
    graph = Graph(
        articles=[article],
        entities=entities,
        edges=edges,
        relations=[Relation(source="per_bob", target="org_acme", kind="related", reason="side_of")],
    )
    return graph, {a: TEXT}


def _data_block(page: str) -> dict:
    match = re.search(
        r'<script type="application/json" id="graph-data">(.*?)</script>', page, re.DOTALL
    )
    assert match, "no graph-data block"
    return json.loads(match.group(1))


def test_render_html_is_byte_identical_for_the_same_input(small):
    graph, texts = small
    first = render_html(graph, texts)
    assert first == render_html(graph, texts)
    reordered = graph.model_copy(
        update={"entities": graph.entities[::-1], "edges": graph.edges[::-1]}
    )
    assert render_html(reordered, texts) == first


def test_render_html_embeds_every_entity_in_the_data_block(small):
    graph, texts = small
    page = render_html(graph, texts)
    data = _data_block(page)
    assert {node["id"] for node in data["nodes"]} == {e.id for e in graph.entities}
    assert data == graph_data(graph, texts)
    assert len(data["edges"]) == len(graph.edges)
    assert "<title>newsents graph</title>" in page
    assert '<span id="node-count">' in page


def test_render_html_escapes_script_ends_in_names_and_texts(small):
    graph, texts = small
    page = render_html(graph, texts)
    block = page.split('id="graph-data">', 1)[1].split("</script>", 1)[0]
    assert "</" not in block and "<!--" not in block
    assert "<\\/script>" in block
    data = _data_block(page)
    assert data["texts"]["a1"] == TEXT
    assert any(node["name"] == "Bob </script> Jones" for node in data["nodes"])
    # The page has exactly its three script blocks: nothing in the data ended one early.
    assert page.count("</script>") == 3


def test_render_html_loads_nothing_remote(small):
    graph, texts = small
    page = render_html(graph, texts)
    remote = re.findall(r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert remote == []
    assert re.search(r"@import|url\(\s*['\"]?(?:https?:)?//", page) is None
    assert "default-src 'none'" in page  # the page's CSP forbids any fetch at view time
    assert "sourceMappingURL" not in page


def test_graph_data_marks_exact_mention_offsets_in_utf16(small):
    graph, texts = small
    data = graph_data(graph, texts)
    utf16 = TEXT.encode("utf-16-le")
    names = {node["id"]: node for node in data["nodes"]}
    for start, end, entity_id in data["mentions"]["a1"]:
        marked = utf16[2 * start : 2 * end].decode("utf-16-le")
        assert marked in names[entity_id]["aliases"]
    # The emoji before the last "Alice" takes two UTF-16 units: offsets after it move by one.
    last = max(data["mentions"]["a1"])
    assert last[1] - last[0] == len("Paris")
    assert last[0] == TEXT.rindex("Paris") + 1


def test_graph_data_evidence_is_the_sentences_shared_with_neighbours(small):
    graph, texts = small
    data = graph_data(graph, texts)
    utf16 = TEXT.encode("utf-16-le")
    alice = next(node for node in data["nodes"] if node["id"] == "per_alice")
    sentences = [utf16[2 * s : 2 * e].decode("utf-16-le") for _, s, e, _ in alice["evidence"]]
    assert sentences == [
        "Alice Smith met Bob Jones in Paris.",
        "Later \N{GRINNING FACE} Alice called Acme from Paris.",
    ]
    assert alice["evidence"][0][3] == ["loc_paris", "per_bob"]
    assert all(len(node["evidence"]) <= EVIDENCE_PER_NODE for node in data["nodes"])


def test_graph_data_keeps_evidence_small_for_a_hub():
    text = " ".join(f"Hub met P{i:02d}." for i in range(12))
    hub, others, edges = [], [], []
    for i in range(12):
        hub.append(_mention("a", text, "Hub", i, nth=i))
        mention = _mention("a", text, f"P{i:02d}.", i)
        mention = mention.model_copy(update={"end": mention.end - 1, "text": f"P{i:02d}"})
        others.append(_entity(f"per_p{i:02d}", f"P{i:02d}", "person", [mention]))
        edges.append(Edge(source="per_hub", target=f"per_p{i:02d}", weight=1, articles=["a"]))
    graph = Graph(
        articles=[Article(id="a", path="a.txt", encoding="utf-8")],
        entities=[_entity("per_hub", "Hub", "person", hub), *others],
        edges=edges,
    )
    data = graph_data(graph, {"a": text})
    node = next(node for node in data["nodes"] if node["id"] == "per_hub")
    assert len(node["evidence"]) == EVIDENCE_PER_NODE
    assert [text[s:e] for _, s, e, _ in node["evidence"]] == [
        f"Hub met P{i:02d}." for i in range(5)
    ]


def test_graph_data_lists_an_article_without_text_but_marks_nothing_in_it(small):
    graph, _ = small
    data = graph_data(graph, {})
    assert [a["id"] for a in data["articles"]] == ["a1"]
    assert data["texts"] == {} and data["mentions"] == {}
    assert all(node["evidence"] == [] for node in data["nodes"])


# --- a real browser ------------------------------------------------------------------------


def _chromium() -> str:
    found = shutil.which("chromium") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
    )
    if not found:
        pytest.skip("chromium not installed: apt-get install chromium")
    return found


def _run_chromium(url: str, profile: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    command = [
        _chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        "--virtual-time-budget=5000",
        "--enable-logging=stderr",
        "--v=0",
        *extra,
        url,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def _page_errors(stderr: str) -> list[str]:
    """Console lines from the page that report an error (Chromium logs them as CONSOLE)."""
    console = [line for line in stderr.splitlines() if re.search(r"CONSOLE[:(]", line)]
    return [line for line in console if re.search(r"Uncaught|Error|Refused|Violat", line)]


def test_page_errors_finds_uncaught_exceptions_in_chromium_logs():
    stderr = "\n".join(
        [
            "[1:1:1125/230300.858947:ERROR:dbus/bus.cc:405] Failed to connect to the bus",
            '[1:1:1125/230304.878122:INFO:CONSOLE:1] "hello", source: file:///t.html (1)',
            '[1:1:1125/230304.878134:INFO:CONSOLE:1] "Uncaught ReferenceError: f is not '
            'defined", source: file:///t.html (1)',
        ]
    )
    assert [line.split("] ", 1)[1][:9] for line in _page_errors(stderr)] == ['"Uncaught']


@pytest.fixture(scope="module")
def seed_page(tmp_path_factory) -> tuple[Path, Graph]:
    from newsents.cli import cli
    from newsents.store import open_store

    folder = tmp_path_factory.mktemp("seed-html")
    db = folder / "seeds.db"
    result = CliRunner().invoke(
        cli, ["extract", str(SEEDS), "--db", str(db)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.stderr
    store = open_store(db)
    try:
        graph = store.load_graph()
        analyses = store.load_analyses()
    finally:
        store.close()
    texts = {analysis.article.id: analysis.text for analysis in analyses}
    sentences = {analysis.article.id: analysis.sentences for analysis in analyses}
    page = folder / "graph.html"
    page.write_text(render_html(graph, texts, sentences=sentences), encoding="utf-8")
    return page, graph


def test_export_streams_from_the_store_the_page_the_graph_in_memory_makes(seed_page):
    # `export --format html` reads the store a part at a time (no analysis, no text held but
    # the one it reads): the page must be the one the whole graph in memory gives.
    from newsents.cli import cli
    from newsents.stored_graph import GraphView

    page, _ = seed_page
    db = page.parent / "seeds.db"
    exported = page.parent / "exported.html"
    result = CliRunner().invoke(
        cli, ["export", "--format", "html", "--db", str(db), "-o", str(exported)]
    )
    assert result.exit_code == 0, result.stderr
    store = open_store(db)
    try:
        graph = store.load_graph()
        analyses = store.load_analyses()
        salience = GraphView(store).entity_salience()
    finally:
        store.close()
    texts = {analysis.article.id: analysis.text for analysis in analyses}
    sentences = {analysis.article.id: analysis.sentences for analysis in analyses}
    in_memory = render_html(graph, texts, sentences=sentences, salience=salience)
    assert exported.read_text(encoding="utf-8") == in_memory
    data = _data_block(in_memory)
    assert data["texts"] and data["mentions"] and any(n["evidence"] for n in data["nodes"])


def test_a_text_holding_a_nul_character_is_exported_whole(tmp_path):
    # A JSON record may hold `\u0000` (files may not): the page and `articles --text` keep
    # the text after it, where the marks point, as the graph keeps it.
    from newsents.cli import cli

    record = {
        "title": "A quiet harbour 😀",
        "text": "Maria Lopez met officials in Lisbon.\u0000 Later Maria Lopez flew to Madrid "
        "with Carlos Ortega, and Carlos Ortega spoke in Madrid.",
    }
    dump = tmp_path / "dump.jsonl"
    dump.write_text(json.dumps(record) + "\n", encoding="utf-8")
    db, page = str(tmp_path / "n.db"), tmp_path / "page.html"
    runner = CliRunner()
    assert runner.invoke(cli, ["extract", str(dump), "--db", db]).exit_code == 0
    result = runner.invoke(cli, ["export", "--format", "html", "--db", db, "-o", str(page)])
    assert result.exit_code == 0, result.stderr
    data = _data_block(page.read_text(encoding="utf-8"))
    (text,) = data["texts"].values()
    assert text.endswith("spoke in Madrid.") and "\u0000" in text
    assert all(
        end <= len(text.encode("utf-16-le")) // 2
        for _, _, end, *_ in [(None, *m) for marks in data["mentions"].values() for m in marks]
    )
    listed = runner.invoke(cli, ["articles", "--text", "--json", "--db", db])
    assert listed.exit_code == 0, listed.stderr
    assert json.loads(listed.stdout)[0]["text"] == text


def test_browser_draws_the_seed_graph_without_console_errors(seed_page, tmp_path):
    page, graph = seed_page
    started = time.monotonic()
    result = _run_chromium(page.as_uri(), tmp_path / "profile", "--dump-dom")
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr[-2000:]
    dom = result.stdout
    count = re.search(r'<span id="node-count">(\d+)</span>', dom)
    assert count, dom[:2000]
    assert int(count.group(1)) == len(graph.entities) > 0
    assert re.search(r'<body[^>]*\bdata-ready="1"', dom), "the network never finished drawing"
    assert re.search(r"<canvas\b", dom), "vis-network drew no canvas"
    assert _page_errors(result.stderr) == []
    assert elapsed < 60


def test_browser_opens_an_entity_from_the_link_and_shows_its_evidence(seed_page, tmp_path):
    page, graph = seed_page
    top = max(graph.entities, key=lambda e: (len(e.merges), e.mention_count, e.name))
    result = _run_chromium(f"{page.as_uri()}#entity={top.id}", tmp_path / "p", "--dump-dom")
    assert result.returncode == 0, result.stderr[-2000:]
    panel = result.stdout.split('id="entity-view"', 1)[1].split("</section>", 1)[0]
    assert f">{html.escape(top.name, quote=False)}</h2>" in panel
    assert "<blockquote>" in panel, "no evidence sentences"
    assert f'class="{top.type} self"' in panel, "the entity is not marked in its evidence"
    assert _page_errors(result.stderr) == []


def test_browser_screenshot_shows_the_graph(seed_page, tmp_path):
    page, graph = seed_page
    update = os.environ.get("NEWSENTS_UPDATE_SCREENSHOT") == "1"
    target = SCREENSHOT if update else tmp_path / "graph.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    people = [e for e in graph.entities if e.type == "person"] or graph.entities
    top = max(people, key=lambda e: (len(e.merges), e.mention_count, e.name))
    result = _run_chromium(
        f"{page.as_uri()}#entity={top.id}",
        tmp_path / "profile",
        f"--screenshot={target}",
        "--window-size=1400,900",
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert target.exists()
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert target.stat().st_size > 10_000
    assert _page_errors(result.stderr) == []
