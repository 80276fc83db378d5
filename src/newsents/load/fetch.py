"""Articles by URL, fetched politely, then read as a saved page (or a feed) is.

Politeness, as a careful crawler's: one request at a time; at least `POLITE_INTERVAL_SECONDS`
between two to the same host (or the `Crawl-delay` its robots.txt asks, up to 30 s); robots.txt
obeyed for the user agent `newsents` (a robots.txt that cannot be fetched allows, as the
standard says for a missing one); a timeout; a size cap; at most `MAX_REDIRECTS` redirects,
to http and https only. A failed fetch is one line naming the URL; the run goes on.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.parse
import urllib.request
import urllib.robotparser
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import IO, Any

from newsents import __version__
from newsents.errors import InputError
from newsents.load.files import is_url, read_bytes
from newsents.load.html import MAX_PAGE_BYTES, read_html
from newsents.models import LoadedArticle

ROBOTS_AGENT = "newsents"
USER_AGENT = f"newsents/{__version__} (news entity extraction; obeys robots.txt)"
TIMEOUT_SECONDS = 20.0
MAX_REDIRECTS = 5
POLITE_INTERVAL_SECONDS = 1.0
MAX_CRAWL_DELAY_SECONDS = 30.0
_MAX_ROBOTS_BYTES = 512 * 1024
_FEED_TYPES = (
    "application/rss+xml", "application/atom+xml", "application/rdf+xml",
    "application/x-rss+xml", "application/x-atom+xml",
)  # fmt: skip
_HTML_TYPES = ("text/html", "application/xhtml+xml")


def urls_in_file(path: str) -> list[str]:
    """The URLs a `--urls` file lists: one a line; blank lines and `#` comments skipped."""
    text = read_bytes(path, 64 * 1024 * 1024, "a list of URLs").decode("utf-8", "replace")
    urls = []
    for number, line in enumerate(text.splitlines(), 1):
        url = line.split(" #", 1)[0].strip()
        if not url or url.startswith("#"):
            continue
        if not is_url(url):
            raise InputError(f"{path}:{number}", f"not an http or https URL: {url[:80]}")
        urls.append(url)
    return urls


class Fetcher:
    """Fetches URLs one at a time, politely; remembers each host's robots.txt and last visit."""

    def __init__(self) -> None:
        self._opener = urllib.request.build_opener(_LimitedRedirects())
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self._last_visit: dict[str, float] = {}

    def read(self, url: str) -> Iterator[LoadedArticle | InputError]:
        """The article at url (or a feed's items), or one InputError naming the URL."""
        try:
            data, final_url, kind, charset = self._fetch_page(url)
        except InputError as error:
            yield error
            return
        fetched = datetime.now(timezone.utc).isoformat(timespec="seconds")
        if kind in _FEED_TYPES or (kind in ("application/xml", "text/xml") and _is_feed(data)):
            from newsents.load.feeds import read_feed

            yield from read_feed(url, data, fetched=fetched)
            return
        try:
            yield read_html(url, data, url=final_url, fetched=fetched, charset=charset)
        except InputError as error:
            yield error

    def _fetch_page(self, url: str) -> tuple[bytes, str, str, str | None]:
        host = urllib.parse.urlsplit(url).netloc
        robots = self._robots_of(url)
        if robots is not None and not robots.can_fetch(ROBOTS_AGENT, url):
            raise InputError(url, "its site's robots.txt asks robots not to fetch it: skipped")
        self._wait_for(host, robots)
        response = self._open(url)
        with response:
            kind = response.headers.get_content_type()
            if kind not in (*_HTML_TYPES, *_FEED_TYPES, "application/xml", "text/xml"):
                raise InputError(url, f"not an HTML page but {kind}: skipped")
            data = _read_capped(response, MAX_PAGE_BYTES, url)
            return data, response.geturl(), kind, response.headers.get_content_charset()

    def _open(self, url: str) -> Any:
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
        try:
            return self._opener.open(request, timeout=TIMEOUT_SECONDS)
        except urllib.error.HTTPError as error:
            if 300 <= error.code < 400:
                reason = f"more than {MAX_REDIRECTS} redirects: not followed"
                raise InputError(url, reason) from None
            raise InputError(url, f"the server answered HTTP {error.code} {error.reason}") from None
        except urllib.error.URLError as error:
            raise InputError(url, f"cannot fetch: {_reason(error.reason)}") from None
        except (TimeoutError, OSError, ValueError) as error:
            raise InputError(url, f"cannot fetch: {_reason(error)}") from None

    def _robots_of(self, url: str) -> urllib.robotparser.RobotFileParser | None:
        parts = urllib.parse.urlsplit(url)
        site = f"{parts.scheme}://{parts.netloc}"
        if site not in self._robots:
            self._robots[site] = self._fetch_robots(f"{site}/robots.txt")
        return self._robots[site]

    def _fetch_robots(self, robots_url: str) -> urllib.robotparser.RobotFileParser | None:
        request = urllib.request.Request(robots_url, headers={"User-Agent": USER_AGENT})
        parser = urllib.robotparser.RobotFileParser(robots_url)
        try:
            with self._opener.open(request, timeout=TIMEOUT_SECONDS) as response:
                text = _read_capped(response, _MAX_ROBOTS_BYTES, robots_url).decode(
                    "utf-8", "replace"
                )
        except urllib.error.HTTPError as error:
            if error.code in (401, 403):
                parser.disallow_all = True  # type: ignore[attr-defined]
                return parser
            return None  # no robots.txt (404) or a server error: nothing asked
        except (urllib.error.URLError, InputError, TimeoutError, OSError, ValueError):
            return None
        parser.parse(text.splitlines())
        return parser

    def _wait_for(self, host: str, robots: urllib.robotparser.RobotFileParser | None) -> None:
        asked = robots.crawl_delay(ROBOTS_AGENT) if robots is not None else None
        interval = min(float(asked), MAX_CRAWL_DELAY_SECONDS) if asked else POLITE_INTERVAL_SECONDS
        last = self._last_visit.get(host)
        if last is not None:
            time.sleep(max(0.0, last + interval - time.monotonic()))
        self._last_visit[host] = time.monotonic()


class _LimitedRedirects(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS

    def redirect_request(
        self, req: Any, fp: IO[bytes], code: int, msg: str, headers: Any, newurl: str
    ) -> Any:
        if not is_url(newurl):
            raise urllib.error.URLError(f"redirected to a non-web address ({newurl[:60]})")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _read_capped(response: Any, limit: int, url: str) -> bytes:
    data = response.read(limit + 1)
    if len(data) > limit:
        raise InputError(url, f"too large for one page: over {limit:,} bytes")
    return bytes(data)


def _is_feed(data: bytes) -> bool:
    head = data[:2048].lower()
    return b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head


def _reason(reason: object) -> str:
    text = str(getattr(reason, "strerror", None) or reason)
    return "timed out" if "timed out" in text.lower() else text
