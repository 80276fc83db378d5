"""`extract --dask`: scaling with 1 and 2 local Dask workers, and the client's feed rate.

1. Analysis on a real `LocalCluster` on 127.0.0.1 with 1, then 2 worker processes (one
   thread each): `newsents extract FILES --dask ADDRESS` into a fresh store, timed from the
   first article stored to the last, so the workers' model loading is left out and the rate
   is the cluster's steady rate.
2. The client's feed rate: the same client loop (read and decode the files, send batches,
   receive the results, store each) against a worker that answers at once, from results it
   was given beforehand. That is the most articles a second one client can keep going, and
   so, divided by one worker's rate, how many workers one client can keep busy.

    python benchmarks/cluster_scale.py --limit 600 --write docs/scale.md
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import tempfile
import time
from pathlib import Path
from typing import Any

from distributed import Client, LocalCluster
from report import replace_section

from newsents import parallel
from newsents.load import iter_input_files
from newsents.pipeline import Progress, extract
from newsents.store import open_store

ROOT = Path(__file__).resolve().parents[1]


def steady_rate(files: list[str], db: Path, address: str) -> tuple[float, int]:
    """Articles/s between the first article stored and the last; and how many."""
    times: list[float] = []

    def on_progress(p: Progress) -> None:
        if p.status == "analysed":
            times.append(time.perf_counter())

    store = open_store(db)
    try:
        extract(files, store=store, dask=address, on_progress=on_progress)
    finally:
        store.close()
    return (len(times) - 1) / (times[-1] - times[0]), len(times)


def with_workers(n: int, files: list[str], work: Path) -> tuple[float, int]:
    with LocalCluster(
        n_workers=n,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address="127.0.0.1:0",
    ) as cluster:
        return steady_rate(files, work / f"workers{n}.db", cluster.scheduler_address)


def _answer_from(results: dict[str, Any]) -> None:
    """On the worker: answer each batch at once with the results given beforehand."""
    parallel._WORKER["given"] = results

    def answer(batch: list[Any]) -> list[Any]:
        return [parallel._WORKER["given"][loaded.article.id] for loaded in batch]

    parallel._analyse_batch_now = answer


def feed_rate(files: list[str], analysed: Path, work: Path) -> tuple[float, int]:
    """The client loop's articles/s against a worker that answers at once."""
    from newsents.models import AnalysisRecord, ModelOutput

    store = open_store(analysed)
    outputs = {
        article_id: ModelOutput.model_validate_json(data)
        for article_id, data in store.db.execute("SELECT article_id, data FROM model_outputs")
    }
    results = {
        a.article.id: AnalysisRecord.of(outputs[a.article.id], a) for a in store.load_analyses()
    }
    store.close()
    with (
        LocalCluster(
            n_workers=1,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",
        ) as cluster,
        Client(cluster, set_as_default=False) as client,
    ):
        client.run(_answer_from, results)
        return steady_rate(files, work / "feed.db", cluster.scheduler_address)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpora" / "bbc"))
    parser.add_argument("--limit", type=int, default=600, help="First N files (0: all).")
    parser.add_argument("--write", help="Also write the figures to this Markdown file.")
    args = parser.parse_args()
    files = list(iter_input_files([args.corpus]))
    files = files[: args.limit] if args.limit else files
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        one, n = with_workers(1, files, work)
        print(f"1 worker : {one:6.1f} articles/s ({n} articles)", flush=True)
        two, _ = with_workers(2, files, work)
        print(f"2 workers: {two:6.1f} articles/s, scaling {two / one:.2f}x", flush=True)
        feed, _ = feed_rate(files, work / "workers1.db", work)
        print(f"client feed rate: {feed:6.1f} articles/s = {feed / one:.0f} workers", flush=True)
    if args.write:
        write_report(Path(args.write), len(files), one, two, feed)


def write_report(path: Path, files: int, one: float, two: float, feed: float) -> None:
    section = f"""## Measured on a local cluster

Measured {dt.date.today().isoformat()} on {platform.machine()} ({os.cpu_count()} cores),
Python {platform.python_version()}, with `benchmarks/cluster_scale.py` on the first {files}
BBC files: a `LocalCluster` on 127.0.0.1, worker processes of one thread each, rates taken
from the first article stored to the last (model loading left out).

| run | articles/s |
|---|---|
| 1 worker | {one:.1f} |
| 2 workers | {two:.1f} (**{two / one:.2f}×**) |
| the client alone, against a worker that answers at once (its feed rate) | {feed:.1f} |

So one client can keep about **{feed / one:.0f} workers** like these busy ({feed:.0f} / {one:.1f}).
This machine has two cores, which the client and the scheduler share with the two workers,
so the 2-worker figure understates what two machines give.

Reproduce: `python benchmarks/cluster_scale.py --write docs/scale.md` (about 5 minutes).
"""
    replace_section(path, "Measured on a local cluster", section)


if __name__ == "__main__":
    main()
