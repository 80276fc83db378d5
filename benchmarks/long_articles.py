"""Time and memory of `newsents extract` on one article of N short lines, for growing N.

An article of 100,000 short lines once ran for 18 minutes without finishing (issue 10): the
rules were quadratic in its sentences and mentions, and spaCy ran over one Doc of the whole
file. Each size runs in a fresh process (peak memory is that process's), side by side.

    python benchmarks/long_articles.py                       # 12,500 to 100,000 lines
    python benchmarks/long_articles.py --write docs/benchmarks.md
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = ["Paris", "rain", "Anna", "sun", "Oslo", "Kim", "wind", "Leeds"]


def write_lines(path: Path, n: int) -> None:
    pick = random.Random(n)
    lines = (f"{pick.choice(WORDS)} {i % 100}" for i in range(n))
    path.write_text("Lines\n\n" + "\n".join(lines) + "\n", encoding="utf-8")


def run(n: int, folder: Path) -> tuple[float, float, int]:
    article = folder / f"lines{n}.txt"
    write_lines(article, n)
    command = [sys.executable, "-m", "newsents", "extract", str(article), "--db"]
    command += [str(folder / f"lines{n}.db"), "-o", str(folder / f"lines{n}.json")]
    began = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    seconds = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the largest so far
    return seconds, peak, article.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="12500,25000,50000,100000")
    parser.add_argument("--write", help="Also write the figures to this Markdown file.")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(s) for s in args.sizes.split(",")):
            seconds, peak, size = run(n, Path(tmp))
            rows.append((n, size, seconds, peak))
            print(
                f"{n:>7} lines  {size / 1024:7.0f} KB  {seconds:6.1f} s  "
                f"{seconds / n * 1000:5.2f} ms/line  peak so far {peak:6.0f} MiB",
                flush=True,
            )
    if args.write:
        write_report(Path(args.write), rows)


def write_report(path: Path, rows: list[tuple[int, int, float, float]]) -> None:
    table = "\n".join(
        f"| {n:,} | {size / 1024:,.0f} KB | {seconds:.1f} s | {seconds / n * 1000:.2f} ms |"
        for n, size, seconds, _ in rows
    )
    section = f"""## Long articles: time proportional to length

Measured {dt.date.today().isoformat()}: `newsents extract` on one article of N short lines
(`benchmarks/long_articles.py`; each size in a fresh process, side by side). Before issue 10
the 100,000-line file ran for 18 minutes without finishing.

| lines | file | wall time | per line |
|---|---|---|---|
{table}

Peak memory of the largest: {rows[-1][3]:,.0f} MiB. Reproduce: `python
benchmarks/long_articles.py --write docs/benchmarks.md`.
"""
    text = path.read_text(encoding="utf-8")
    head, _, rest = text.partition("## Long articles")
    _, _, tail = rest.partition("\n## ")
    path.write_text(
        head.rstrip("\n") + "\n\n" + section + ("\n## " + tail if tail else ""), encoding="utf-8"
    )


if __name__ == "__main__":
    main()
