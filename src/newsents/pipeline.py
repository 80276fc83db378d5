"""`extract`: files in, entity graph out, through load → nlp → resolve → graph → store."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from newsents import fingerprint
from newsents.aliases import AliasRules
from newsents.errors import InputError
from newsents.gcpause import cycle_collector_paused
from newsents.graph import build_graph, graph_with_evidence, resolve_entities
from newsents.graph_update import article_states, graph_update, salience_of
from newsents.load import ReadOptions, iter_input_files, read_source, text_for_nlp
from newsents.models import AnalysisRecord, ArticleAnalysis, Graph, LoadedArticle, ModelOutput
from newsents.resolve import analyse_article
from newsents.store import GraphBase, Store, StoredArticle

log = logging.getLogger(__name__)

# A graph write is refused when another writer changed the articles meanwhile (that writer
# builds the graph again when it is done); a few tries cover a writer that stopped early.
GRAPH_WRITE_TRIES = 3


@dataclass
class ExtractResult:
    """What a run did. `graph` is the graph of the articles it named; when they are every
    article stored (`from_store`), that is the stored graph, read from the store when first
    asked for (while the store is open), or streamed with `stored_graph.GraphView`."""

    failures: list[InputError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # about the run, not about one input
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (path, same as path)
    analysed: int = 0  # by the model
    resolved: int = 0  # from the model's stored output, by rules that changed since
    reused: int = 0
    seconds: float = 0.0
    articles: int = 0  # in the graph
    entities: int = 0
    links: int = 0
    from_store: bool = False
    built: Graph | None = None
    read_graph: Callable[[], Graph] | None = None

    @property
    def graph(self) -> Graph:
        if self.built is None:
            self.built = (
                self.read_graph() if self.read_graph else Graph(articles=[], entities=[], edges=[])
            )
        return self.built


@dataclass(frozen=True)
class Progress:
    """One input file done: `status` is analysed, resolved, reused or failed."""

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
    options: ReadOptions | None = None,
    jobs: int = 1,
    dask: str | None = None,
) -> ExtractResult:
    """Analyse the articles at paths (files, folders, URLs, '-') into the store; their graph.

    A file may hold many articles (a dump, a feed, an archive): each is one of its own.
    Articles whose content is already stored with the same model are not analysed again; when
    only the rules changed since, their stored model output is resolved again (no NLP).
    `aliases` (a user's alias file) is remembered by the store and applied to every graph.
    `options`: how inputs are read (a forced format, field names, a publication date).
    `jobs`: worker processes for the model and the article rules (1: this process); `dask`:
    the address of a Dask scheduler whose workers do that instead (docs/scale.md).
    Raises InputError before any work when a path does not exist.
    """
    sources = list(iter_input_files(paths))
    expected = [len(sources)]
    keys = _ModelKeys.of(model)
    reader = fingerprint.reader(repr(options or ReadOptions()))
    read: list[tuple[str, str, list[tuple[str, str, str | None]]]] = []  # file, stamp, held

    def articles() -> Iterator[tuple[str, LoadedArticle | InputError | Unchanged]]:
        for source in sources:
            stamp = _stamp(source)
            known = store.source_articles(source, stamp, reader) if stamp else None
            stored = [store.find_article(article_id) for _, article_id, _ in known or []]
            if known is not None and all(
                _is_current(article, keys, published)
                for article, (_, _, published) in zip(stored, known, strict=True)
            ):
                # Not read again: the file is as it was, and so is all it held.
                expected[0] += max(len(known) - 1, 0)
                for (path, article_id, _), article in zip(known, stored, strict=True):
                    yield path, Unchanged(article_id, article.path if article else None)
                continue
            held: list[tuple[str, str, str | None]] = []
            for index, (path, loaded) in enumerate(read_source(source, options)):
                if index:  # a dump's second article onwards: one more to do than counted
                    expected[0] += 1
                if isinstance(loaded, LoadedArticle):
                    held.append((path, loaded.article.id, loaded.article.published))
                else:
                    stamp = None  # read again next time, to say again what is wrong
                yield path, loaded
            if stamp:
                read.append((source, stamp, held))

    result = _into_store(
        articles(),
        lambda: expected[0],
        store=store,
        keys=keys,
        aliases=aliases,
        on_progress=on_progress,
        jobs=jobs,
        dask=dask,
    )
    # In one transaction at the end (a run cut short reads its files again next time).
    store.remember_sources(reader, read)
    return result


@dataclass(frozen=True)
class Unchanged:
    """An article of a file not read again: it is stored as this build would store it, read
    from `path`."""

    id: str
    path: str | None


@dataclass(frozen=True)
class _ModelKeys:
    """The model's name, what the store keys its output by, and the article rules. `runner`
    begins `model`: the model, run the same way, whatever loader made its text."""

    name: str
    model: str
    rules: str
    runner: str

    @classmethod
    def of(cls, model: str | None) -> _ModelKeys:
        from newsents.nlp import model_identity, model_name

        name = model_name(model)
        runner = f"{model_identity(name)} runner:{fingerprint.model_runner()} "
        key = f"{runner}input:{fingerprint.model_input()}"
        return cls(name, key, fingerprint.article_rules(), runner)


def _stamp(source: str) -> str | None:
    """What changes when a file does (its size, modification and change times); None for
    what cannot be stamped (stdin, a URL, a file that cannot be read)."""
    from newsents.load.files import STDIN, is_url

    if source == STDIN or is_url(source):
        return None
    try:
        found = os.stat(source)
    except OSError:
        return None
    return f"{found.st_size}:{found.st_mtime_ns}:{found.st_ctime_ns}"


def _is_current(stored: StoredArticle | None, keys: _ModelKeys, published: str | None) -> bool:
    """Whether the article is stored as this build would store it: same model, same rules,
    same publication date (`--published` may have set it)."""
    return (
        stored is not None
        and stored.model == keys.model
        and stored.analyzer == keys.rules
        and stored.published == published
    )


def rebuild(
    *,
    store: Store,
    model: str | None = None,
    on_progress: Callable[[Progress], None] | None = None,
) -> ExtractResult:
    """Resolve every stored article again with this build's rules and rebuild the graph:
    from the model output the store keeps, or, for articles this model never analysed here,
    by running it on the article (read again from its file when the file still holds the same
    content, so this build's loader reads it; else the text the store keeps)."""
    stored = [(a.article.path, _as_loaded_now(a)) for a in store.load_analyses()]
    return _into_store(
        iter(stored),
        lambda: len(stored),
        store=store,
        keys=_ModelKeys.of(model),
        aliases=None,
        on_progress=on_progress,
    )


@dataclass
class RemoveResult:
    removed: list[str] = field(default_factory=list)  # the paths of the articles removed
    unmatched: list[str] = field(default_factory=list)  # paths given that matched nothing


def remove(paths: Sequence[str] = (), *, store: Store, missing: bool = False) -> RemoveResult:
    """Forget the stored articles read from `paths` (a file, every record of a dump, every
    file under a folder) and, with `missing`, those whose file is gone; then build the graph
    of what is left (no NLP). Articles read from stdin or a URL are never `missing`."""
    stored = store.article_paths()
    chosen: dict[str, str] = {}
    result = RemoveResult()
    for given in paths:
        matched = [(i, p) for i, p in stored if _read_from(p, given)]
        if not matched:
            result.unmatched.append(given)
        chosen.update(matched)
    if missing:
        chosen.update((i, p) for i, p in stored if _is_missing(p))
    store.remove_articles(chosen)
    result.removed = sorted(chosen.values())
    if result.removed:
        refresh_graph(store)
    return result


def _read_from(stored: str, given: str) -> bool:
    """Whether an article stored as `stored` was read from `given`: the file itself, a record
    of it (`dump.jsonl#3`) or a file under it, a folder."""
    if stored == given:
        return True
    from newsents.load.files import is_url

    forms = [(os.path.normpath(stored), os.path.normpath(given))]
    if not (stored == "-" or is_url(stored) or is_url(given)):
        # The same file however it is written: `bbc/x.txt`, `./bbc/x.txt`, `/home/me/bbc/x.txt`
        # (a relative path is taken from here, as `extract` took it from where it ran).
        forms.append((_real(stored), _real(given)))
    for norm_stored, norm_given in forms:
        if (
            norm_stored == norm_given
            or norm_stored.startswith(norm_given.rstrip(os.sep) + os.sep)
            or norm_stored.split("#", 1)[0] == norm_given
        ):
            return True
    return False


def _real(path: str) -> str:
    file, hash_, record = path.partition("#")
    if hash_ and not os.path.exists(path):  # `dump.jsonl#3`: a record of the file
        return os.path.realpath(file) + "#" + record
    return os.path.realpath(path)


def _is_missing(stored: str) -> bool:
    from newsents.load.files import is_url

    if stored == "-" or is_url(stored):
        return False
    file = stored if os.path.exists(stored) else stored.rsplit("#", 1)[0]
    return not os.path.exists(file)


def _as_loaded_now(analysis: ArticleAnalysis) -> LoadedArticle:
    """The article as this build's loader reads it, from its file when the file still holds
    the same content; else as the store keeps it."""
    path = analysis.article.path
    if path != "-" and os.path.isfile(path):
        for _, loaded in read_source(path):
            if isinstance(loaded, LoadedArticle) and loaded.article.id == analysis.article.id:
                return _keeping_the_given_date(loaded, analysis.article.published)
    return LoadedArticle(article=analysis.article, text=analysis.text, blocks=analysis.blocks)


def _keeping_the_given_date(loaded: LoadedArticle, published: str | None) -> LoadedArticle:
    """A date `--published` gave the article when it was extracted stays its date."""
    if loaded.article.published is not None or published is None:
        return loaded
    article = loaded.article.model_copy(update={"published": published})
    return loaded.model_copy(update={"article": article})


def _into_store(
    articles: Iterator[tuple[str, LoadedArticle | InputError | Unchanged]],
    total: Callable[[], int],
    *,
    store: Store,
    keys: _ModelKeys,
    aliases: AliasRules | None,
    on_progress: Callable[[Progress], None] | None,
    jobs: int = 1,
    dask: str | None = None,
) -> ExtractResult:
    began = time.perf_counter()
    name, model_key, rules = keys.name, keys.model, keys.rules
    result = ExtractResult()
    article_ids: list[str] = []
    seen: dict[str, str] = {}  # article id → the first path with that content

    def report(path: str, status: str) -> None:
        if on_progress is not None:
            done = (
                result.analysed
                + result.resolved
                + result.reused
                + len(result.failures)
                + len(result.duplicates)
            )
            on_progress(Progress(path=path, status=status, done=done, total=max(done, total())))

    def to_analyse() -> Iterator[LoadedArticle]:
        for path, loaded in articles:
            if isinstance(loaded, InputError):
                result.failures.append(loaded)
                report(path, "failed")
                continue
            if isinstance(loaded, Unchanged):
                first_path = seen.setdefault(loaded.id, path)
                if first_path != path:
                    result.duplicates.append((path, first_path))
                else:
                    article_ids.append(loaded.id)
                    if loaded.path != path:
                        store.set_path(loaded.id, path)
                    result.reused += 1
                report(path, "reused")
                continue
            first_path = seen.setdefault(loaded.article.id, path)
            if first_path != path:
                result.duplicates.append((path, first_path))
                report(path, "reused")
                continue
            article_ids.append(loaded.article.id)
            stored = store.find_article(loaded.article.id)
            if _is_current(stored, keys, loaded.article.published):
                if stored is not None and stored.path != path:
                    store.set_path(loaded.article.id, path)
                result.reused += 1
                report(path, "reused")
                continue
            _say_if_in_another_script(path, loaded)
            output = store.model_output(loaded.article.id, model_key)
            if output is not None:
                analysis = analyse_article(loaded, output)
                store.save_analysis(analysis, model=model_key, analyzer=rules)
            elif (record := _from_same_text(store, loaded, keys)) is not None:
                store.save_record(record, model=model_key, analyzer=rules)
            else:
                yield loaded
                continue
            result.resolved += 1
            report(path, "resolved")

    pending = to_analyse()
    first = next(pending, None)
    if first is not None:
        _analyse_into_store(
            first, pending, store, name, model_key, rules, result, report, jobs, dask
        )
    if aliases is not None:
        store.set_alias_rules(aliases)
    _resolve_the_rest_again(store, keys)
    _graph_of_the_run(store, list(dict.fromkeys(article_ids)), result)
    result.seconds = time.perf_counter() - began
    return result


def _from_same_text(store: Store, loaded: LoadedArticle, keys: _ModelKeys) -> AnalysisRecord | None:
    """The article analysed from the output the same model gave for the same text, stored
    when another loader read it (a newer newsents that shows the model the same text): its
    output kept under this loader's key, with no NLP. None when there is none (the model's
    text is built only for an article that has an output with a digest)."""
    stored = store.text_digests(loaded.article.id, keys.runner)
    if not stored:
        return None
    text = text_for_nlp(loaded)
    digest = fingerprint.text_digest(text)
    found = store.model_output_json(loaded.article.id, stored[digest]) if digest in stored else None
    if found is None:
        return None
    analysis = analyse_article(loaded, ModelOutput.model_validate_json(found), text)
    return AnalysisRecord(loaded.article, found, analysis.model_dump_json(), digest)


def _say_if_in_another_script(path: str, loaded: LoadedArticle) -> None:
    from newsents.resolve.spans import other_script

    if loaded.text.isascii():
        return  # no other script; the model's text of an ASCII text is ASCII too
    script = other_script(text_for_nlp(loaded))
    if script:
        log.warning(
            "%s: written in %s script, which the English model cannot read: "
            "no entities taken from it but what its metadata names",
            path,
            script,
        )


@cycle_collector_paused()
def _graph_of_the_run(store: Store, article_ids: list[str], result: ExtractResult) -> None:
    """The graph of the run's articles. When they are all the store holds, it is the stored
    graph: brought up to date only if the store's is not current (a run with nothing new reads
    it, resolving nothing); else it is built from their analyses, apart from the store's."""
    rules = fingerprint.corpus_rules()
    with store.snapshot() as generation:
        # The same articles, not only as many: another writer may have swapped one meanwhile.
        covers_store = {i for i, _ in store.article_paths()} == set(article_ids)
        current = covers_store and not store.graph_is_stale(rules)
        analyses = [] if current else store.load_analyses(article_ids)
        base = (
            store.graph_base(rules, store.alias_rules()) if covers_store and not current else None
        )
    if not current and covers_store:
        current, built = _refresh_graph(store, (generation, analyses, base))
        # Not stored (other writers kept changing the articles): the graph of these analyses.
        result.built = built if current else build_graph(analyses, aliases=store.alias_rules())
    elif not current:
        result.built = build_graph(analyses, aliases=store.alias_rules())
        refresh_graph(store)
    result.articles = len(article_ids)
    if current:
        result.from_store = True
        result.read_graph = store.load_graph
        if not store.graph_built_at(generation):
            result.built = None  # another writer's articles came since: the stored graph holds them
        result.entities, result.links = store.graph_counts()
    else:
        result.entities, result.links = len(result.graph.entities), len(result.graph.edges)


def _resolve_the_rest_again(store: Store, keys: _ModelKeys) -> None:
    """Stored articles this run did not name, analysed by the same model under older rules,
    are resolved again from their model output (no NLP), so the graph written next is all of
    this build's rules, never a mix. One an older loader read keeps that reading and its key
    (a run that names its file reads it again), and is resolved so only where the model's
    text this build makes of that reading is the one the model read (its digest)."""
    for stored, model_key in store.analyses_by_other_rules(runner=keys.runner, rules=keys.rules):
        loaded = LoadedArticle(article=stored.article, text=stored.text, blocks=stored.blocks)
        if model_key == keys.model:
            output = store.model_output(stored.article.id, model_key)
            text = None
        else:
            text = text_for_nlp(loaded)
            digests = store.text_digests(stored.article.id, keys.runner)
            same_text = digests.get(fingerprint.text_digest(text)) == model_key
            output = store.model_output(stored.article.id, model_key) if same_text else None
        if output is not None:
            analysis = analyse_article(loaded, output, text)
            store.save_analysis(analysis, model=model_key, analyzer=keys.rules)


def refresh_graph(store: Store) -> bool:
    """Bring the store's graph tables up to date with its articles, unless they are current:
    rebuilding what changed since they were written (graph_update.py), or all of it when they
    were written by other rules. False if other writers kept changing the articles (the graph
    stays marked stale, and the last of them writes it)."""
    return _refresh_graph(store)[0]


@cycle_collector_paused()
def _refresh_graph(
    store: Store, loaded: tuple[int, list[ArticleAnalysis], GraphBase | None] | None = None
) -> tuple[bool, Graph | None]:
    """`loaded`: the generation, the analyses of every stored article then and the graph
    tables' base, when the caller has just read them. Also the graph, when it was built
    whole (an update builds none)."""
    rules = fingerprint.corpus_rules()
    for _ in range(GRAPH_WRITE_TRIES):
        if not store.graph_is_stale(rules):
            return True, None
        if loaded is None:
            with store.snapshot() as generation:
                analyses = store.load_analyses()
                base = store.graph_base(rules, store.alias_rules())
        else:
            (generation, analyses, base), loaded = loaded, None
        known = base.memo if base is not None else None
        resolved = resolve_entities(analyses, store.alias_rules(), known)
        states = article_states(resolved)
        if base is not None:
            update = graph_update(resolved, states, base.states, store.entity_heads)
            if store.update_graph(update, base=base, generation=generation, rules=rules):
                return True, None
            continue
        graph, evidence = graph_with_evidence(resolved)
        salience = salience_of(resolved)
        memo = resolved.memo
        if store.save_graph(
            graph,
            salience,
            generation=generation,
            rules=rules,
            states=states,
            memo=memo,
            evidence=evidence,
        ):
            return True, graph
    return not store.graph_is_stale(rules), None


def _analyse_into_store(
    first: LoadedArticle,
    rest: Iterator[LoadedArticle],
    store: Store,
    name: str,
    model_key: str,
    rules: str,
    result: ExtractResult,
    report: Callable[[str, str], None],
    jobs: int,
    dask: str | None,
) -> None:
    """Load spaCy only now that something needs it (in `jobs` worker processes when there is
    enough to share), and store each article as it is done."""
    from contextlib import closing
    from itertools import chain

    from newsents import parallel

    articles = chain([first], rest)
    if dask is not None:
        from newsents import cluster

        done = cluster.analyse(articles, model=name, address=dask, warnings=result.warnings)
    else:
        done = parallel.analyse(articles, model=name, jobs=jobs)
    # Closed on any way out (Ctrl-C too), so the workers are stopped at once, not at exit.
    with closing(done):
        for record in done:
            store.save_record(record, model=model_key, analyzer=rules)
            result.analysed += 1
            report(record.article.path, "analysed")
