"""The HTML view at scale (issue 13): it opens on the most salient entities, laid out ahead,
draws neighbours on demand, forgives typos in search and finds articles. Driven in headless
Chromium through Playwright, on a made-up graph of 3,000 entities. Timings are measured by
benchmarks/html_view.py, not here."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from newsents.html import START_NODES, graph_data, render_html
from newsents.models import Article, Edge, Entity, Graph, Mention

ENTITIES = 3000
ARTICLES = 200


def _big_graph() -> tuple[Graph, dict[str, str], dict[str, float]]:
    names = [f"Person {n:04d}" for n in range(ENTITIES)] + ["Tony Blair", "Blair"]
    ids = [f"per_{n:04d}" for n in range(ENTITIES)] + ["per_blair", "per_orphan"]
    texts: dict[str, list[str]] = {f"a{k:03d}": [] for k in range(ARTICLES)}
    mentions: dict[str, list[Mention]] = {}
    for n, (entity_id, name) in enumerate(zip(ids, names, strict=True)):
        article = f"a{n % ARTICLES:03d}"
        start = sum(len(part) + 1 for part in texts[article])
        texts[article].append(name)
        mentions[entity_id] = [
            Mention(article=article, start=start, end=start + len(name), text=name,
                    sentence=0, section="body", label="PERSON", name=name)
        ]  # fmt: skip
    entities = [
        Entity(id=i, name=name, type="person", label="PERSON",
               aliases=[name, "Blair"] if i == "per_blair" else [name],
               mention_count=50 if i == "per_blair" else 1, article_count=1,
               mentions=mentions[i])
        for i, name in zip(ids, names, strict=True)
    ]  # fmt: skip
    edges = [Edge(source=ids[n], target=ids[n + 1], weight=1 + n % 5, articles=["a000"])
             for n in range(ENTITIES - 1)]  # fmt: skip
    # Tony Blair's links are to the least salient: none of them is drawn at first.
    edges += [Edge(source=ids[ENTITIES - 100 - n], target="per_blair", weight=100 - n,
                   articles=["a000"]) for n in range(60)]  # fmt: skip
    articles = [
        Article(id=a, path=f"news/article-{a}.txt", title=f"Article {a}", encoding="utf-8")
        for a in texts
    ]
    salience = {i: (9.0 if i == "per_blair" else 1.0 / (1 + n)) for n, i in enumerate(ids)}
    graph = Graph(articles=articles, entities=entities, edges=edges)
    return graph, {a: " ".join(parts) for a, parts in texts.items()}, salience


def test_the_page_opens_on_the_most_salient_entities_laid_out_ahead():
    graph, texts, salience = _big_graph()
    data = graph_data(graph, texts, salience=salience)
    assert len(data["start"]) == START_NODES and data["start"][0] == "per_blair"
    placed = {n["id"]: (n.get("x"), n.get("y")) for n in data["nodes"]}
    assert all(isinstance(placed[i][0], int) for i in data["start"])
    assert sum(1 for x, _ in placed.values() if x is not None) == START_NODES
    assert graph_data(graph, texts, salience=salience) == data  # the same layout every time


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    sync_api = pytest.importorskip("playwright.sync_api", reason="needs Playwright (test extra)")
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        pytest.skip("chromium not installed: apt-get install chromium")
    graph, texts, salience = _big_graph()
    path = tmp_path_factory.mktemp("html-scale") / "graph.html"
    path.write_text(render_html(graph, texts, salience=salience), encoding="utf-8")
    with sync_api.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        tab = browser.new_page(viewport={"width": 1400, "height": 900})
        errors: list[str] = []
        tab.on("pageerror", lambda error: errors.append(str(error)))
        tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        tab.goto(path.as_uri())
        tab.wait_for_selector('body[data-ready="1"]', timeout=60_000)
        yield tab, errors
        browser.close()


def _showing(tab, name: str) -> None:
    tab.wait_for_function(
        "name => document.querySelector('#entity-view h2')?.textContent === name", arg=name
    )


def _drawn(tab) -> int:
    return int(tab.inner_text("#visible-count").split("/")[0])


def _first_suggestion(tab, query: str) -> str:
    tab.fill("#search", query)
    tab.wait_for_function(
        "q => document.getElementById('search').value === q && "
        "!document.getElementById('suggestions').hidden",
        arg=query,
    )
    tab.wait_for_timeout(150)  # the suggestions follow typing after a short pause
    return tab.inner_text("#suggestions li")


def test_it_draws_the_start_entities_only(page):
    tab, errors = page
    assert tab.inner_text("#visible-count") == f"{START_NODES} / {ENTITIES + 2}"
    assert errors == []


def test_search_forgives_typos_and_ranks_by_mentions(page):
    tab, _ = page
    assert "Tony Blair" in _first_suggestion(tab, "Tony Blear")
    # `Blair` is the name of an orphan and an alias of Tony Blair: the most mentioned first.
    assert "Tony Blair" in _first_suggestion(tab, "blair")
    tab.press("#search", "Enter")
    _showing(tab, "Tony Blair")


def test_neighbours_are_drawn_on_demand(page):
    tab, errors = page
    tab.fill("#search", "Person 2999")
    tab.press("#search", "Enter")  # not among the start entities: drawn when found
    tab.wait_for_function(
        "document.querySelector('#entity-view h2')?.textContent === 'Person 2999'"
    )
    before = _drawn(tab)
    assert before == START_NODES + 1
    tab.fill("#search", "Tony Blair")
    tab.press("#search", "Enter")
    tab.wait_for_selector("#show-neighbours")
    before = _drawn(tab)
    tab.click("#show-neighbours")
    tab.wait_for_function(
        f"parseInt(document.getElementById('visible-count').textContent) > {before}"
    )
    assert before < _drawn(tab) <= before + 25
    # Hiding and showing unlinked entities changes nothing drawn beyond what was asked for.
    drawn = _drawn(tab)
    tab.click("#hide-unlinked")
    tab.click("#hide-unlinked")
    assert _drawn(tab) == drawn
    assert errors == []


def test_a_search_for_an_entity_of_a_type_filtered_out_turns_the_filter_off(page):
    tab, errors = page
    tab.click("#type-person")
    tab.fill("#search", "Person 0001")
    tab.press("#search", "Enter")
    _showing(tab, "Person 0001")
    assert tab.is_checked("#type-person")
    assert errors == []


def test_articles_are_found_by_title(page):
    tab, _ = page
    tab.fill("#article-search", "article a007")
    tab.wait_for_function("() => document.getElementById('article-hint').textContent.length > 0")
    assert tab.inner_text("#article-hint") == "1 article match"
    visible = tab.locator("#article-list li:not([hidden])")
    assert visible.count() == 1 and "a007" in visible.inner_text()
