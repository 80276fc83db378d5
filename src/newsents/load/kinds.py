"""The kinds of input the loader reads, by name: no reader is imported here, so the command
line can list them without loading the stage."""

from __future__ import annotations

# Longest first, so `.warc.gz` is WARC before `.gz` could be anything. `.txt` and `.md` match
# in their case only (a corpus's `README.TXT` is not an article).
SUFFIXES: tuple[tuple[str, str], ...] = (
    (".warc.gz", "warc"), (".html.gz", "html"), (".htm.gz", "html"), (".jsonl.gz", "json"),
    (".ndjson.gz", "json"),
    (".warc", "warc"), (".arc.gz", "warc"),
    (".html", "html"), (".htm", "html"), (".xhtml", "html"), (".shtml", "html"),
    (".jsonl", "json"), (".ndjson", "json"), (".json", "json"),
    (".csv", "csv"), (".tsv", "tsv"),
    (".rss", "feed"), (".atom", "feed"), (".xml", "feed"),
    (".markdown", "markdown"),
)  # fmt: skip
CASED_SUFFIXES = ((".txt", "text"), (".md", "markdown"))
FORMATS = ("text", "markdown", "html", "json", "csv", "tsv", "feed", "warc")
KNOWN = ", ".join(
    sorted({suffix for suffix, _ in (*CASED_SUFFIXES, *SUFFIXES) if not suffix.endswith(".gz")})
)

# Each field of an article, and the names a record may give it, tried in this order (case and
# `_`/`-`/space do not matter: `date_publish`, `datePublish` and `Date Publish` are one name).
FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline", "webTitle", "name_of_article", "heading", "fields.headline"),
    "text": (
        "text", "maintext", "content", "body", "articleBody", "bodyText", "full_text",
        "fulltext", "article_text", "article", "story", "raw_text", "fields.bodyText",
        "description", "summary",
    ),
    "html": ("html", "raw_html", "content_html", "body_html", "html_content", "fields.body"),
    "authors": (
        "authors", "author", "byline", "creator", "creators", "by", "writer", "writers",
        "fields.byline",
    ),
    "published": (
        "published", "date_publish", "publish_date", "datePublished", "published_at",
        "publishedAt", "pubDate", "publication_date", "date_published", "webPublicationDate",
        "date", "created_at", "timestamp", "time",
    ),
    "updated": (
        "updated", "date_modify", "dateModified", "modified", "updated_at", "date_modified",
        "last_modified", "lastmod",
    ),
    "url": (
        "url", "link", "webUrl", "canonical_url", "canonical_link", "canonical", "uri", "href",
        "source_url", "source",
    ),
    "site": (
        "site", "sitename", "site_name", "meta_site_name", "source_hostname", "source_domain",
        "source", "publisher", "hostname", "domain",
    ),
}  # fmt: skip
FIELDS = tuple(FIELD_NAMES)
