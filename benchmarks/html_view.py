"""The HTML view at scale, in headless Chromium (issue 13): how long the page of a large store
takes to become usable, and how long each control takes to answer.

The store is the one `--db` names, else the BBC corpus (../shared/corpora/bbc) extracted into
a fresh one. Its `export --format html` page is opened in Chromium through Playwright; "usable"
is the page marking itself ready (drawn, every control wired), from the navigation's start.
Each control is timed from the action to the second animation frame after it (the browser has
drawn what it changed). Figures vary with the machine's load: run it on a quiet machine.

    python benchmarks/html_view.py --write docs/html.md
    python benchmarks/html_view.py --db news.db
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from report import replace_section

ROOT = Path(__file__).resolve().parents[1]
BBC = ROOT.parent / "shared" / "corpora" / "bbc"
TWO_FRAMES = (
    "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame("
    "() => r(performance.now()))))"
)


def newsents(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "newsents", *args, "-q"], check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip


def measure(page: Path, chromium: str) -> tuple[float, list[tuple[str, float, str]]]:
    from playwright.sync_api import sync_playwright

    rows: list[tuple[str, float, str]] = []
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        tab = browser.new_page(viewport={"width": 1400, "height": 900})
        errors: list[str] = []
        tab.on("pageerror", lambda error: errors.append(str(error)))
        started = time.perf_counter()
        tab.goto(page.as_uri())
        tab.wait_for_selector('body[data-ready="1"]', timeout=300_000)
        usable = time.perf_counter() - started

        def timed(label: str, action: Callable[[], Any]) -> None:
            begun = tab.evaluate("() => performance.now()")
            action()
            ended = tab.evaluate(TWO_FRAMES)
            rows.append((label, (ended - begun) / 1000, tab.inner_text("#visible-count")))

        def click(selector: str) -> None:
            # The element's own click, as a user's: Playwright's click first waits for the
            # element to stand still, which is its time, not the page's.
            tab.evaluate("s => document.querySelector(s).click()", selector)

        def suggestions_for(query: str) -> None:
            tab.fill("#search", query)
            tab.wait_for_function(
                "q => document.getElementById('search').value === q && "
                "!document.getElementById('suggestions').hidden",
                arg=query,
            )

        top = tab.evaluate(
            "() => JSON.parse(document.getElementById('graph-data').textContent)"
            ".nodes.sort((a, b) => b.mentions - a.mentions)[0].name"
        )
        typo = top[:-2] + top[-1] + top[-2]  # the last two letters swapped
        timed("untick a type (dates)", lambda: click("#type-date"))
        timed("tick it again", lambda: click("#type-date"))
        timed("tick “hide unlinked”", lambda: click("#hide-unlinked"))
        timed("untick “hide unlinked”", lambda: click("#hide-unlinked"))
        timed(
            "slider to 3 shared sentences",
            lambda: tab.evaluate(
                "() => { const s = document.getElementById('min-weight'); s.value = 3; "
                "s.dispatchEvent(new Event('input')); }"
            ),
        )
        timed(f"suggestions for a typo ({typo!r})", lambda: suggestions_for(typo))
        timed("Enter: open the best match", lambda: tab.press("#search", "Enter"))
        tab.wait_for_timeout(600)  # the view's move to the entity
        timed("draw 25 neighbours", lambda: click("#show-neighbours"))
        timed("open one of its articles", lambda: click("#entity-view a.link"))
        timed("article search (two words)", lambda: tab.fill("#article-search", "the new"))
        timed(
            "re-run layout (what is drawn)",
            lambda: (
                click("#relayout"),
                tab.wait_for_selector('body[data-ready="1"]', timeout=300_000),
            ),
        )
        timed("fit", lambda: click("#fit"))
        browser.close()
    if errors:
        raise SystemExit(f"the page reported errors: {errors[:3]}")
    return usable, rows


def write_report(path: Path, size_mb: float, entities: str, usable: float, rows: list) -> None:
    table = "\n".join(f"| {label} | {s:.2f} s | {drawn} |" for label, s, drawn in rows)
    slowest = max(rows, key=lambda r: r[1])
    section = f"""## Measured in Chromium

Measured {dt.date.today().isoformat()} on {platform.machine()} ({os.cpu_count()} cores),
Chromium with Playwright, by `benchmarks/html_view.py` on the page of the BBC corpus's store
({size_mb:.1f} MB, {entities} entities). Usable: **{usable:.2f} s** from the navigation's
start to the page drawn with every control working (issue 13: ≤ 3 s). Each control, from the
action to the second frame drawn after it (slowest: {slowest[0]}, {slowest[1]:.2f} s):

| control | time | drawn after (of all) |
|---|---|---|
{table}

Reproduce: `python benchmarks/html_view.py --write docs/html.md` (it extracts the corpus
first, a few minutes, unless `--db` names a store).
"""
    replace_section(path, "Measured in Chromium", section)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="a store to use (default: the BBC corpus, extracted)")
    parser.add_argument("--write", type=Path, help="write the figures into this Markdown file")
    args = parser.parse_args()
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        raise SystemExit("needs Chromium: apt-get install chromium")
    with tempfile.TemporaryDirectory() as work:
        db = args.db
        if db is None:
            if not BBC.is_dir():
                raise SystemExit(f"{BBC} is absent: pass --db STORE")
            db = str(Path(work) / "bbc.db")
            print(f"extracting {BBC} into {db} …", file=sys.stderr)
            newsents("extract", str(BBC), "--db", db)
        page = Path(work) / "graph.html"
        newsents("export", "--format", "html", "-o", str(page), "--db", db)
        size_mb = page.stat().st_size / 1e6
        usable, rows = measure(page, chromium)
        entities = rows[0][2].split("/")[-1].strip() if rows else "?"
    print(f"page {size_mb:.1f} MB, {entities} entities: usable in {usable:.2f} s (target ≤ 3 s)")
    for label, seconds, drawn in rows:
        print(f"  {label:40s} {seconds:6.2f} s   drawn {drawn}")
    if args.write:
        write_report(args.write, size_mb, entities, usable, rows)
        print(f"wrote {args.write}")


if __name__ == "__main__":
    main()
