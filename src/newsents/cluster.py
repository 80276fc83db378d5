"""Analysis on a Dask distributed cluster (`extract --dask tcp://HOST:PORT`).

The client (this process) reads and decodes the inputs, sends articles in batches, and stores
what comes back, with at most `IN_FLIGHT_PER_WORKER` batches a worker in flight, so its memory
stays flat. A worker plugin loads the model once on each worker, including workers that join
later; workers need nothing but newsents installed. A worker lost mid-run loses no article:
the scheduler runs its tasks again on the others. Only the client writes to the store, so the
result is the same as a local run's.
"""

from __future__ import annotations

from collections.abc import Generator, Iterable
from itertools import islice
from typing import Any

from distributed import Client, WorkerPlugin, as_completed

from newsents import parallel
from newsents.errors import ModelNotInstalledError, NewsentsError
from newsents.models import LoadedArticle

DASK_ENV = "NEWSENTS_DASK"
CONNECT_SECONDS = 10
IN_FLIGHT_PER_WORKER = 3


class LoadModel(WorkerPlugin):
    """Loads the model once on each worker (a model that cannot load is said by its tasks)."""

    name = "newsents-model"

    def __init__(self, model: str) -> None:
        self.model = model

    def setup(self, worker: Any) -> None:
        from newsents.nlp import load_pipeline

        try:
            parallel._WORKER["nlp"] = load_pipeline(self.model)
        except ModelNotInstalledError as error:
            parallel._WORKER["error"] = f"Dask worker {worker.address}: {error}"


def analyse(
    articles: Iterable[LoadedArticle], *, model: str, address: str
) -> Generator[parallel.Result, None, None]:
    """Each article's model output and analysis, done on the cluster at `address`."""
    client = connect(address)
    try:
        client.register_plugin(LoadModel(model), name=LoadModel.name)
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        batches = parallel._batches(iter(articles))
        first = [
            client.submit(parallel._analyse_batch, batch, pure=False)
            for batch in islice(batches, workers * IN_FLIGHT_PER_WORKER)
        ]
        if not first:
            return
        running = as_completed(first, loop=client.loop)
        for future in running:
            results = future.result()
            future.release()
            yield from results
            following = next(batches, None)
            if following is not None:
                running.add(client.submit(parallel._analyse_batch, following, pure=False))
    finally:
        client.close()


def connect(address: str) -> Client:
    """A client of the scheduler at address, or one line within `CONNECT_SECONDS`."""
    try:
        return Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as error:
        raise NewsentsError(
            f"cannot reach the Dask scheduler at {address} within {CONNECT_SECONDS} s "
            f"({type(error).__name__}); is `dask scheduler` running there?"
        ) from None
