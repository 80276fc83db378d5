"""Re-runs and reads at scale: what a run costs when little or nothing is new, and whether the
read commands' memory stays flat as the store grows (issue 12).

Every command runs as a user runs it (`python -m newsents ...`, a process of its own), so its
wall time and peak memory (the child's maximum resident set, from wait4) are its own. All runs
are side by side in one session, so their ratios are comparable on a shared machine.

1. The corpus into a fresh store: the first run.
2. The same again, nothing new.
3. 1 % more articles (every 100th file with a line added, so each is new), named with the
   corpus; and those articles alone into a fresh store (their own analysis). Then the same
   named by another path (a moved folder): every article's path changes, so every stored
   article is dirty and the whole graph is written again by an update.
4. `show` (the median of SHOW_RUNS runs: it takes a few tenths of a second, which one busy
   moment of a shared machine doubles) and every export of that store.
5. The corpus stored N times over (each copy made unique by one added line): the re-run with
   nothing new, `show` and every export, against the single corpus's.

    python benchmarks/store_scale.py --write docs/benchmarks.md      # about 15 minutes
    python benchmarks/store_scale.py --copies 0                      # skip step 5
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from report import replace_section

ROOT = Path(__file__).resolve().parents[1]
EXPORTS = ("json", "jsonl", "csv", "graphml", "gexf", "cypher", "html")
SHOW_RUNS = 7


def compile_newsents() -> None:
    """Compile newsents's modules as installing it does, so no measured command spends its
    time compiling (with PYTHONDONTWRITEBYTECODE set, as on some machines, every run would
    compile each module changed since its bytecode was last written)."""
    import compileall

    import newsents

    compileall.compile_dir(str(Path(newsents.__file__).parent), quiet=1)


def run(args: list[str], db: Path) -> tuple[float, float]:
    """Wall seconds and peak MiB of `newsents ARGS --db DB` (stdout discarded)."""
    began = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "newsents", *args, "--db", str(db)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - began
    errors = child.stderr.read().decode() if child.stderr else ""
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"newsents {' '.join(args)} failed:\n{errors}")
    return seconds, usage.ru_maxrss / 1024


def median_run(args: list[str], db: Path, runs: int = SHOW_RUNS) -> tuple[float, float]:
    """The median wall time of `runs` runs, and the largest peak memory."""
    figures = [run(args, db) for _ in range(runs)]
    return sorted(s for s, _ in figures)[runs // 2], max(m for _, m in figures)


def copy_with_a_line(files: list[Path], root: Path, out: Path, line: str) -> None:
    for f in files:
        target = out / f.relative_to(root)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(f.read_bytes().rstrip(b"\n") + f"\n\n{line}\n".encode())


def exports(db: Path, out: Path) -> dict[str, tuple[float, float]]:
    found = {}
    for fmt in EXPORTS:
        target = out / (f"graph-{fmt}" if fmt == "csv" else f"graph.{fmt}")
        found[fmt] = run(["export", "--format", fmt, "-o", str(target)], db)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpora" / "bbc"))
    parser.add_argument("--copies", type=int, default=4, help="Store the corpus N times over.")
    parser.add_argument("--entity", default="Tony Blair", help="What `show` looks up.")
    parser.add_argument("--write", help="Also write the figures to this Markdown file.")
    args = parser.parse_args()
    compile_newsents()
    corpus = Path(args.corpus)
    files = sorted(corpus.rglob("*.txt"))
    rows: list[tuple[str, float, float]] = []

    def measure(
        label: str, command: list[str], db: Path, *, median: bool = False
    ) -> tuple[float, float]:
        seconds, mib = median_run(command, db) if median else run(command, db)
        rows.append((label, seconds, mib))
        print(f"{label:70} {seconds:7.2f} s {mib:7.0f} MiB", flush=True)
        return seconds, mib

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        db = work / "one.db"
        first, _ = measure("extract the corpus (first run)", ["extract", str(corpus)], db)
        again, rerun_mib = measure("the same again, nothing new", ["extract", str(corpus)], db)
        new = work / "new"
        copy_with_a_line(files[::100], corpus, new, "This article was updated.")
        plus, _ = measure(
            f"the corpus and 1 % more ({len(files[::100])} new articles)",
            ["extract", str(corpus), str(new)],
            db,
        )
        own, _ = measure(
            "those new articles alone, fresh store", ["extract", str(new)], work / "own.db"
        )
        moved = work / "moved"
        moved.symlink_to(corpus.resolve(), target_is_directory=True)
        measure(
            "the same, the corpus named by another path (every article's path changes)",
            ["extract", str(moved), str(new)],
            db,
        )
        show, _ = measure(
            f"show --entity {args.entity!r} (median of {SHOW_RUNS})",
            ["show", "--entity", args.entity],
            db,
            median=True,
        )
        single = exports(db, work)
        for fmt, (seconds, mib) in single.items():
            rows.append((f"export --format {fmt}", seconds, mib))
            print(f"{'export --format ' + fmt:70} {seconds:7.2f} s {mib:7.0f} MiB", flush=True)
        scaled: dict[str, tuple[float, float]] = {}
        if args.copies:
            many = work / "many"
            for n in range(1, args.copies + 1):
                copy_with_a_line(files, corpus, many / f"copy{n}", f"This is copy {n}.")
            big = work / "many.db"
            measure(
                f"extract the corpus {args.copies} times over (first run)",
                ["extract", str(many)],
                big,
            )
            scaled["rerun"] = measure(
                f"×{args.copies}: the same again, nothing new", ["extract", str(many)], big
            )
            scaled["show"] = measure(
                f"×{args.copies}: show --entity {args.entity!r} (median of {SHOW_RUNS})",
                ["show", "--entity", args.entity],
                big,
                median=True,
            )
            (work / "x").mkdir()
            for fmt, figures in exports(big, work / "x").items():
                scaled[fmt] = figures
                label = f"×{args.copies}: export --format {fmt}"
                rows.append((label, *figures))
                print(f"{label:70} {figures[0]:7.2f} s {figures[1]:7.0f} MiB", flush=True)
    print(f"\nnothing new: {again / first:.1%} of the first run (target ≤ 3 %)")
    print(f"1 % more: {plus / first:.1%} of the first run; their own analysis {own / first:.1%}"
          f" (target: ≤ 5 % + their own)")  # fmt: skip
    ratios = {}
    if scaled:
        ratios["rerun"] = scaled["rerun"][1] / rerun_mib
        for fmt in EXPORTS:
            ratios[fmt] = scaled[fmt][1] / single[fmt][1]
        print("peak memory ×N / ×1: " + ", ".join(f"{k} {v:.2f}" for k, v in ratios.items()))
    if args.write:
        shows = (show, scaled["show"][0] if scaled else None)
        write_report(Path(args.write), rows, first, again, plus, own, shows, ratios, args.copies)


def write_report(
    path: Path,
    rows: list[tuple[str, float, float]],
    first: float,
    again: float,
    plus: float,
    own: float,
    shows: tuple[float, float | None],
    ratios: dict[str, float],
    copies: int,
) -> None:
    table = "\n".join(f"| {label} | {s:.2f} s | {mib:,.0f} MiB |" for label, s, mib in rows)
    memory = ", ".join(f"{k} {v:.2f}×" for k, v in ratios.items())
    at_scale = f", {shows[1]:.2f} s with the corpus stored {copies} times over" if shows[1] else ""
    section = f"""## The store at scale: re-runs, exports and memory

Measured {dt.date.today().isoformat()} on {platform.machine()} ({os.cpu_count()} cores),
Python {platform.python_version()}, with `benchmarks/store_scale.py`: each command a process
of its own, as a user runs it, side by side in one session; peak memory is the process's
maximum resident set.

| command | wall time | peak memory |
|---|---|---|
{table}

- A re-run with nothing new takes **{again / first:.1%}** of the first run (issue 12: ≤ 3 %).
- Adding 1 % more articles takes **{plus / first:.1%}** of the first run, of which their own
  analysis alone takes {own / first:.1%} (issue 12: ≤ 5 % plus their own analysis).
- `show` answers in {shows[0]:.2f} s{at_scale} (the median of {SHOW_RUNS} runs; issue 12:
  ≤ 0.3 s at four times over). Most of it is Python starting and importing click and rich.
- Peak memory with the corpus stored {copies} times over, against once: {memory or "not measured"}
  (issue 12: ≤ 1.5×).

Reproduce: `python benchmarks/store_scale.py --write docs/benchmarks.md` (about 15 minutes).
"""
    replace_section(path, "The store at scale", section)


if __name__ == "__main__":
    main()
