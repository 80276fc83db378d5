import json

import pytest

from newsents.graph import build_graph, entity_id
from newsents.models import Article, ArticleAnalysis, Block, ResolvedMention, Sentence


def _analysis(article_id: str, path: str, text: str, mentions, sentences) -> ArticleAnalysis:
    return ArticleAnalysis(
        article=Article(id=article_id, path=path, encoding="utf-8"),
        text=text,
        blocks=[Block(section="body", start=0, end=len(text), text=text)],
        sentences=[
            Sentence(index=i, start=s, end=e, section=sec)
            for i, (s, e, sec) in enumerate(sentences)
        ],
        mentions=[
            ResolvedMention(
                start=s,
                end=e,
                text=text[s:e],
                name=text[s:e],
                type=t,
                label=label,
                section=sec,
                sentence=n,
                key=text[s:e].casefold(),
            )
            for s, e, t, label, sec, n in mentions
        ],
    )


TEXT_A = "Tim Alper\nBinance met Huobi. Binance left China."
A = _analysis(
    "a1",
    "a.txt",
    TEXT_A,
    [
        (0, 9, "person", "BYLINE", "byline", 0),
        (10, 17, "organization", "ORG", "body", 1),
        (22, 27, "organization", "ORG", "body", 1),
        (29, 36, "organization", "ORG", "body", 2),
        (42, 47, "place", "GPE", "body", 2),
    ],
    [(0, 9, "byline"), (10, 28, "body"), (29, 48, "body")],
)


def test_entity_ids_are_stable_and_depend_only_on_type_and_key():
    assert entity_id("organization", "binance") == entity_id("organization", "binance")
    assert entity_id("organization", "binance") != entity_id("place", "binance")


def test_build_graph_groups_mentions_into_entities_with_counts():
    graph = build_graph([A])
    binance = next(e for e in graph.entities if e.name == "Binance")
    assert binance.mention_count == 2 and binance.article_count == 1
    assert [m.start for m in binance.mentions] == [10, 29]


def test_edges_count_shared_body_sentences_and_ignore_the_byline():
    graph = build_graph([A])
    ids = {e.name: e.id for e in graph.entities}
    pairs = {(d.source, d.target): d.weight for d in graph.edges}
    assert pairs[tuple(sorted((ids["Binance"], ids["Huobi"])))] == 1
    assert pairs[tuple(sorted((ids["Binance"], ids["China"])))] == 1
    assert not any(ids["Tim Alper"] in pair for pair in pairs)
    assert all(d.source < d.target for d in graph.edges)


def test_graph_is_the_same_whatever_the_input_order():
    text_b = "Huobi and Binance."
    b = _analysis(
        "b2",
        "b.txt",
        text_b,
        [(0, 5, "organization", "ORG", "body", 0), (10, 17, "organization", "ORG", "body", 0)],
        [(0, 18, "body")],
    )
    assert build_graph([A, b]).model_dump_json() == build_graph([b, A]).model_dump_json()
    edge = next(d for d in build_graph([A, b]).edges if d.weight == 2)
    assert edge.articles == ["a1", "b2"]


def test_a_date_node_is_named_by_the_date_it_stands_for_not_by_a_relative_word(tmp_path):
    # `Monday` in two articles of different weeks is two days: two nodes, neither `Monday`.
    from click.testing import CliRunner

    from newsents.cli import cli

    for day, town in (("2024-03-06", "Faro"), ("2024-03-13", "Braga")):
        (tmp_path / f"{day}-{town}.txt").write_text(
            f"Bridge reopens in {town}\n\nThe bridge at {town} reopened on Monday, the mayor "
            "Ines Lobo said. It had been closed since 3 January 2024.\n",
            encoding="utf-8",
        )
    result = CliRunner().invoke(
        cli,
        ["extract", str(tmp_path), "--published-from", "filename", "--db", str(tmp_path / "n.db")],
    )
    assert result.exit_code == 0, result.stderr
    dates = {e["value"]: e for e in json.loads(result.stdout)["entities"] if e["type"] == "date"}
    assert (
        dates["2024-03-04"]["name"] == "4 March 2024" and "Monday" in dates["2024-03-04"]["aliases"]
    )
    assert dates["2024-03-11"]["name"] == "11 March 2024"
    assert dates["2024-01-03"]["name"] == "3 January 2024"  # as the text states it


def test_a_date_node_is_named_without_the_article_its_sentences_give_it(tmp_path):
    from click.testing import CliRunner

    from newsents.cli import cli

    (tmp_path / "port.txt").write_text(
        "Harbour trade\n\nTrade at the harbour of Setubal grew fastest in the 1990s, the port "
        "authority said. Ships from Lisbon called every week during the 1990s.\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["extract", str(tmp_path), "--db", str(tmp_path / "n.db")])
    assert result.exit_code == 0, result.stderr
    dates = {e["value"]: e for e in json.loads(result.stdout)["entities"] if e["type"] == "date"}
    assert dates["199"]["name"] == "1990s"
    assert dates["199"]["aliases"] == ["the 1990s"]  # the mentions keep what the text says


def test_building_a_graph_leaves_the_cycle_collector_as_it_found_it():
    import gc

    from newsents.gcpause import cycle_collector_paused

    assert gc.isenabled()
    build_graph([])
    assert gc.isenabled()
    with pytest.raises(ValueError), cycle_collector_paused():
        with cycle_collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause still holds
        raise ValueError
    assert gc.isenabled()
    gc.disable()
    try:
        build_graph([])
        assert not gc.isenabled()  # a caller's own choice is kept
    finally:
        gc.enable()


def test_the_memo_of_refinding_reads_every_field_a_refound_mention_takes_from_its_example():
    """The memo (resolve/corpus.py) leaves out of its digest the fields `_anew` sets: were a
    field set there and not listed, a memo would miss a change to what refinding found."""
    from newsents.resolve import corpus

    assert set(corpus._anew(A, 0, 3, A.sentences[0])) == corpus._REFOUND_ANEW


def _tagged(article_id: str, text: str, tags) -> ArticleAnalysis:
    """An article of one body sentence a line, with the mentions `tags` gives: (the n-th
    occurrence of a name, its type)."""
    lines, at = [], 0
    for line in text.split("\n"):
        lines.append((at, at + len(line), "body"))
        at += len(line) + 1
    mentions = []
    for name, n, kind in tags:
        start = -1
        for _ in range(n):
            start = text.index(name, start + 1)
        sentence = next(i for i, (s, e, _) in enumerate(lines) if s <= start < e)
        label = {"person": "PERSON", "organization": "ORG", "place": "GPE"}[kind]
        mentions.append((start, start + len(name), kind, label, "body", sentence))
    return _analysis(article_id, f"{article_id}.txt", text, mentions, lines)


def _refound(analyses, memo=None):
    from newsents.aliases import AliasRules
    from newsents.resolve.corpus import resolve_corpus

    state = resolve_corpus(analyses, AliasRules(), memo)
    found = sorted(
        (i.article, i.mention.start, i.key, i.type)
        for i in state.items
        if i.reason == "refound_corpus"
    )
    return found, state.memo


def test_refinding_with_the_last_runs_memo_finds_what_it_finds_without():
    """A name the model missed in a stored article is found there once a new article makes
    it a name of the gazetteer, and no longer once that article is removed: the memo of the
    last run (resolve/corpus.py) never keeps what refinding found before."""
    old = _tagged(
        "a1",
        "Kestrel Dynamics won the contract.\nAnalysts doubt Kestrel Dynamics can deliver.",
        [("Kestrel Dynamics", 1, "organization")],
    )
    new = _tagged(
        "a2", "Shares in Kestrel Dynamics rose.", [("Kestrel Dynamics", 1, "organization")]
    )
    memo, steps = None, []
    for corpus in ([old], [old, new], [old]):
        found, memo = _refound(corpus, memo)
        assert found == _refound(corpus)[0]
        steps.append(found)
    missed = old.text.index("Kestrel Dynamics", 1)
    assert steps == [[], [("a1", missed, "kestrel dynamics", "organization")], []]


def test_the_corpus_word_counts_with_the_last_runs_memo_are_those_counted_again():
    """`Fresh` is cut from `Fresh Harbourside` once an article writes `fresh` in lower case,
    and kept once that article is removed: the word counts the memo carries from the last
    run (resolve/corpus.py) are those of the corpus as it is."""
    from newsents.aliases import AliasRules
    from newsents.resolve.corpus import resolve_corpus

    glued = _tagged(
        "a1",
        "Fresh Harbourside plans were shown.",
        [("Fresh Harbourside", 1, "organization")],
    )
    alone = _tagged("a2", "The Harbourside board met.", [("Harbourside", 1, "organization")])
    lower = _tagged("a3", "The bread was fresh.", [])

    def key_of_the_glued_name(corpus, memo=None):
        state = resolve_corpus(corpus, AliasRules(), memo)
        return next(i.key for i in state.items if i.article == "a1"), state.memo

    memo, keys = None, []
    for corpus in ([glued, alone], [glued, alone, lower], [glued, alone]):
        key, memo = key_of_the_glued_name(corpus, memo)
        again, counted = key_of_the_glued_name(corpus)
        assert (key, memo.words) == (again, counted.words)
        keys.append(key)
    assert keys == ["fresh harbourside", "harbourside", "fresh harbourside"]
