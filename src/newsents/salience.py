"""How central an entity is to an article: one score in [0, 1] per (entity, article).

    salience = 0.60 * mentions / most_mentions + 0.25 * in_title + 0.15 * in_lead

- `mentions`: the entity's mentions in the article's content (title, body and captions; a
  byline names who wrote the article and a dateline where it was filed, not what it is about);
  `most_mentions`: the same count for the article's most-mentioned entity. This is the entity's
  share of all mentions divided by the highest share in the article, so the article's main
  entity gets the full 0.60 however many other entities the article names.
- `in_title`: 1 when the entity is named in the title (editors put the subject there).
- `in_lead`: 1 when it is named in the lead, the first body paragraph (news is written as an
  inverted pyramid: who and what come first). The lead names more entities than the title, so
  it weighs less.

Repetition carries most of the weight because it is the one signal every article has (many have
no recognisable title). An entity named only in a byline or dateline scores 0. Scores are
rounded to 4 decimals so a store rebuilt from the same articles holds the same numbers. An
entity's salience over the corpus (`newsents entities --sort salience`) is the sum of its
scores over its articles: roughly, the number of articles it is the subject of.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from newsents.gcpause import cycle_collector_paused
from newsents.models import ArticleAnalysis, Graph

SHARE_WEIGHT = 0.60
TITLE_WEIGHT = 0.25
LEAD_WEIGHT = 0.15
CONTENT_SECTIONS = frozenset({"title", "body", "caption"})


def salience_scores(
    graph: Graph, analyses: Iterable[ArticleAnalysis]
) -> dict[tuple[str, str], float]:
    """(entity id, article id) → salience, for every entity mentioned in an article."""
    return _salience_scores(graph, list(analyses))


@cycle_collector_paused()
def _salience_scores(graph: Graph, analyses: list[ArticleAnalysis]) -> dict[tuple[str, str], float]:
    return scores_of_mentions(
        ((e.id, m.article, m.section, m.start) for e in graph.entities for m in e.mentions),
        {a.article.id: lead_of(a) for a in analyses},
    )


def scores_of_mentions(
    mentions: Iterable[tuple[str, str, str, int]], leads: dict[str, tuple[int, int] | None]
) -> dict[tuple[str, str], float]:
    """(entity id, article id) → salience, from (entity id, article id, section, start) of
    every mention in those articles and each article's lead (`lead_of`)."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)  # article → entity → mentions
    in_title: set[tuple[str, str]] = set()
    in_lead: set[tuple[str, str]] = set()
    pairs: set[tuple[str, str]] = set()
    for entity_id, article_id, section, start in mentions:
        pair = (entity_id, article_id)
        pairs.add(pair)
        if section not in CONTENT_SECTIONS:
            continue
        counts[article_id][entity_id] += 1
        if section == "title":
            in_title.add(pair)
        lead = leads.get(article_id)
        if lead is not None and lead[0] <= start < lead[1]:
            in_lead.add(pair)
    scores = {}
    for entity_id, article_id in sorted(pairs):
        article_counts = counts.get(article_id)
        top = max(article_counts.values()) if article_counts else 0
        share = article_counts[entity_id] / top if article_counts and top else 0.0
        score = (
            SHARE_WEIGHT * share
            + TITLE_WEIGHT * ((entity_id, article_id) in in_title)
            + LEAD_WEIGHT * ((entity_id, article_id) in in_lead)
        )
        scores[(entity_id, article_id)] = round(score, 4)
    return scores


def lead_of(analysis: ArticleAnalysis) -> tuple[int, int] | None:
    """Offsets of the first body paragraph."""
    for block in analysis.blocks:
        if block.section == "body":
            return block.start, block.end
    return None
