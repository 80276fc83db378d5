"""Saved web pages (`.html`, `.htm`, gzipped too) to articles, through trafilatura.

trafilatura finds the main text, without navigation, ads, related links or comments, and the
page's metadata: title, authors, site name, canonical URL and, through htmldate, the
publication date. Captions of the article's own figures are kept apart, as the text loader
keeps them, and image credits as metadata. A page in another language is read too; its
entities are what the English model finds in it.
"""

from __future__ import annotations

import codecs
import gzip
import io
import re
import zlib
from typing import Any

from newsents.errors import InputError
from newsents.load.compose import Stated, compose, normalise_date, one_line
from newsents.load.decode import decode
from newsents.load.records import authors_of
from newsents.load.text import content_id
from newsents.models import LoadedArticle, SourceFormat

# What a page shows when scripts do not run ("Please enable JavaScript"): never its article.
_NOSCRIPT = re.compile(r"<noscript\b.*?</noscript\s*>", re.I | re.S)
# Fewer words than this is a page's chrome ("Home", "Loading..."), no article.
MIN_WORDS = 5
# A saved page with its inline scripts and styles; bigger is no article page.
MAX_PAGE_BYTES = 32 * 1024 * 1024
GZIP_MAGIC = b"\x1f\x8b"

# trafilatura's settings, measured on the 88 pages of the news-html set (docs/evaluation.md):
# comments are not the article (P 0.936 -> 0.948 at the same recall); tables stay (recall);
# images would bring their alt texts into the text (P 0.948 -> 0.896): captions are found apart.
_EXTRACTION: dict[str, Any] = {
    "include_comments": False,
    "include_tables": True,
    "include_images": False,
    "with_metadata": True,
    "deduplicate": False,
}


def read_html(
    path: str,
    data: bytes,
    *,
    url: str | None = None,
    fetched: str | None = None,
    charset: str | None = None,
    format: SourceFormat = "html",
) -> LoadedArticle:
    """The article of one page's bytes. `url`: where it came from (a fetch, a WARC record),
    used when the page names no canonical link; `charset`: what the server said it was."""
    article_id = content_id(data)
    data = _gunzipped(data, path)
    html, encoding = _decoded(data, path, charset)
    stated = page_parts(html, path=path, url=url)
    stated.fetched = fetched
    return compose(stated, path=path, article_id=article_id, encoding=encoding, format=format)


def page_parts(html: str, *, path: str, url: str | None = None) -> Stated:
    """What trafilatura finds in a page: its main text, metadata and figure captions."""
    import trafilatura
    from trafilatura.settings import Document

    try:
        document = trafilatura.bare_extraction(_NOSCRIPT.sub("", html), url=url, **_EXTRACTION)
    except Exception as error:  # trafilatura raises many kinds on odd markup
        raise InputError(path, f"cannot read this page: {type(error).__name__}") from error
    if not isinstance(document, Document) or len((document.text or "").split()) < MIN_WORDS:
        raise InputError(path, "no article text found in this page")
    title = one_line(document.title)
    captions, credits = _figure_captions(html, document.text or "")
    published = _page_date(document.date, html)
    return Stated(
        title=title,
        text=_without_title(document.text or "", title),
        authors=authors_of(document.author),
        published=published,
        updated=_updated_date(html, published),
        url=document.url or url,
        site=document.sitename,
        captions=captions,
        credits=credits,
    )


def _without_title(text: str, title: str | None) -> str:
    """The main text without the title it often opens with (the page's `<h1>`)."""
    first, _, rest = text.partition("\n")
    if title and _comparable(first) == _comparable(title):
        return rest
    return text


def _comparable(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def _page_date(found: str | None, html: str) -> str | None:
    """The date htmldate found, unless it is only a year (htmldate gives 1 January then), as a
    footer's `© 2019` is: a page that states 1 January states it somewhere in full."""
    date = normalise_date(found)
    if date is None or not date.startswith(date[:4] + "-01-01"):
        return date
    year = date[:4]
    january = r"Jan(?:uary|\.)?"
    full = "|".join(
        (
            rf"{year}-01-01",
            rf"{year}/01/01",
            rf"\b{january} 0?1(?:st)?,? {year}",
            rf"\b0?1(?:st)? {january},? {year}",
        )
    )
    return date if re.search(full, html, re.I) else None


def _updated_date(html: str, published: str | None) -> str | None:
    """The page's last-modified date (htmldate's newest), when it is later than published."""
    from htmldate import find_date

    try:
        found = find_date(html, original_date=False, extensive_search=False)
    except Exception:  # htmldate on odd markup: no date rather than no article
        return None
    updated = normalise_date(found)
    if updated and published and updated[:10] > published[:10]:
        return updated
    return None


# -- captions --------------------------------------------------------------------------------

_CREDIT_CLASS = re.compile(r"credit|copyright|byline|source|attribution", re.I)
_CREDIT_TEXT = re.compile(
    r"\s*[\(\[]?\s*(?:(?:photo(?:graph)?|image|picture|illustration|video)s?\s*(?:by|:)|"
    r"credit\s*:|©|\(c\))\s*(?P<credit>[^()\[\]]+?)\s*[\)\]]?\s*$",
    re.I,
)


# An agency credit closing a caption: `... in New York. REUTERS/Brendan McDermid`.
_AGENCY_CREDIT = re.compile(
    r"(?:^|(?<=[.!?)]\s))(?P<credit>[A-Z][\w&.'’-]*(?: [A-Z][\w&.'’-]*)*/"
    r"[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3})\s*$"
)


def _figure_captions(html: str, text: str) -> tuple[list[str], list[str]]:
    """Captions of the figures that stand inside the main text (after the element holding its
    first line and before the one holding its last, in the page's order), and their credits
    apart."""
    import lxml.html

    lines = [line for line in text.split("\n") if len(line.strip()) >= 20]
    if "<figcaption" not in html or len(lines) < 2:
        return [], []
    try:
        tree = lxml.html.document_fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return [], []
    elements = [e for e in tree.iter() if isinstance(e.tag, str)]
    first = _position_of(elements, lines[0])
    last = _position_of(elements, lines[-1], from_end=True)
    if first is None or last is None or first >= last:
        return [], []
    captions, credits = [], []
    for element in elements[first:last]:
        if element.tag != "figcaption":
            continue
        caption, credit = _caption_and_credit(element)
        if caption:
            captions.append(caption)
        if credit:
            credits.append(credit)
    return captions, credits


def _position_of(elements: list[Any], line: str, *, from_end: bool = False) -> int | None:
    """Where in the page's order the element whose own text opens with the line stands."""
    probe = " ".join(line.split())[:40]
    order = range(len(elements) - 1, -1, -1) if from_end else range(len(elements))
    for index in order:
        own = " ".join((elements[index].text or "").split())
        if own and own[:40] == probe:
            return index
    return None


def _caption_and_credit(caption: Any) -> tuple[str | None, str | None]:
    credit = None
    for element in list(caption.iter()):
        if element is not caption and _CREDIT_CLASS.search(element.get("class") or ""):
            credit = one_line(element.text_content())
            element.drop_tree()
            break
    text = one_line(caption.text_content()) or ""
    if credit is None:
        match = _CREDIT_TEXT.search(text) or _AGENCY_CREDIT.search(text)
        if match:
            credit = one_line(match.group("credit"))
            text = text[: match.start()].rstrip(" ,;-–—")
    credit = _CREDIT_TEXT.sub(lambda m: m.group("credit"), credit) if credit else None
    return one_line(text), one_line(credit)


# -- bytes to text -----------------------------------------------------------------------------

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)


# Labels browsers read as a superset, as the WHATWG Encoding standard says: a page that says
# ISO-8859-1 and holds Windows-1252 curly quotes or euro signs is the common case on the web.
_AS_BROWSERS_READ = {
    "latin-1": "cp1252", "iso8859-1": "cp1252", "ascii": "cp1252",
    "iso8859-9": "cp1254", "tis-620": "cp874", "iso8859-11": "cp874",
}  # fmt: skip


def _decoded(data: bytes, path: str, charset: str | None) -> tuple[str, str]:
    """A BOM, else the charset the server or the page's `<meta>` names, else as text files are
    decoded (UTF-8, then a legacy guess)."""
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode(data, path)
    found = _META_CHARSET.search(data[:4096])
    for named in (charset, found.group(1).decode("ascii", "replace") if found else None):
        if named:
            try:
                encoding = codecs.lookup(named).name
                encoding = _AS_BROWSERS_READ.get(encoding, encoding)
                return data.decode(encoding), encoding
            except (LookupError, UnicodeDecodeError):
                continue
    return decode(data, path)


def _gunzipped(data: bytes, path: str) -> bytes:
    if not data.startswith(GZIP_MAGIC):
        return data
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as unzipped:
            page = unzipped.read(MAX_PAGE_BYTES + 1)
    except (OSError, EOFError, zlib.error) as error:
        raise InputError(path, f"cannot decompress: {error}") from error
    if len(page) > MAX_PAGE_BYTES:
        raise InputError(path, f"too large for one page: over {MAX_PAGE_BYTES:,} bytes unzipped")
    return page


# -- HTML fragments (feed items, dump fields) ---------------------------------------------------

_BLOCKS = {
    "p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "pre",
    "section", "article", "figcaption", "dd", "dt",
}  # fmt: skip


def fragment_text(html: str) -> str:
    """The text of an HTML fragment (a feed item's content, a dump's HTML field): one line per
    block element, scripts and styles dropped."""
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (ValueError, lxml.etree.ParserError):
        return html
    for element in root.iter("script", "style", "noscript"):
        element.drop_tree()
    for element in root.iter():
        if element.tag in _BLOCKS:
            element.tail = "\n" + (element.tail or "")
            if element.tag != "br":
                element.text = "\n" + (element.text or "")
    lines = (" ".join(line.split()) for line in root.text_content().split("\n"))
    return "\n".join(line for line in lines if line)
