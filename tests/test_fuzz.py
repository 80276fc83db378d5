"""Property-based fuzzing of the loader, the rules and the exporters (issue 10).

Random bytes and random Unicode go in; what must hold whatever they are:
- the loader gives a valid article or one `InputError` naming the file, never anything else;
- every block, sentence and mention of an article is the exact slice of its text it claims;
- the store gives back exactly what it was given;
- every export parses with the standard parser for its format and carries each name intact.

Examples per test are bounded (profiles in conftest.py): `ci` (the default, derandomised so
a run is reproducible) and `deep` (`NEWSENTS_FUZZ=deep`, many more, random) for a long hunt.
"""

from __future__ import annotations

import csv
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsents.errors import InputError
from newsents.load import read_article

# Any character a decoded file can hold (no lone surrogates), control characters included.
ANY_CHAR = st.characters(exclude_categories=["Cs"])

# Words that make the loader and the rules do something: titles, bylines, datelines, dates,
# names in several scripts, punctuation, line breaks and the characters scraped pages carry.
WORDS = [
    "By", "Mr", "Dr", "said", "the", "of", "and", "met", "in", "on", "Monday", "3 March 2005",
    "yesterday", "last week", "2004", "Ana Sousa", "Quillmoor Bank", "Lisbon", "LONDON (Reuters) -",
    "Ltd", "FC", "United", "2-1", "Müller", "Łódź", "Пётр Иванов", "東京", "O'Neil", "al-Amin",
    "McDonald's", "U.S.", "—", "-", ",", ".", "?", "\"", "(", ")", "'s", "\n", "\n\n", "\t",
    "\x1b[2J", "\x07", "\u202e", "\ufeff", "\x00", "#", "*", ">", "Reading time: 3 min",
    "Updated 4 May 2020", "Photo: Ana Sousa/AP", "Published on 1 June 2021",
]  # fmt: skip
NEWSY_TEXT = st.lists(st.sampled_from(WORDS) | st.text(ANY_CHAR, max_size=4), max_size=80).map(
    " ".join
)


def fuzz(share: float = 1.0) -> settings:
    """The profile's budget (or a share of it, for the slow properties), with no deadline: a
    shared machine's pauses are no bug."""
    return settings(
        max_examples=max(10, int(settings().max_examples * share)),
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )


def _article_or_one_error(data: bytes):
    try:
        return read_article("fuzzed.txt", data)
    except InputError as error:
        assert error.path == "fuzzed.txt"
        assert "\n" not in str(error)
        return None


def _assert_exact_slices(loaded) -> None:
    text = loaded.text
    previous_end = 0
    for block in loaded.blocks:
        assert previous_end <= block.start <= block.end <= len(text)
        assert text[block.start : block.end] == block.text
        previous_end = block.end


@fuzz()
@given(st.binary(max_size=3000))
def test_random_bytes_give_an_article_or_one_line_naming_the_file(data):
    loaded = _article_or_one_error(data)
    if loaded is not None:
        _assert_exact_slices(loaded)


@fuzz()
@given(NEWSY_TEXT, st.sampled_from(["utf-8", "utf-16", "utf-16-le", "cp1252", "latin-1"]))
def test_random_text_in_any_common_encoding_loads_with_exact_offsets(text, encoding):
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    loaded = _article_or_one_error(data)
    if loaded is not None:
        _assert_exact_slices(loaded)


@fuzz(0.4)
@given(NEWSY_TEXT)
def test_the_rules_give_exact_mentions_and_the_same_graph_twice_whatever_the_text(nlp, text):
    from newsents.graph import build_graph
    from newsents.nlp import analyze
    from newsents.resolve import analyse_article

    loaded = _article_or_one_error(("Fuzzed\n\n" + text).encode("utf-8"))
    if loaded is None:
        return
    ((_, output),) = analyze([loaded], nlp)
    analysis = analyse_article(loaded, output)
    for mention in analysis.mentions:
        assert analysis.text[mention.start : mention.end] == mention.text
    for sentence in analysis.sentences:
        assert 0 <= sentence.start <= sentence.end <= len(analysis.text)
    graph = build_graph([analysis])
    again = build_graph([analyse_article(loaded, output)])
    assert graph.model_dump_json() == again.model_dump_json()


@fuzz(0.25)
@given(NEWSY_TEXT)
def test_the_store_gives_back_exactly_what_it_was_given(tmp_path_factory, text):
    from newsents.models import ModelOutput
    from newsents.resolve import analyse_article
    from newsents.store import open_store

    loaded = _article_or_one_error(("Fuzzed\n\n" + text).encode("utf-8"))
    if loaded is None:
        return
    analysis = analyse_article(loaded, ModelOutput(ents=[], sents=[]))
    store = open_store(tmp_path_factory.mktemp("store") / "news.db")
    store.save_analysis(analysis, model="m", analyzer="r")
    (back,) = store.load_analyses()
    store.close()
    assert back == analysis


# -- exporters ------------------------------------------------------------------------------

NAMES = st.text(ANY_CHAR, min_size=1, max_size=24)


@st.composite
def graphs(draw):
    """A graph of random names, each mentioned once in the article's text (the names joined)."""
    from newsents.models import Article, Edge, Entity, Graph, Mention

    names = draw(st.lists(NAMES, min_size=1, max_size=8, unique=True))
    types = st.sampled_from(["person", "organization", "place", "date"])
    entities, offset = [], 0
    for i, name in enumerate(names):
        mention = Mention(
            article="a1", start=offset, end=offset + len(name), text=name, sentence=0,
            section="body", label="X", name=name,
        )  # fmt: skip
        offset += len(name) + 1
        entities.append(
            Entity(
                id=f"e{i}",
                name=name,
                type=draw(types),
                label="X",
                aliases=[name],
                mention_count=1,
                article_count=1,
                mentions=[mention],
            )  # fmt: skip
        )
    pairs = [(a.id, b.id) for a in entities for b in entities if a.id < b.id]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True) if pairs else st.just([]))
    article = Article(id="a1", path=draw(NAMES), title=draw(st.none() | NAMES), encoding="utf-8")
    graph = Graph(
        articles=[article],
        entities=entities,
        edges=[Edge(source=s, target=t, weight=1, articles=["a1"]) for s, t in chosen],
    )
    return graph, " ".join(names)


def _names(graph) -> list[str]:
    return [e.name for e in graph.entities]


@fuzz()
@given(graphs())
def test_json_and_jsonl_exports_parse_and_keep_every_name_exactly(drawn):
    from newsents.export import to_jsonl
    from newsents.models import Graph

    graph, _ = drawn
    assert Graph.model_validate_json(graph.model_dump_json()) == graph
    records = [json.loads(line) for line in to_jsonl(graph)]
    assert [r["name"] for r in records if r["kind"] == "entity"] == _names(graph)
    assert [r["title"] for r in records if r["kind"] == "article"] == [graph.articles[0].title]


@fuzz()
@given(graphs())
def test_a_record_as_the_store_keeps_it_is_the_json_the_exports_write(drawn):
    """Streamed exports copy the stored JSON of entities and edges as it is (stored_graph.Raw):
    pydantic's JSON must be what json.dumps writes for the same record, whatever the names."""
    graph, _ = drawn
    for part in (*graph.articles, *graph.entities, *graph.edges):
        compact = json.dumps(
            part.model_dump(mode="json"), ensure_ascii=False, separators=(",", ":")
        )
        assert part.model_dump_json() == compact


@fuzz()
@given(graphs())
def test_graphml_and_gexf_exports_are_well_formed_xml_with_one_label_per_name(
    tmp_path_factory, drawn
):
    from newsents.export import write_gexf, write_graphml, xml_text

    graph, _ = drawn
    folder = tmp_path_factory.mktemp("xml")
    write_graphml(graph, folder / "g.graphml")
    write_gexf(graph, folder / "g.gexf")
    for name in ("g.graphml", "g.gexf"):
        root = ET.parse(folder / name).getroot()  # raises unless well-formed XML 1.0
        texts = {element.text for element in root.iter()} | {
            value for element in root.iter() for value in element.attrib.values()
        }
        for entity_name in _names(graph):
            assert xml_text(entity_name) in texts


@fuzz()
@given(graphs())
def test_csv_export_parses_and_no_cell_starts_a_formula(tmp_path_factory, drawn):
    from newsents.export import write_csv

    graph, _ = drawn
    folder = tmp_path_factory.mktemp("csv")
    write_csv(graph, folder)
    with (folder / "nodes.csv").open(encoding="utf-8", newline="") as fh:
        labels = [row["Label"] for row in csv.DictReader(fh)]
    for label, name in zip(labels, _names(graph), strict=True):
        assert label in (name, "'" + name)
        assert not label.startswith(("=", "+", "-", "@", "\t", "\r"))


_CYPHER_LITERAL = re.compile(r"'(?:\\.|[^'\\])*'")


def _unescape_cypher(literal: str) -> str:
    return json.loads('"' + literal[1:-1].replace('"', '\\"').replace("\\'", "'") + '"')


@fuzz()
@given(graphs())
def test_cypher_export_is_one_statement_a_line_with_every_name_quoted(drawn):
    from newsents.export import to_cypher

    graph, _ = drawn
    literals = []
    for line in to_cypher(graph).split("\n")[1:-1]:
        assert line.endswith(";")
        outside = _CYPHER_LITERAL.sub("", line)
        assert "'" not in outside and outside.isascii()
        literals += [_unescape_cypher(m.group()) for m in _CYPHER_LITERAL.finditer(line)]
    assert set(_names(graph)) <= set(literals)


class _GraphData(HTMLParser):
    """The text of the page's `<script id="graph-data">` element, as a browser reads it."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._inside = False

    def handle_starttag(self, tag, attrs):
        self._inside = tag == "script" and ("id", "graph-data") in attrs
        if self._inside:
            self.found.append("")

    def handle_endtag(self, tag):
        self._inside = False

    def handle_data(self, data):
        if self._inside:
            self.found[-1] += data


@fuzz(0.2)
@given(graphs())
def test_the_html_view_embeds_any_name_and_text_without_breaking_out_of_its_script(drawn):
    from newsents.html import render_html

    graph, text = drawn
    parser = _GraphData()
    parser.feed(render_html(graph, {"a1": text}))
    (data,) = parser.found
    embedded = json.loads(data)
    assert [node["name"] for node in embedded["nodes"]] == _names(graph)
    assert embedded["texts"] == {"a1": text}
