"""Analysis in worker processes (`extract --jobs N`): the model and the article rules run in
N processes, each loading the model once; the parent reads the inputs, sends articles in
batches, and stores each result as it comes back.

The parent keeps at most `IN_FLIGHT_PER_JOB` batches a worker waiting, so memory stays flat
whatever the corpus. The order results come back in does not matter: the store and the graph
are the same whatever it is (the graph is built from the stored analyses, sorted).
Workers ignore Ctrl-C (the parent stops them), so an interrupted run prints one line.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from itertools import islice
from multiprocessing import get_context
from typing import Any

from newsents.errors import ModelNotInstalledError, NewsentsError
from newsents.models import AnalysisRecord, LoadedArticle

log = logging.getLogger(__name__)

JOBS_ENV = "NEWSENTS_JOBS"
# Articles a task: what nlp.pipe batches (the model takes 2 % longer over batches of 8). The
# last BATCH articles a worker go in tasks of LAST_BATCH, so that at the end no worker waits
# long for another's last task.
BATCH = 32
LAST_BATCH = 4
IN_FLIGHT_PER_JOB = 3
RESTARTS = 2  # new pools after a worker died, in one run
PARENT_CHECK_SECONDS = 0.5
POLL_SECONDS = 0.2  # how soon Ctrl-C is met while the workers run
# Fewer articles than this to analyse: one process does it (starting workers costs seconds).
MIN_ARTICLES_PER_JOB = 16

Result = AnalysisRecord


def default_jobs() -> int:
    """$NEWSENTS_JOBS, else the cores this process may run on."""
    given = os.environ.get(JOBS_ENV, "").strip()
    if given:
        try:
            return max(1, int(given))
        except ValueError:
            raise NewsentsError(f"${JOBS_ENV} is {given!r}: give a number of processes") from None
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return max(1, os.cpu_count() or 1)


def analyse(
    articles: Iterable[LoadedArticle], *, model: str, jobs: int
) -> Generator[Result, None, None]:
    """Each article's model output and analysis, as the store keeps them, in the order they
    are done; in this process when jobs is 1 or there are too few articles to share."""
    articles = iter(articles)
    head = list(islice(articles, MIN_ARTICLES_PER_JOB * jobs if jobs > 1 else 0))
    if jobs <= 1 or len(head) < MIN_ARTICLES_PER_JOB * jobs:
        yield from _in_this_process(_chain(head, articles), model)
        return
    yield from _in_workers(_chain(head, articles), model, jobs)


def _chain(head: list[LoadedArticle], rest: Iterator[LoadedArticle]) -> Iterator[LoadedArticle]:
    yield from head
    yield from rest


def _in_this_process(articles: Iterable[LoadedArticle], model: str) -> Iterator[Result]:
    from newsents.nlp import load_pipeline

    yield from _records(articles, load_pipeline(model))


def _in_workers(articles: Iterator[LoadedArticle], model: str, jobs: int) -> Iterator[Result]:
    """Batches to the workers, results back as they are done. A worker that dies (killed, out
    of memory) costs only its batches: they are sent again to a new pool, up to
    `RESTARTS` times in a run."""
    with _interrupts_deferred() as interrupted:
        yield from _drive_workers(articles, model, jobs, interrupted)


def _drive_workers(
    articles: Iterator[LoadedArticle], model: str, jobs: int, interrupted: Callable[[], None]
) -> Iterator[Result]:
    batches = _batches(_checking(articles, interrupted), jobs)
    waiting: dict[Future[list[Result]], list[LoadedArticle]] = {}
    unsent: list[list[LoadedArticle]] = list(islice(batches, jobs * IN_FLIGHT_PER_JOB))
    executor = _pool(model, jobs)
    restarts = 0
    try:
        while unsent or waiting:
            broken = _send(executor, unsent, waiting)
            if not broken:
                done, _ = wait(waiting, timeout=POLL_SECONDS, return_when=FIRST_COMPLETED)
                interrupted()
                for future in done:
                    try:
                        results = future.result()
                    except BrokenProcessPool:
                        broken = True
                        continue
                    del waiting[future]
                    for result in results:
                        yield result
                        interrupted()
                    unsent.extend(islice(batches, 1))
            if broken:
                restarts += 1
                if restarts > RESTARTS:
                    raise NewsentsError(
                        "worker processes kept dying (out of memory, or killed); what was "
                        "stored is kept: run again, with fewer --jobs if memory is short"
                    )
                log.warning("a worker process died; its articles are sent again to new ones")
                _stop(executor)
                executor = _pool(model, jobs)
                unsent = [*waiting.values(), *unsent]
                waiting = {}
    except BaseException:
        _stop(executor)
        raise
    executor.shutdown(wait=True)


def _checking(
    articles: Iterator[LoadedArticle], interrupted: Callable[[], None]
) -> Iterator[LoadedArticle]:
    """The articles, meeting Ctrl-C and SIGTERM before each is read (reading may take long)."""
    for article in articles:
        interrupted()
        yield article
    interrupted()


@contextmanager
def _interrupts_deferred() -> Iterator[Callable[[], None]]:
    """Ctrl-C and SIGTERM met only between the pool's calls, at each call of the function this
    yields (the parent calls it between them, and before each article it reads). A signal
    handler's exception can land between any two bytecodes: inside concurrent.futures.wait,
    which holds each future's lock while it looks at them, it leaves a lock held that the
    pool's manager thread then waits on, and the run never exits (its exit joins that
    thread). Signals are recorded instead, and handled when asked; one that comes after the
    last time is handled on the way out."""
    if threading.current_thread() is not threading.main_thread():
        yield lambda: None  # signals run their handlers in the main thread only
        return
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    taken = {s: h for s, h in handlers.items() if callable(h)}
    caught: list[int] = []

    def interrupted() -> None:
        while caught:
            signum = caught.pop(0)
            taken[signal.Signals(signum)](signum, None)

    for signum in taken:
        signal.signal(signum, lambda s, _frame: caught.append(s))
    try:
        yield interrupted
    except BaseException:
        _restore(taken)
        raise
    _restore(taken)
    for pending in caught:
        signal.raise_signal(pending)


def _restore(handlers: dict[signal.Signals, Any]) -> None:
    """Each signal's handler again: one restored may raise at once, the rest still are."""
    if not handlers:
        return
    (signum, handler), *rest = handlers.items()
    try:
        signal.signal(signum, handler)
    finally:
        _restore(dict(rest))


def _send(
    executor: ProcessPoolExecutor,
    unsent: list[list[LoadedArticle]],
    waiting: dict[Future[list[Result]], list[LoadedArticle]],
) -> bool:
    """Submit what waits to be sent; True if the pool turned out broken (nothing is lost: what
    could not be sent stays in `unsent`)."""
    while unsent:
        try:
            future = executor.submit(_analyse_batch, unsent[0])
        except BrokenProcessPool:
            return True
        waiting[future] = unsent.pop(0)
    return False


def _pool(model: str, jobs: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=get_context("spawn"),
        initializer=_start_worker,
        initargs=(model,),
    )


def _batches(articles: Iterator[LoadedArticle], workers: int = 1) -> Iterator[list[LoadedArticle]]:
    """Tasks of BATCH articles, reading `workers` × BATCH articles ahead; what is read ahead
    when the input ends goes in tasks of LAST_BATCH."""
    ahead = list(islice(articles, workers * BATCH))
    while more := list(islice(articles, BATCH)):
        ahead += more
        yield ahead[:BATCH]
        ahead = ahead[BATCH:]
    for start in range(0, len(ahead), LAST_BATCH):
        yield ahead[start : start + LAST_BATCH]


def _stop(executor: ProcessPoolExecutor) -> None:
    """Stop every worker now: cancel what waits, end what runs, leave no process behind."""
    workers = list((getattr(executor, "_processes", None) or {}).values())
    executor.shutdown(wait=False, cancel_futures=True)
    for process in workers:
        if process.is_alive():
            process.terminate()
    for process in workers:
        process.join(timeout=10)


# -- in each worker ------------------------------------------------------------------------------

_WORKER: dict[str, Any] = {}


def _start_worker(model: str) -> None:
    """Load the model once; a model that cannot load is said by every task, in one line."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    _exit_with_the_parent()
    from newsents.nlp import load_pipeline

    try:
        _WORKER["nlp"] = load_pipeline(model)
    except ModelNotInstalledError as error:
        _WORKER["error"] = f"worker {os.getpid()}: {error}"


def _exit_with_the_parent() -> None:
    """A worker whose parent is gone (killed with SIGKILL, so it could stop nobody) ends
    itself at once: it is never left running, holding the parent's terminal or pipes."""
    import time

    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="newsents-parent-watch", daemon=True).start()


_ONE_AT_A_TIME = threading.Lock()  # a Dask worker may run tasks in threads: one model


def _analyse_batch(batch: list[LoadedArticle]) -> list[Result]:
    with _ONE_AT_A_TIME:
        return _analyse_batch_now(batch)


def _analyse_batch_now(batch: list[LoadedArticle]) -> list[Result]:
    if "error" in _WORKER:
        raise ModelNotInstalledError(_WORKER["error"])
    return list(_records(batch, _WORKER["nlp"]))


def _records(articles: Iterable[LoadedArticle], nlp: Any) -> Iterator[Result]:
    """Each article analysed, as the store keeps it: with the model's output and a digest of
    the text the model read (a later loader showing it the same text reuses the output)."""
    from newsents.fingerprint import text_digest
    from newsents.nlp import analyze_texts
    from newsents.resolve import analyse_article

    for loaded, text, output in analyze_texts(articles, nlp):
        analysis = analyse_article(loaded, output, text)
        yield AnalysisRecord.of(output, analysis, text_digest(text))
