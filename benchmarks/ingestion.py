"""How fast newsents reads its inputs, before any NLP: pages, dumps, feeds and archives.

Reads the 88 saved pages of `../shared/corpora/news-html` as files, the same pages inside one
gzipped WARC file, and the text of the BBC corpus as one JSON Lines dump and one CSV file;
each reader runs side by side in this process, three times, the best time kept. No model is
loaded: this is the loader alone (decoding, extraction, parsing into blocks).

    python benchmarks/ingestion.py
    python benchmarks/ingestion.py --write docs/benchmarks.md
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import platform
import sys
import tempfile
import time
from pathlib import Path

from report import replace_section

from newsents.load import read_article, read_source
from newsents.load.files import iter_input_files
from newsents.models import LoadedArticle

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
PAGES = SHARED / "corpora" / "news-html" / "pages"
BBC = SHARED / "corpora" / "bbc"


def read_all(paths: list[str]) -> tuple[int, int]:
    """Articles read and failures, over every path."""
    read = failed = 0
    for path in paths:
        for _, item in read_source(path):
            if isinstance(item, LoadedArticle):
                read += 1
            else:
                failed += 1
    return read, failed


def best_of(runs: int, paths: list[str]) -> tuple[float, int, int]:
    times, counts = [], (0, 0)
    for _ in range(runs):
        began = time.perf_counter()
        counts = read_all(paths)
        times.append(time.perf_counter() - began)
    return min(times), *counts


def make_warc(pages: list[Path], target: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with target.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for page in pages:
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], "HTTP/1.1")
            record = writer.create_warc_record(
                f"https://example.org/{page.stem}",
                "response",
                payload=io.BytesIO(page.read_bytes()),
                http_headers=headers,
            )
            writer.write_record(record)


def make_dumps(folder: Path) -> tuple[Path, Path]:
    """The BBC corpus as one JSON Lines dump and one CSV file (title and text per article)."""
    rows = []
    for path in iter_input_files([str(BBC)]):
        loaded = read_article(path)
        title = loaded.article.title or ""
        rows.append({"title": title, "text": loaded.text[len(title) :].strip()})
    jsonl, table = folder / "bbc.jsonl", folder / "bbc.csv"
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    with table.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, ["title", "text"])
        writer.writeheader()
        writer.writerows(rows)
    return jsonl, table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--write", help="Also write the figures to this Markdown file.")
    args = parser.parse_args()
    if not PAGES.is_dir() or not BBC.is_dir():
        sys.exit(f"{PAGES} and {BBC} are needed: put ../shared beside the checkout")
    pages = sorted(PAGES.glob("*.html"))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        warc = Path(tmp) / "pages.warc.gz"
        make_warc(pages, warc)
        jsonl, table = make_dumps(Path(tmp))
        for label, paths, unit in (
            ("88 saved pages, one file each (HTML)", [str(p) for p in pages], "pages"),
            ("the same pages in one gzipped WARC file", [str(warc)], "pages"),
            ("BBC corpus as one JSON Lines dump", [str(jsonl)], "articles"),
            ("BBC corpus as one CSV file", [str(table)], "articles"),
            ("BBC corpus as text files", list(iter_input_files([str(BBC)])), "articles"),
        ):
            seconds, read, failed = best_of(args.runs, paths)
            rows.append((label, read, failed, seconds, unit))
            print(f"{label:45} {read:5} read {failed:3} failed {seconds:6.2f} s "
                  f"{read / seconds:8.1f} {unit}/s", flush=True)  # fmt: skip
    if args.write:
        write_report(Path(args.write), rows)


def write_report(path: Path, rows: list[tuple[str, int, int, float, str]]) -> None:
    table = "\n".join(
        f"| {label} | {read:,} | {seconds:.2f} s | {read / seconds:,.0f} {unit}/s |"
        for label, read, _, seconds, unit in rows
    )
    section = f"""## Reading inputs: pages, dumps and archives (no NLP)

Measured {dt.date.today().isoformat()} on {platform.machine()}, Python {platform.python_version()}:
the loader alone (decoding, main-text extraction, metadata, blocks), best of three runs side by
side in one process (`benchmarks/ingestion.py`). The whole pipeline runs at about 25 BBC
articles/s here (the throughput section), so reading dumps and text files is a few percent
of a run; reading pages is a real share of it (on the 88 pages `extract` took 16.5 s end to
end, model loading included, of which reading is the time below).

| input | articles | time | rate |
|---|---|---|---|
{table}

Reproduce: `python benchmarks/ingestion.py --write docs/benchmarks.md`.
"""
    replace_section(path, "Reading inputs", section)


if __name__ == "__main__":
    main()
