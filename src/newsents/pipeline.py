"""`extract`: files in, entity graph out, through load → nlp → resolve → graph → store."""

from __future__ import annotations

import functools
import hashlib
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from newsents.aliases import AliasRules
from newsents.errors import InputError
from newsents.graph import build_graph
from newsents.load import iter_input_files, read_article
from newsents.models import Graph, LoadedArticle
from newsents.store import Store

# The modules whose code and word lists make an article's stored analysis. Their fingerprint
# keys the stored analyses, so a build whose rules changed never serves the old results (no
# version number for anyone to remember to bump).
ANALYSIS_MODULES = ("load", "nlp", "resolve", "names", "dates", "sides", "lexicon", "models")
_PACKAGE = Path(__file__).parent


@functools.cache
def analyzer_fingerprint() -> str:
    digest = hashlib.sha256()
    for module in ANALYSIS_MODULES:
        digest.update(module.encode() + b"\0" + (_PACKAGE / f"{module}.py").read_bytes())
    return digest.hexdigest()[:16]


@dataclass
class ExtractResult:
    graph: Graph
    failures: list[InputError] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (path, same as path)
    analysed: int = 0
    reused: int = 0
    seconds: float = 0.0


@dataclass(frozen=True)
class Progress:
    """One input file done: `status` is analysed, reused or failed."""

    path: str
    status: str
    done: int
    total: int


def extract(
    paths: Sequence[str],
    *,
    store: Store,
    model: str | None = None,
    aliases: AliasRules | None = None,
    on_progress: Callable[[Progress], None] | None = None,
) -> ExtractResult:
    """Analyse the articles at paths (files, folders, '-') into the store; their graph.

    Files whose content is already stored with the same model are not analysed again.
    `aliases` (a user's alias file) is remembered by the store and applied to every graph.
    Raises InputError before any work when a path does not exist.
    """
    from newsents.nlp import model_identity, model_name

    began = time.perf_counter()
    files = list(iter_input_files(paths))
    name = model_name(model)
    model_id = model_identity(name)
    result = ExtractResult(graph=Graph(articles=[], entities=[], edges=[]))
    article_ids: list[str] = []
    seen: dict[str, str] = {}  # article id → the first path with that content

    def report(path: str, status: str) -> None:
        if on_progress is not None:
            done = result.analysed + result.reused + len(result.failures) + len(result.duplicates)
            on_progress(Progress(path=path, status=status, done=done, total=len(files)))

    def to_analyse() -> Iterator[LoadedArticle]:
        for path in files:
            try:
                loaded = read_article(path)
            except InputError as exc:
                result.failures.append(exc)
                report(path, "failed")
                continue
            first_path = seen.setdefault(loaded.article.id, path)
            if first_path != path:
                result.duplicates.append((path, first_path))
                report(path, "reused")
                continue
            article_ids.append(loaded.article.id)
            stored = store.find_article(loaded.article.id)
            if stored and stored.model == model_id and stored.analyzer == analyzer_fingerprint():
                store.set_path(loaded.article.id, path)
                result.reused += 1
                report(path, "reused")
                continue
            yield loaded

    pending = to_analyse()
    first = next(pending, None)
    if first is not None:
        _analyse_into_store(first, pending, store, name, model_id, result, report)
    if aliases is not None:
        store.set_alias_rules(aliases)
    analyses = store.load_analyses(article_ids)
    result.graph = build_graph(analyses, aliases=store.alias_rules())
    if store.graph_is_stale():
        covers_store = store.article_count() == len(analyses)
        store.rebuild_graph((analyses, result.graph) if covers_store else None)
    result.seconds = time.perf_counter() - began
    return result


def _analyse_into_store(
    first: LoadedArticle,
    rest: Iterator[LoadedArticle],
    store: Store,
    name: str,
    model_id: str,
    result: ExtractResult,
    report: Callable[[str, str], None],
) -> None:
    """Load spaCy only now that something needs it, and store each article as it is done."""
    from itertools import chain

    from newsents.nlp import analyze, load_pipeline

    nlp = load_pipeline(name)
    for analysis in analyze(chain([first], rest), nlp):
        store.save_analysis(analysis, model=model_id, analyzer=analyzer_fingerprint())
        result.analysed += 1
        report(analysis.article.path, "analysed")
