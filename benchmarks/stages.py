"""Where a one-process `newsents extract` spends its time, stage by stage, in one run.

The model's seconds are measured as `throughput.py` measures them (`ModelClock`: loading the
pipeline, and spaCy's `Language.pipe` less the time it spends pulling its input); each other
stage by timing the function that does it, inside the same run, so a machine whose speed
drifts slows every stage alike and the shares hold. What is left over is reading and
decoding the files, checking what the store holds, and the rest of the loop.

    python benchmarks/stages.py                       # ../shared/corpora/bbc, all files
    python benchmarks/stages.py --limit 200              # a quick look
    python benchmarks/stages.py --write docs/benchmarks.md
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from report import replace_section
from throughput import ROOT, ModelClock

from newsents.load import iter_input_files
from newsents.nlp import DEFAULT_MODEL
from newsents.pipeline import extract
from newsents.store import open_store

# (module, attribute, stage): each function whose time is a stage's, patched where its caller
# looks it up (a name imported at the top of a module is that module's attribute).
STAGES = (
    ("newsents.resolve", "analyse_article", "article rules"),
    ("newsents.pipeline", "_graph_of_the_run", "corpus stage (resolve, graph, store it)"),
    ("newsents.store", "Store.save_record", "storing each article"),
    ("newsents.models", "AnalysisRecord.of", "analyses and model output to JSON"),
    ("newsents.nlp", "model_output", "spaCy's Docs to lists"),
    ("newsents.nlp", "text_for_nlp", "building the model's text"),
    ("newsents.pipeline", "_say_if_in_another_script", "script check"),
)


class StageClock:
    """Seconds spent in each stage's function (outermost calls only)."""

    def __init__(self) -> None:
        self.seconds: defaultdict[str, float] = defaultdict(float)

    @contextmanager
    def running(self) -> Iterator[None]:
        with ExitStack() as undo:
            for module, attribute, stage in STAGES:
                undo.enter_context(self._timing(module, attribute, stage))
            yield

    @contextmanager
    def _timing(self, module: str, attribute: str, stage: str) -> Iterator[None]:
        owner: Any = importlib.import_module(module)
        *path, name = attribute.split(".")
        for part in path:
            owner = getattr(owner, part)
        had = name in owner.__dict__  # else a module's lazy attribute (its `__getattr__`)
        original = owner.__dict__[name] if had else getattr(owner, name)
        function = original.__func__ if isinstance(original, classmethod) else original
        timed = self._timed(function, stage)
        setattr(owner, name, classmethod(timed) if isinstance(original, classmethod) else timed)
        try:
            yield
        finally:
            if had:
                setattr(owner, name, original)
            else:
                delattr(owner, name)

    def _timed(self, function: Callable[..., Any], stage: str) -> Callable[..., Any]:
        clock, depth = self, [0]

        def timed(*args: Any, **kwargs: Any) -> Any:
            depth[0] += 1
            began = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                depth[0] -= 1
                if depth[0] == 0:
                    clock.seconds[stage] += time.perf_counter() - began

        return timed


def measure(files: list[str], model: str) -> tuple[float, float, dict[str, float]]:
    """One one-process `extract` of the files into a fresh store: its seconds, the model's,
    and each stage's."""
    model_clock, stages = ModelClock(), StageClock()
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "stages.db")
        with model_clock.running(), stages.running():
            began = time.perf_counter()
            extract(files, store=store, model=model, jobs=1)
            seconds = time.perf_counter() - began
        store.close()
    return seconds, model_clock.seconds, stages.seconds


def table(seconds: float, model: float, stages: dict[str, float]) -> str:
    by_size = sorted(stages.items(), key=lambda item: -item[1])
    rows = [("the model (load, `Language.pipe`)", model), *by_size]
    rows.append(("the rest (reading, decoding, the store's checks, the loop)", seconds - model
                 - sum(stages.values())))  # fmt: skip
    lines = ["| stage | seconds | share of the run |", "|---|---|---|"]
    lines += [f"| {name} | {s:.2f} | {s / seconds:.1%} |" for name, s in rows]
    lines.append(f"| **the run** | **{seconds:.1f}** | |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpora" / "bbc"))
    parser.add_argument("--limit", type=int, default=0, help="First N files only (0: all).")
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument("--write", help="Also write the table to this Markdown file.")
    args = parser.parse_args()
    files = list(iter_input_files([args.corpus]))
    if args.limit:
        files = files[: args.limit]
    seconds, model, stages = measure(files, args.model)
    report = table(seconds, model, stages)
    print(report)
    if args.write:
        section = f"""## Where one process's time goes

Measured {dt.date.today().isoformat()}: one `newsents extract --jobs 1` of {len(files)} files
of `{Path(args.corpus).name}` into a fresh store, each stage timed inside the same run
(`benchmarks/stages.py`), so the shares hold on a machine whose speed drifts.

{report}

Reproduce: `python benchmarks/stages.py --write docs/benchmarks.md`.
"""
        replace_section(Path(args.write), "Where one process's time goes", section)


if __name__ == "__main__":
    main()
