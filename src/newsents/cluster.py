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
            parallel._WORKER.pop("error", None)
        except ModelNotInstalledError as error:
            parallel._WORKER["error"] = f"Dask worker {worker.address}: {error}"
        except Exception as error:  # a damaged model, no memory: the worker says which
            parallel._WORKER["error"] = (
                f"Dask worker {worker.address}: cannot load the model {self.model} "
                f"({type(error).__name__}: {error})"
            )


def analyse(
    articles: Iterable[LoadedArticle],
    *,
    model: str,
    address: str,
    warnings: list[str] | None = None,
) -> Generator[parallel.Result, None, None]:
    """Each article's model output and analysis, done on the cluster at `address`. Workers
    that cannot load the model get no work: each is one line in `warnings`, naming it and the
    reason; when none can, ModelNotInstalledError says so for the first of them."""
    client = connect(address)
    try:
        client.register_plugin(LoadModel(model), name=LoadModel.name)
        able = _workers_with_the_model(client, warnings if warnings is not None else [])
        batches = parallel._batches(iter(articles), len(able))

        # Only workers without the model are kept out: otherwise any worker, joining or not.
        kept_to = able if len(able) < len(client.scheduler_info().get("workers", {})) else None

        def submit(batch: list[LoadedArticle]) -> Any:
            return client.submit(parallel._analyse_batch, batch, pure=False, workers=kept_to)

        first = [submit(batch) for batch in islice(batches, len(able) * IN_FLIGHT_PER_WORKER)]
        if not first:
            return
        running = as_completed(first, loop=client.loop)
        for future in running:
            results = future.result()
            future.release()
            yield from results
            following = next(batches, None)
            if following is not None:
                running.add(submit(following))
    finally:
        client.close()


def _workers_with_the_model(client: Client, warnings: list[str]) -> list[str]:
    """The addresses of the workers whose model loaded; a line in `warnings` for each other."""
    errors = client.run(_model_error)
    for error in (e for _, e in sorted(errors.items()) if e):
        warnings.append(error)
    able = sorted(address for address, error in errors.items() if not error)
    if not able:
        first = min((e for e in errors.values() if e), default="no workers")
        raise ModelNotInstalledError(f"no Dask worker can load the model: {first}")
    return able


def _model_error() -> str | None:
    """On a worker: why its model did not load, if it did not."""
    return parallel._WORKER.get("error")


def connect(address: str) -> Client:
    """A client of the scheduler at address, or one line within `CONNECT_SECONDS`."""
    try:
        return Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as error:
        raise NewsentsError(
            f"cannot reach the Dask scheduler at {address} within {CONNECT_SECONDS} s "
            f"({type(error).__name__}); is `dask scheduler` running there?"
        ) from None
