"""`newsents serve`: the store in Datasette, with its views described and canned queries.

Datasette is an optional extra (`pip install 'newsents[serve]'`). The store's tables and views
are a public interface, documented in docs/store.md; the descriptions below are what Datasette
shows beside them. The queries take a name or alias in any case, or an entity id.
"""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

from newsents.errors import NewsentsError

# One entity the user names: by a name or alias (stored lower-cased), or by its id.
_CHOSEN = """
    SELECT entity_id AS id FROM entity_names WHERE name = lower(trim(:{param}))
    UNION SELECT id FROM entities WHERE id = trim(:{param})"""

QUERIES: dict[str, dict[str, str]] = {
    "neighbours": {
        "title": "An entity's neighbours",
        "description": "The entities named in the same sentences as this one, most often "
        "first: `weight` is how many sentences, `articles` in how many articles.",
        "sql": f"""WITH chosen AS ({_CHOSEN.format(param="entity")})
SELECT l.source AS entity, l.source_name AS entity_name, l.target AS neighbour,
    l.target_name AS neighbour_name, l.target_type AS neighbour_type, l.weight, l.articles
FROM links AS l WHERE l.source IN chosen
UNION ALL
SELECT l.target, l.target_name, l.source, l.source_name, l.source_type, l.weight, l.articles
FROM links AS l WHERE l.target IN chosen
ORDER BY weight DESC, articles DESC, neighbour_name, neighbour
LIMIT 500""",
    },
    "articles_with_both": {
        "title": "Articles that mention two entities",
        "description": "Every article that names both, earliest first, with how central "
        "each is to it (salience, 0 to 1). A name several entities share (two people called "
        "Brown) gives a row per pair of them: the entity columns say which.",
        "sql": f"""WITH first AS ({_CHOSEN.format(param="first")}),
second AS ({_CHOSEN.format(param="second")})
SELECT a.id AS article_id, a.title, a.published, a.path,
    s1.entity_id AS first_entity, e1.name AS first_name, s1.score AS first_salience,
    s2.entity_id AS second_entity, e2.name AS second_name, s2.score AS second_salience
FROM salience AS s1
JOIN salience AS s2 ON s2.article_id = s1.article_id AND s2.entity_id != s1.entity_id
JOIN articles AS a ON a.id = s1.article_id
JOIN entities AS e1 ON e1.id = s1.entity_id
JOIN entities AS e2 ON e2.id = s2.entity_id
WHERE s1.entity_id IN first AND s2.entity_id IN second
ORDER BY a.published, a.path, first_entity, second_entity""",
    },
    "timeline": {
        "title": "An entity over time",
        "description": "Per month of publication (else of update): how many articles name "
        "the entity, and how central it is to them on average. Articles without a date "
        "count as `undated`. A name several entities share gives each its own rows.",
        "sql": f"""WITH chosen AS ({_CHOSEN.format(param="entity")})
SELECT s.entity_id AS entity, e.name AS entity_name,
    coalesce(substr(coalesce(a.published, a.updated), 1, 7), 'undated') AS month,
    count(DISTINCT a.id) AS articles, round(avg(s.score), 3) AS mean_salience
FROM salience AS s JOIN articles AS a ON a.id = s.article_id
JOIN entities AS e ON e.id = s.entity_id
WHERE s.entity_id IN chosen
GROUP BY s.entity_id, month
ORDER BY entity_name, entity, month""",
    },
}

TABLES: dict[str, dict[str, Any]] = {
    "entity_overview": {
        "description": "One row per entity: a person, organization, place or date.",
        "facets": ["type", "ambiguous", "granularity"],
        "columns": {
            "id": "Stable id from the type and the canonical name.",
            "label": "The spaCy label most of its mentions had.",
            "ambiguous": "1 when the name may mean several entities (two people, a place "
            "and a team).",
            "value": "Dates: the ISO 8601 / TimeML value.",
            "granularity": "Dates: day, month, year, decade, ...",
            "aliases": "Every name its mentions gave.",
        },
    },
    "mentions": {
        "description": "One row per mention of an entity in an article, with its offsets in "
        "the article's text.",
        "facets": ["entity_type", "section"],
        "columns": {
            "text": "Exactly the article text from start to end.",
            "name": "The clean name the mention gives (titles taken off).",
            "sentence": "The sentence's index in the article.",
            "section": "title, body, caption, byline ...",
        },
    },
    "article_overview": {
        "description": "One row per article, with how many entities it names.",
        "columns": {"path": "The file it was read from (`dump.jsonl#3`: a record of it)."},
    },
    "links": {
        "description": "Entities named in the same sentence: `weight` sentences, in "
        "`articles` articles.",
        "facets": ["source_type", "target_type"],
        "columns": {},
    },
    "entity_articles": {
        "description": "Which articles name an entity, and how central it is to each "
        "(salience: docs/salience.md).",
        "columns": {},
    },
}

SETTINGS = {"sql_time_limit_ms": 5000, "default_page_size": 50, "facet_time_limit_ms": 500}


def metadata_for(db_path: str) -> dict[str, Any]:
    """Datasette's metadata for the store at db_path (Datasette names a database by its
    file name without the extension)."""
    return {
        "title": f"newsents: {Path(db_path).name}",
        "description": "Entities of news articles, their mentions and links "
        "(newsents: docs/store.md describes every table and view).",
        "databases": {
            Path(db_path).stem: {
                "queries": QUERIES,
                "tables": TABLES,
            }
        },
    }


def check_port_free(host: str, port: int) -> None:
    """One line, before Datasette starts, when `host:port` cannot be listened on (IPv4 or
    IPv6, whichever the host is)."""
    try:
        family, kind, _, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
        with socket.socket(family, kind) as probe:
            probe.bind(address)
    except OSError as exc:  # socket.gaierror too: a host that names no address here
        reason = exc.strerror or str(exc)
        raise NewsentsError(
            f"cannot listen on {host}:{port} ({reason}): pass another --host or --port"
        ) from exc


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def serve(db_path: str, *, host: str, port: int, on_ready: Any = None) -> None:
    """Serve the store with Datasette until interrupted. `on_ready(url)` is called once the
    app is built, before it listens."""
    import asyncio

    try:
        import uvicorn
        from datasette.app import Datasette
    except ImportError as exc:
        raise NewsentsError(
            "`newsents serve` needs Datasette: pip install 'newsents[serve]'"
        ) from exc
    check_port_free(host, port)
    app = Datasette([db_path], metadata=metadata_for(db_path), settings=SETTINGS)
    asyncio.run(app.invoke_startup())
    if on_ready is not None:
        # Datasette's own path for the database (`my news.db` is /my+news).
        on_ready(f"http://{_url_host(host)}:{port}{app.urls.database(Path(db_path).stem)}")
    uvicorn.run(app.app(), host=host, port=port, log_level="warning", lifespan="on")
