"""`newsents export` and the export library: every format, the filters, determinism."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from conftest import DATA, ROOT, SEEDS

from newsents.cli import cli
from newsents.export import (
    CYPHER_BATCH,
    cypher_string,
    filter_graph,
    to_cypher,
    to_jsonl,
    to_networkx,
    write_csv,
    write_gexf,
    write_graphml,
)
from newsents.models import SCHEMA_VERSION, Article, Edge, Entity, Graph, Mention, Relation

FORMATS = ["json", "jsonl", "graphml", "gexf", "cypher", "html"]


# -- fixtures -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def store_db(tmp_path_factory) -> str:
    """A store filled once per module: the seed article and the GUM news fixtures."""
    db = str(tmp_path_factory.mktemp("export") / "store.db")
    inputs = [str(SEEDS), *sorted(str(p) for p in (DATA / "gum").glob("*.txt"))]
    result = CliRunner().invoke(cli, ["extract", *inputs, "--db", db], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return db


@pytest.fixture(scope="module")
def extracted(store_db) -> dict:
    """What `extract` printed for the same inputs (the store holds nothing else)."""
    inputs = [str(SEEDS), *sorted(str(p) for p in (DATA / "gum").glob("*.txt"))]
    result = CliRunner().invoke(cli, ["extract", *inputs, "--db", store_db], catch_exceptions=False)
    return json.loads(result.stdout)


def export(*args: str) -> tuple[int, bytes, str]:
    result = CliRunner().invoke(cli, ["export", *args], catch_exceptions=False)
    return result.exit_code, result.stdout_bytes, result.stderr


def _mention(article: str, start: int, text: str) -> Mention:
    return Mention(
        article=article,
        start=start,
        end=start + len(text),
        text=text,
        sentence=0,
        section="body",
        label="ORG",
        name=text,
    )


def _entity(entity_id: str, name: str, type_: str, mentions: list[Mention]) -> Entity:
    return Entity(
        id=entity_id,
        name=name,
        type=type_,
        label="ORG",
        aliases=sorted({m.text for m in mentions} | {name}),
        mention_count=len(mentions),
        article_count=len({m.article for m in mentions}),
        mentions=mentions,
    )


@pytest.fixture
def tiny() -> Graph:
    """Three entities, two links and a part_of relation; names that need escaping."""
    a1 = Article(id="a1", path="news/one.txt", title='It\'s "big", \\ news', encoding="utf-8")
    a2 = Article(id="a2", path="news/two.txt", published="2024-01-02", encoding="utf-8")
    return Graph(
        articles=[a1, a2],
        entities=[
            _entity("org_a", "Acme, Inc.", "organization", [_mention("a1", 0, "Acme")]),
            _entity(
                "org_b",
                "Acme China",
                "organization",
                [_mention("a1", 10, "Acme China"), _mention("a2", 0, "Acme China")],
            ),
            _entity("per_c", "O'Brien\nJr", "person", [_mention("a2", 20, "O'Brien")]),
        ],
        edges=[
            Edge(source="org_a", target="org_b", weight=3, articles=["a1", "a2"]),
            Edge(source="org_b", target="per_c", weight=1, articles=["a2"]),
        ],
        relations=[Relation(source="org_b", target="org_a", kind="part_of", reason="name_prefix")],
    )


# -- filter_graph ---------------------------------------------------------------------------


def test_filter_graph_without_filters_keeps_everything(tiny):
    assert filter_graph(tiny, types=None, min_weight=None) == tiny
    assert filter_graph(tiny, types=set(), min_weight=None) == tiny


def test_filter_graph_by_type_keeps_links_whose_both_ends_are_kept(tiny):
    orgs = filter_graph(tiny, types={"organization"}, min_weight=None)
    assert [e.id for e in orgs.entities] == ["org_a", "org_b"]
    assert [(d.source, d.target) for d in orgs.edges] == [("org_a", "org_b")]
    assert len(orgs.relations) == 1
    assert orgs.articles == tiny.articles
    people = filter_graph(tiny, types={"person"}, min_weight=None)
    assert [e.id for e in people.entities] == ["per_c"]
    assert people.edges == [] and people.relations == []


def test_filter_graph_min_weight_drops_weak_links_only(tiny):
    strong = filter_graph(tiny, types=None, min_weight=2)
    assert [d.weight for d in strong.edges] == [3]
    assert len(strong.entities) == 3 and len(strong.relations) == 1


# -- JSON Lines -----------------------------------------------------------------------------


def test_jsonl_is_one_typed_record_per_line_in_order(tiny):
    lines = list(to_jsonl(tiny))
    assert all(line.endswith("\n") and line.count("\n") == 1 for line in lines)
    records = [json.loads(line) for line in lines]
    assert [r["kind"] for r in records] == ["article"] * 2 + ["entity"] * 3 + ["edge"] * 2 + [
        "relation"
    ]
    assert all(next(iter(r)) == "kind" for r in records)
    entity = records[2]
    del entity["kind"]
    assert Entity.model_validate(entity) == tiny.entities[0]
    relation = records[-1]
    assert relation == {
        "kind": "relation",
        "source": "org_b",
        "target": "org_a",
        "type": "part_of",
        "reason": "name_prefix",
    }


# -- GraphML and GEXF -----------------------------------------------------------------------


def _edges(g: nx.MultiGraph) -> dict[tuple[frozenset[str], str], dict]:
    return {
        (frozenset((u, v)), d["kind"]): {
            k: d[k] for k in ("weight", "articles", "reason") if k in d
        }
        for u, v, d in g.edges(data=True)
    }


def test_to_networkx_has_scalar_attributes_and_kinds(tiny):
    g = to_networkx(tiny)
    assert g.nodes["org_b"] == {
        "label": "Acme China",
        "name": "Acme China",
        "type": "organization",
        "mention_count": 2,
        "article_count": 2,
        "ambiguous": False,
        "aliases": "Acme China",
    }
    assert g.edges["org_a", "org_b", "cooccurrence"] == {
        "kind": "cooccurrence",
        "weight": 3,
        "articles": "a1; a2",
    }
    part_of = g.edges["org_a", "org_b", "part_of"]
    assert part_of["kind"] == "part_of" and (part_of["from"], part_of["to"]) == ("org_b", "org_a")
    scalars = (str, int, float, bool)
    assert all(isinstance(v, scalars) for _, d in g.nodes(data=True) for v in d.values())
    assert all(isinstance(v, scalars) for *_, d in g.edges(data=True) for v in d.values())


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graph_file_reads_back_with_the_same_nodes_edges_and_attributes(tiny, tmp_path, fmt):
    path = tmp_path / f"graph.{fmt}"
    if fmt == "graphml":
        write_graphml(tiny, path)
        back = nx.read_graphml(path, force_multigraph=True)
    else:
        write_gexf(tiny, path)
        back = nx.read_gexf(path)
    original = to_networkx(tiny)
    assert sorted(back.nodes) == sorted(original.nodes)
    for node, data in original.nodes(data=True):
        assert {k: back.nodes[node][k] for k in data} == data
    assert _edges(back) == _edges(original)


def test_gexf_has_no_date_and_no_networkx_internals(tiny, tmp_path):
    write_gexf(tiny, tmp_path / "g.gexf")
    text = (tmp_path / "g.gexf").read_text(encoding="utf-8")
    assert "lastmodifieddate" not in text and "networkx_key" not in text
    assert 'id="cooccurrence:org_a:org_b"' in text


def test_graphml_edge_ids_are_unique(tiny, tmp_path):
    write_graphml(tiny, tmp_path / "g.graphml")
    ids = re.findall(
        r'<edge [^>]*id="([^"]+)"', (tmp_path / "g.graphml").read_text(encoding="utf-8")
    )
    assert len(ids) == 3 == len(set(ids))


# -- CSV ------------------------------------------------------------------------------------


def test_csv_follows_the_gephi_spreadsheet_convention(tiny, tmp_path):
    folder = tmp_path / "new" / "folder"
    paths = write_csv(tiny, folder)
    assert [p.name for p in paths] == ["nodes.csv", "edges.csv", "relations.csv"]
    nodes = list(csv.DictReader((folder / "nodes.csv").open(encoding="utf-8", newline="")))
    assert nodes[0] == {
        "Id": "org_a",
        "Label": "Acme, Inc.",
        "Name": "Acme, Inc.",
        "Type": "organization",
        "Mentions": "1",
        "Articles": "1",
        "Salience": "",  # a Graph alone does not know it; a store does
        "Ambiguous": "false",
        "Value": "",
        "Granularity": "",
        "Aliases": "Acme; Acme, Inc.",
    }
    assert nodes[2]["Label"] == "O'Brien\nJr"
    edges = list(csv.DictReader((folder / "edges.csv").open(encoding="utf-8", newline="")))
    assert edges[0] == {
        "Source": "org_a",
        "Target": "org_b",
        "Weight": "3",
        "Type": "Undirected",
        "Articles": "a1; a2",
    }
    relations = list(csv.DictReader((folder / "relations.csv").open(encoding="utf-8")))
    assert relations == [
        {
            "Source": "org_b",
            "Target": "org_a",
            "Type": "Directed",
            "Kind": "part_of",
            "Reason": "name_prefix",
        }
    ]


# -- Cypher ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "literal"),
    [
        ("plain", "'plain'"),
        ("O'Brien", r"'O\'Brien'"),
        ('say "hi"', "'say \"hi\"'"),
        ("back\\slash", r"'back\\slash'"),
        ("two\nlines\r\n", r"'two\nlines\r\n'"),
        ("tab\there", r"'tab\there'"),
        ("bell\x07", r"'bell\u0007'"),
        ("\\'", r"'\\\''"),
        ("Zürich — “quoted”", "'Zürich — “quoted”'"),
    ],
)
def test_cypher_string_escapes_quotes_backslashes_and_control_characters(value, literal):
    assert cypher_string(value) == literal


_LITERAL = re.compile(r"'(?:[^'\\\n]|\\.)*'")


def _statements(script: str) -> list[str]:
    return [line for line in script.splitlines() if line and not line.startswith("//")]


def _check_structure(script: str) -> None:
    for statement in _statements(script):
        assert statement.endswith(";")
        bare = _LITERAL.sub("''", statement)
        assert "'" not in bare.replace("''", ""), statement  # every literal is closed
        if statement.startswith("CREATE CONSTRAINT"):
            assert "IF NOT EXISTS" in bare and "IS UNIQUE" in bare
            continue
        assert statement.startswith("UNWIND ["), statement
        assert "] AS row " in bare and "MERGE" in bare and " SET " in bare
        assert "CREATE" not in bare and "DELETE" not in bare


def test_cypher_is_idempotent_merge_and_set_only(tiny):
    script = to_cypher(tiny)
    _check_structure(script)
    statements = _statements(script)
    assert statements[:2] == [
        "CREATE CONSTRAINT newsents_entity_id IF NOT EXISTS FOR (e:Entity) REQUIRE e.id IS UNIQUE;",
        "CREATE CONSTRAINT newsents_article_id IF NOT EXISTS "
        "FOR (a:Article) REQUIRE a.id IS UNIQUE;",
    ]
    assert (
        "UNWIND [{id: 'a1', title: 'It\\'s \"big\", \\\\ news', path: 'news/one.txt', "
        "published: null, authors: []}, {id: 'a2', title: null, path: 'news/two.txt', "
        "published: '2024-01-02', authors: []}] AS row MERGE (n:Article {id: row.id}) "
        "SET n.title = row.title, n.path = row.path, n.published = row.published, "
        "n.authors = row.authors;" in statements
    )
    person = next(s for s in statements if "n:Person" in s)
    assert person.startswith(
        "UNWIND [{id: 'per_c', name: 'O\\'Brien\\nJr', display_name: 'O\\'Brien\\nJr', "
        "type: 'person', label: 'ORG', aliases: ['O\\'Brien', 'O\\'Brien\\nJr'], "
        "mention_count: 1, article_count: 1, salience: null, ambiguous: false, value: null, "
        "granularity: null}] AS row MERGE (n:Entity {id: row.id}) SET n.name = row.name, "
    )
    assert person.endswith("n.granularity = row.granularity, n:Person;")


def test_cypher_relationships_carry_counts_weights_and_reasons(tiny):
    statements = _statements(to_cypher(tiny))
    mentions = next(s for s in statements if "[r:MENTIONS]" in s)
    assert mentions == (
        "UNWIND [{source: 'a1', target: 'org_a', count: 1}, "
        "{source: 'a1', target: 'org_b', count: 1}, {source: 'a2', target: 'org_b', count: 1}, "
        "{source: 'a2', target: 'per_c', count: 1}] AS row "
        "MATCH (s:Article {id: row.source}), (t:Entity {id: row.target}) "
        "MERGE (s)-[r:MENTIONS]->(t) SET r.count = row.count;"
    )
    links = next(s for s in statements if "[r:CO_OCCURS]" in s)
    assert links.startswith(
        "UNWIND [{source: 'org_a', target: 'org_b', weight: 3, articles: ['a1', 'a2']}, "
    )
    assert links.endswith("SET r.weight = row.weight, r.articles = row.articles;")
    part_of = next(s for s in statements if "[r:PART_OF]" in s)
    assert part_of == (
        "UNWIND [{source: 'org_b', target: 'org_a', reason: 'name_prefix'}] AS row "
        "MATCH (s:Entity {id: row.source}), (t:Entity {id: row.target}) "
        "MERGE (s)-[r:PART_OF]->(t) SET r.reason = row.reason;"
    )


def test_cypher_sends_rows_in_batches_one_statement_per_batch_and_label():
    people = [
        _entity(f"per_{n:04d}", f"Person {n:04d}", "person", [_mention("a1", n * 20, "P")])
        for n in range(CYPHER_BATCH + 1)
    ]
    places = [_entity("loc_x", "Leeds", "place", [_mention("a1", 0, "Leeds")])]
    graph = Graph(
        articles=[Article(id="a1", path="a.txt", encoding="utf-8")],
        entities=places + people,
        edges=[],
    )
    statements = _statements(to_cypher(graph))
    _check_structure(to_cypher(graph))
    entities = [s for s in statements if "MERGE (n:Entity" in s]
    assert [s.count("{id: '") for s in entities] == [1, CYPHER_BATCH, 1]
    assert [s.rsplit(", ", 1)[1] for s in entities] == ["n:Place;", "n:Person;", "n:Person;"]
    mentions = [s for s in statements if "[r:MENTIONS]" in s]
    assert [s.count("{source: '") for s in mentions] == [CYPHER_BATCH, 2]


# -- the command ----------------------------------------------------------------------------


def test_export_json_is_the_extract_contract(store_db, extracted):
    code, out, _ = export("--db", store_db)
    assert code == 0
    assert json.loads(out) == extracted
    Graph.model_validate_json(out)
    assert out.count(b"\n") == 1  # compact when not on a terminal


def test_export_json_pretty(store_db):
    code, out, _ = export("--db", store_db, "--pretty")
    assert code == 0 and out.startswith(b'{\n  "schema_version"')


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_is_byte_identical_across_runs_and_to_a_file(store_db, tmp_path, fmt):
    code, first, stderr = export("--format", fmt, "--db", store_db)
    assert code == 0, stderr
    assert first
    assert export("--format", fmt, "--db", store_db)[1] == first
    target = tmp_path / f"graph.{fmt}"
    assert export("--format", fmt, "--db", store_db, "-o", str(target))[0] == 0
    if fmt != "json":  # json to a file is compact, like extract -o
        assert target.read_bytes() == first


def test_export_jsonl_counts_match_the_graph(store_db, extracted):
    _, out, _ = export("--format", "jsonl", "--db", store_db)
    kinds = [json.loads(line)["kind"] for line in out.decode().splitlines()]
    assert kinds.count("article") == len(extracted["articles"])
    assert kinds.count("entity") == len(extracted["entities"])
    assert kinds.count("edge") == len(extracted["edges"])
    assert kinds.count("relation") == len(extracted["relations"])
    assert kinds == sorted(kinds, key=["article", "entity", "edge", "relation"].index)


def test_export_graphml_from_the_store_reads_back(store_db, extracted, tmp_path):
    path = tmp_path / "g.graphml"
    assert export("--format", "graphml", "--db", store_db, "-o", str(path))[0] == 0
    g = nx.read_graphml(path, force_multigraph=True)
    assert g.number_of_nodes() == len(extracted["entities"])
    assert g.number_of_edges() == len(extracted["edges"]) + len(extracted["relations"])
    china = next(e for e in extracted["entities"] if e["name"] == "China")
    assert g.nodes[china["id"]]["label"] == "China"
    assert g.nodes[china["id"]]["mention_count"] == china["mention_count"]


def test_export_cypher_from_the_store_is_well_formed(store_db):
    _, out, _ = export("--format", "cypher", "--db", store_db)
    script = out.decode()
    _check_structure(script)
    assert "\\'courageous achievement\\'" in script  # a GUM title with quotes


def test_export_csv_needs_a_folder(store_db):
    code, out, stderr = export("--format", "csv", "--db", store_db)
    assert code == 2 and out == b""
    assert "-o" in stderr and "folder" in stderr


@pytest.mark.parametrize("fmt", ["json", "gexf", "html"])
def test_an_output_file_in_a_folder_that_does_not_exist_is_a_usage_error(store_db, tmp_path, fmt):
    """As `extract -o` says it: exit 2, one line naming the file, before anything is read."""
    target = tmp_path / "no" / f"graph.{fmt}"
    code, out, stderr = export("--format", fmt, "-o", str(target), "--db", store_db)
    assert code == 2 and out == b""
    assert f"{target}: the folder for the output file does not exist" in stderr


def test_an_output_file_that_names_a_folder_is_a_usage_error(store_db, tmp_path):
    code, out, stderr = export("--format", "gexf", "-o", str(tmp_path), "--db", store_db)
    assert code == 2 and out == b""
    assert f"{tmp_path}: is a folder: name the output file" in stderr


def test_export_csv_writes_the_folder(store_db, extracted, tmp_path):
    folder = tmp_path / "a" / "csv"
    code, out, _ = export("--format", "csv", "-o", str(folder), "--db", store_db)
    assert code == 0 and out == b""
    rows = (folder / "nodes.csv").read_text(encoding="utf-8").splitlines()
    assert len(rows) == 1 + len(extracted["entities"])
    first = (folder / "edges.csv").read_bytes()
    export("--format", "csv", "-o", str(folder), "--db", store_db)
    assert (folder / "edges.csv").read_bytes() == first


@pytest.mark.parametrize("fmt", ["json", "jsonl", "cypher"])
def test_export_filters_apply_to_every_format(store_db, extracted, fmt):
    code, out, _ = export(
        "--format", fmt, "--db", store_db, "--type", "person", "--type", "place",
        "--min-weight", "2",
    )  # fmt: skip
    assert code == 0
    kept = {e["id"] for e in extracted["entities"] if e["type"] in ("person", "place")}
    strong = [
        d for d in extracted["edges"] if {d["source"], d["target"]} <= kept and d["weight"] >= 2
    ]
    text = out.decode()
    if fmt == "json":
        graph = json.loads(text)
        assert {e["id"] for e in graph["entities"]} == kept
        assert graph["edges"] == strong
    elif fmt == "jsonl":
        records = [json.loads(line) for line in text.splitlines()]
        assert {r["id"] for r in records if r["kind"] == "entity"} == kept
        assert [r for r in records if r["kind"] == "edge"] == [
            {"kind": "edge", **d} for d in strong
        ]
    else:
        entities = [line for line in text.splitlines() if "MERGE (n:Entity" in line]
        links = [line for line in text.splitlines() if "[r:CO_OCCURS]" in line]
        assert {i for line in entities for i in re.findall(r"\{id: '([^']+)'", line)} == kept
        assert sum(line.count("{source: '") for line in links) == len(strong)
        assert "n:Organization" not in text and "n:Date" not in text


def test_export_unknown_type_is_a_usage_error(store_db):
    code, _, stderr = export("--type", "animal", "--db", store_db)
    assert code == 2 and "animal" in stderr


@pytest.mark.parametrize("fmt", ["json", "jsonl", "graphml", "gexf", "cypher"])
def test_export_of_an_empty_store_is_a_valid_empty_graph(tmp_path, fmt):
    from newsents.store import open_store

    open_store(tmp_path / "empty.db").close()  # a store with nothing extracted into it
    code, out, stderr = export("--format", fmt, "--db", str(tmp_path / "empty.db"))
    assert code == 0
    assert "empty" in stderr
    if fmt == "json":
        assert json.loads(out) == {
            "schema_version": SCHEMA_VERSION,
            "articles": [],
            "entities": [],
            "edges": [],
            "relations": [],
        }
    elif fmt == "jsonl":
        assert out == b""
    elif fmt in ("graphml", "gexf"):
        path = tmp_path / f"g.{fmt}"
        path.write_bytes(out)
        g = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
        assert g.number_of_nodes() == 0
    else:
        assert len(_statements(out.decode())) == 2


def test_export_does_not_import_spacy(store_db):
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from newsents.cli import cli\n"
        f"r = CliRunner().invoke(cli, ['export', '--format', 'cypher', '--db', {store_db!r}])\n"
        "assert r.exit_code == 0, r.output\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('spacy', 'thinc')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT / "src"), "PATH": ""},
        check=True,
    )
    assert result.stdout.strip() == "[]"


def test_export_html_page(store_db, tmp_path):
    if not (Path(ROOT / "src" / "newsents" / "html.py")).is_file():
        pytest.skip("newsents.html is not there yet")
    path = tmp_path / "graph.html"
    code, out, stderr = export("--format", "html", "-o", str(path), "--db", store_db)
    assert code == 0, stderr
    assert out == b""
    page = path.read_text(encoding="utf-8")
    assert "<html" in page.lower() and "Binance" in page


# -- what Gephi colours and filters by ------------------------------------------------------


def _date(entity_id: str, name: str, value: str, granularity: str) -> Entity:
    found = _entity(entity_id, name, "date", [_mention("a1", 0, name)])
    return found.model_copy(update={"value": value, "granularity": granularity})


def test_nodes_that_share_a_name_get_labels_that_tell_them_apart(tmp_path):
    graph = Graph(
        articles=[Article(id="a1", path="a.txt", encoding="utf-8")],
        entities=[
            _date("date_1", "January", "2005-01", "month"),
            _date("date_2", "January", "2004-01", "month"),
            _entity("loc_c", "Chelsea", "place", [_mention("a1", 0, "Chelsea")]),
            _entity("org_c", "Chelsea", "organization", [_mention("a1", 9, "Chelsea")]),
            _entity("org_d", "Chelsea", "organization", [_mention("a1", 19, "Chelsea")]),
            _entity("per_x", "Ann Lee", "person", [_mention("a1", 29, "Ann Lee")]),
        ],
        edges=[],
    )
    labels = {n: d["label"] for n, d in to_networkx(graph).nodes(data=True)}
    assert labels == {
        "date_1": "January (2005-01)",
        "date_2": "January (2004-01)",
        "loc_c": "Chelsea (place)",
        "org_c": "Chelsea (organization) [org_c]",
        "org_d": "Chelsea (organization) [org_d]",
        "per_x": "Ann Lee",
    }
    write_gexf(graph, tmp_path / "g.gexf")
    back = nx.read_gexf(tmp_path / "g.gexf")
    assert {n: d["label"] for n, d in back.nodes(data=True)} == labels
    assert back.nodes["date_1"]["value"] == "2005-01"
    assert back.nodes["date_1"]["granularity"] == "month"
    assert "value" not in back.nodes["per_x"]
    write_csv(graph, tmp_path / "csv")
    rows = csv.DictReader((tmp_path / "csv" / "nodes.csv").open(encoding="utf-8", newline=""))
    assert {r["Id"]: r["Label"] for r in rows} == labels


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_exports_of_the_store_carry_salience_ambiguity_and_date_values(store_db, tmp_path, fmt):
    out = tmp_path / f"graph.{fmt}"
    code, _, err = export("--format", fmt, "-o", str(out), "--db", store_db)
    assert code == 0, err
    back = nx.read_graphml(out) if fmt == "graphml" else nx.read_gexf(out)
    listed = json.loads(CliRunner().invoke(cli, ["entities", "--db", store_db, "--json"]).stdout)
    assert listed and all(back.nodes[e["id"]]["salience"] == e["salience"] for e in listed)
    assert all(isinstance(d["ambiguous"], bool) for _, d in back.nodes(data=True))
    dates = [e for e in listed if e["type"] == "date" and e.get("value")]
    assert dates and all(back.nodes[e["id"]]["value"] == e["value"] for e in dates)
    assert len({d["label"] for _, d in back.nodes(data=True)}) == back.number_of_nodes()


@pytest.mark.parametrize("fmt", ["jsonl", "json", "cypher"])
def test_a_reader_that_stops_early_gets_no_error_line(store_db, fmt):
    # `newsents export | head`: the reader closing the pipe is no failure to report.
    command = [sys.executable, "-m", "newsents", "export", "--format", fmt, "--db", store_db]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.read(10)
    process.stdout.close()
    stderr = process.stderr.read().decode()
    process.wait(timeout=60)
    assert "Error" not in stderr and "Traceback" not in stderr, stderr
