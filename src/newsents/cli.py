"""The `newsents` command: thin click wrappers over the library. Data on stdout, people on stderr.

Exit codes: 0 ok, 1 some input failed or nothing was found, 2 usage error.
"""

from __future__ import annotations

import json
import logging
import os
import re
import signal
import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar

import click
from rich.markup import escape

from newsents import __version__, console
from newsents.errors import EntityNotFoundError, NewsentsError
from newsents.load.kinds import FIELDS, FORMATS, KNOWN
from newsents.store import DB_ENV, ArticleFilter, Store, open_store

if TYPE_CHECKING:
    # Imported where used: `show` answers without loading the loader or the alias rules.
    from newsents.aliases import AliasRules
    from newsents.load.formats import ReadOptions
    from newsents.models import Graph

F = TypeVar("F", bound=Callable[..., Any])
ENTITY_TYPES = ["person", "organization", "place", "date"]
# The bundled model; nlp.DEFAULT_MODEL, kept here so --help does not import the nlp stage.
DEFAULT_MODEL_HELP = "en_newsents_md (bundled)"


class UsageLine(click.ClickException):
    """A usage mistake said in one line (exit 2), without click's usage banner."""

    exit_code = 2


class _StderrHandler(logging.Handler):
    """Library warnings (e.g. an assumed encoding) become one line each on stderr; those of
    one kind, said for file after file, are counted after the first few."""

    def emit(self, record: logging.LogRecord) -> None:
        console.warn(escape(record.getMessage()), kind=str(record.msg))


def _configure_logging(verbose: bool) -> None:
    root = logging.getLogger("newsents")
    root.handlers[:] = [_StderrHandler()]
    root.setLevel(logging.INFO if verbose else logging.WARNING)
    root.propagate = False


def _set_verbose(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    # Before the subcommand, the flag sets the run's state afresh; after it, it only adds.
    if ctx.parent is None or value:
        console.Say.verbose = value
        _configure_logging(value)


def _set_quiet(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if ctx.parent is None or value:
        console.Say.quiet = value


class _Group(click.Group):
    """Every subcommand takes -v and -q too, after its name (`newsents export -q`)."""

    def command(self, *args: Any, **kwargs: Any) -> Any:
        make = super().command(*args, **kwargs)
        return lambda func: make(verbosity(func))


def verbosity(func: F) -> F:
    """-v and -q, taken before the subcommand or after it."""
    func = click.option(
        "-q",
        "--quiet",
        is_flag=True,
        expose_value=False,
        callback=_set_quiet,
        help="Say only warnings and errors on stderr (no summary).",
    )(func)
    return click.option(
        "-v",
        "--verbose",
        is_flag=True,
        expose_value=False,
        callback=_set_verbose,
        help="Say more on stderr: every warning, one per file.",
    )(func)


def _iso_date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A calendar date at any precision: 2005, 2005-01 or 2005-01-31."""
    import datetime as dt

    if value is None:
        return None
    full = {4: f"{value}-01-01", 7: f"{value}-01"}.get(len(value), value)
    try:
        if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
            raise ValueError
        dt.date.fromisoformat(full)
    except ValueError:
        raise click.BadParameter(
            f"{value!r}: write a date as 2005, 2005-01 or 2005-01-31"
        ) from None
    return value


def article_filters(func: F) -> F:
    """--since, --until and --path: which articles a listing reads."""
    for option in reversed(
        [
            click.option(
                "--since",
                callback=_iso_date,
                help="Articles published on or after this date (2005, 2005-01, 2005-01-31); "
                "date entities by the date they stand for.",
            ),
            click.option(
                "--until",
                callback=_iso_date,
                help="Articles published on or before this date (--until 2005-01: all of "
                "January); date entities by the date they stand for.",
            ),
            click.option(
                "--path",
                "path_glob",
                help="Articles whose path matches this glob ('*/politics/*'): the path as "
                "extract was given it (a relative one stays relative; `newsents articles` "
                "lists them).",
            ),
        ]
    ):
        func = option(func)
    return func


def _article_filter(since: str | None, until: str | None, path_glob: str | None) -> ArticleFilter:
    from newsents.store import day_span

    if since and until and day_span(since)[0] > day_span(until)[1]:
        raise click.UsageError(f"--since {since} is after --until {until}")
    return ArticleFilter(since=since, until=until, path=path_glob)


def _say_if_no_article_matches(store: Store, within: ArticleFilter) -> None:
    """One warning when a filter keeps no article, and why when it is the dates."""
    if not within.active:
        return
    if store.holds_articles(within):
        return
    undated = (within.since or within.until) and not store.holds_articles(
        ArticleFilter(since="0000")
    )
    why = " (no stored article has a publication date: see --published in docs/input.md)"
    why = why if undated else ""
    dates = (
        "; dates that fall in the range are still kept, from any article at the path"
        if within.since or within.until
        else ""
    )
    console.warn(escape(f"no stored article matches --since, --until or --path{why}{dates}"))


def db_option(func: F) -> F:
    return click.option(
        "--db",
        "db_path",
        type=click.Path(dir_okay=False),
        envvar=DB_ENV,
        show_envvar=True,
        help="SQLite store. Default: newsents.db in the current folder.",
    )(func)


_OPENED: list[str] = []  # the stores this command opened, for an error about one of them


def _open(db_path: str | None, *, create: bool = False) -> Store:
    """The store; only `extract` creates one, the read-only commands need it to exist (and
    are told when its graph is out of date: they never write, so never rebuild it)."""
    from newsents.fingerprint import corpus_rules

    try:
        store = open_store(db_path, create=create)
    except NewsentsError as exc:
        raise click.ClickException(str(exc)) from exc
    _OPENED.append(store.path)
    if not create and store.article_count() and store.graph_is_stale(corpus_rules()):
        console.warn(
            escape(
                f"the graph in {store.path} is out of date (an extract that did not finish, "
                "or a store from another newsents version): run `newsents rebuild`"
            )
        )
    return store


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=lambda ctx, _param, value: _print_version(ctx, value),
    help="Show the version, the model in use ($NEWSENTS_MODEL or the default) and exit.",
)
@verbosity
def cli() -> None:
    """Turn news articles into an entity graph: people, organisations, places and dates.

    \b
      newsents extract seeds/            analyse articles, print the graph as JSON
      newsents show --entity Binance     what the store knows about an entity
    """
    _configure_logging(console.Say.verbose)
    console.warn_counted(say=False)  # a fresh count for this command


def _print_version(ctx: click.Context, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from importlib.metadata import version

    from newsents.nlp import describe_model, model_name

    click.echo(f"newsents {__version__}")
    click.echo(f"model {describe_model(model_name(None))}")
    click.echo(f"spaCy {version('spacy')}")
    ctx.exit()


@cli.command()
@click.argument("paths", nargs=-1)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write JSON here."
)
@click.option(
    "--urls",
    "urls_file",
    type=click.Path(exists=True, dir_okay=False),
    help="A file of URLs to fetch and read, one a line (# comments). URLs may also be PATHS.",
)
@click.option(
    "--format",
    "input_format",
    type=click.Choice(FORMATS),
    help="Read every input as this format. Default: by extension; by content for stdin and "
    "files without one.",
)
@click.option(
    "--field",
    "fields",
    multiple=True,
    metavar="NAME=KEY",
    help=f"Which key of a JSON or CSV record holds a field ({', '.join(FIELDS)}); a dotted "
    "KEY reaches into objects. Repeatable. Default: the usual names (docs/input.md).",
)
@click.option(
    "--published",
    metavar="DATE",
    help="Publication date (YYYY-MM-DD) for the articles that state none.",
)
@click.option(
    "--published-from",
    type=click.Choice(["filename"]),
    help="Take the publication date of articles that state none from their path "
    "(2005-02-13-title.txt, 20050213_title.html, 2005/02/13/title.txt).",
)
@db_option
@click.option(
    "--model",
    envvar="NEWSENTS_MODEL",
    show_envvar=True,
    help=f"spaCy pipeline: an installed package name or a folder. Default: {DEFAULT_MODEL_HELP}.",
)
@click.option(
    "--aliases",
    "aliases_path",
    type=click.Path(dir_okay=False),
    envvar="NEWSENTS_ALIASES",
    show_envvar=True,
    help="Alias file (TOML: merge, split, ignore, type); the store remembers it. "
    "Default: newsents-aliases.toml in the current folder, if there is one.",
)
@click.option(
    "--pretty/--compact",
    default=None,
    help="Indented or one-line JSON. Default: indented on a terminal, compact in a pipe.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    envvar="NEWSENTS_JOBS",
    show_envvar=True,
    help="Processes that run the model, each loading it once. Default: the cores available "
    "(one process for a handful of articles). The output is the same whatever the number.",
)
@click.option(
    "--dask",
    "dask_address",
    metavar="ADDRESS",
    envvar="NEWSENTS_DASK",
    show_envvar=True,
    help="Run the model on the workers of this Dask scheduler (tcp://HOST:PORT) instead "
    "(needs newsents[dask]; docs/scale.md).",
)
def extract(
    paths: tuple[str, ...],
    output: str | None,
    urls_file: str | None,
    input_format: str | None,
    fields: tuple[str, ...],
    published: str | None,
    published_from: str | None,
    db_path: str | None,
    model: str | None,
    aliases_path: str | None,
    pretty: bool | None,
    jobs: int | None,
    dask_address: str | None,
) -> None:
    """Analyse articles and print the graph: files, folders (recursively), URLs, - for stdin.

    Reads text (.txt, .md), saved pages (.html, .htm), dumps (.json, .jsonl, .csv, .tsv),
    feeds (.rss, .atom, .xml) and web archives (.warc, .warc.gz); see docs/input.md. A dump,
    feed or archive holds many articles: each is shown as FILE#N. Results are kept in the
    store: an article analysed before is not analysed again.

    \b
    Examples:
      newsents extract seeds/ | jq '.entities[] | select(.type=="person") | .name'
      newsents extract dump.jsonl --field text=story --published-from filename
      newsents extract --urls links.txt
    """
    from newsents.load.fetch import urls_in_file
    from newsents.load.files import is_url
    from newsents.parallel import default_jobs
    from newsents.pipeline import extract as run_extract

    options = _read_options(input_format, fields, published, published_from)
    if urls_file:
        try:
            paths = (*paths, *urls_in_file(urls_file))
        except NewsentsError as exc:
            raise UsageLine(str(exc)) from exc
    if not paths:
        raise UsageLine("name what to read: PATH... (files, folders, URLs, -) or --urls FILE")
    for path in paths:
        if path != "-" and not is_url(path) and not Path(path).exists():
            raise UsageLine(f"{path}: no such file or folder")
    if "-" in paths and sys.stdin.isatty():
        console.info("reading an article from standard input: type or paste it, then Ctrl-D")
    if output:
        _check_writable(output)
    aliases = _alias_rules(aliases_path)

    def report_and_write(store: Store, result: Any) -> None:
        for failure in result.failures:
            console.error(escape(str(failure)))
        for warning in result.warnings:
            console.warn(escape(warning))
        for path, first in result.duplicates:
            console.warn(
                escape(f"{path}: same content as {first}; counted once"),
                kind="duplicate",
                summary="the same content as a file read before, each counted once",
            )
        if not result.articles and not result.failures:
            console.warn(f"no articles found in {', '.join(paths)} (files newsents reads: {KNOWN})")
        if aliases is None and store.alias_rules().says_anything():
            console.info(
                "alias rules kept from an earlier extract are in force (`newsents info` "
                "lists them; give --aliases to change them)"
            )
        _write_extracted_graph(store, result, output, pretty)

    result = _with_progress(
        "extract",
        db_path,
        lambda store, on_progress: run_extract(
            paths,
            store=store,
            model=model,
            aliases=aliases,
            on_progress=on_progress,
            options=options,
            jobs=jobs or default_jobs(),
            dask=dask_address,
        ),
        then=report_and_write,
    )
    _summarise(result)
    if result.failures:
        sys.exit(1)


def _read_options(
    input_format: str | None,
    fields: tuple[str, ...],
    published: str | None,
    published_from: str | None,
) -> ReadOptions:
    given: dict[str, str] = {}
    for item in fields:
        name, equals, key = item.partition("=")
        if not equals or not name.strip() or not key.strip():
            raise click.BadParameter(
                f"{item!r}: write NAME=KEY, e.g. text=body", param_hint="--field"
            )
        if name.strip() not in FIELDS:
            raise click.BadParameter(
                f"{name.strip()!r} is no field: fields are {', '.join(FIELDS)}",
                param_hint="--field",
            )
        given[name.strip()] = key.strip()
    if published is not None:
        from newsents.load.compose import normalise_date

        normalised = normalise_date(published)
        if normalised is None:
            raise click.BadParameter(
                f"{published!r}: write a date as 2005-02-13", param_hint="--published"
            )
        published = normalised
    from newsents.load.formats import ReadOptions

    return ReadOptions(
        format=input_format,
        fields=given,
        published=published,
        published_from_filename=published_from == "filename",
    )


@cli.command()
@db_option
@click.option(
    "--model",
    envvar="NEWSENTS_MODEL",
    show_envvar=True,
    help=f"spaCy pipeline: an installed package name or a folder. Default: {DEFAULT_MODEL_HELP}.",
)
def rebuild(db_path: str | None, model: str | None) -> None:
    """Resolve every stored article again with this newsents' rules and rebuild the graph.

    Runs no NLP the store already holds: it keeps each article's text and what the model
    found in it, so only articles this model never analysed here are run through it. Each
    file still holding an article's content is read again, so this newsents' loader reads
    it (a file gone or changed: the stored text is used). Use it after upgrading
    newsents, or when a read command says the graph is out of date. Prints a summary, not the
    graph (`newsents export` writes it).

    \b
    Example:
      newsents rebuild --db news.db
    """
    from newsents.pipeline import rebuild as run_rebuild

    result = _with_progress(
        "rebuild",
        db_path,
        lambda store, on_progress: run_rebuild(store=store, model=model, on_progress=on_progress),
    )
    _summarise(result)


def _with_progress(
    label: str,
    db_path: str | None,
    run: Callable[[Store, Any], Any],
    then: Callable[[Store, Any], None] | None = None,
) -> Any:
    """Run a writing command on the store with a progress bar, then `then` on its result with
    the store still open; Ctrl-C keeps what was done."""
    store = _open(db_path, create=True)
    try:
        with console.progress_bar(label) as bar:
            task = bar.add_task("", total=None)

            def on_progress(p: Any) -> None:
                bar.update(task, total=p.total, completed=p.done, description=escape(p.path))

            result = run(store, on_progress)
        if then is not None:
            then(store, result)
        return result
    except KeyboardInterrupt as interrupt:
        console.error("interrupted; what was done is kept, run again to finish")
        sys.exit(143 if isinstance(interrupt, Terminated) else 130)
    except NewsentsError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        store.close()


class Terminated(KeyboardInterrupt):
    """SIGTERM (a supervisor, `kill`, a container stopping), met as Ctrl-C is: what was stored
    is kept and the run says so, exiting 143."""


def _raise_terminated(signum: int, frame: object) -> None:
    raise Terminated


DEFAULT_ALIASES = "newsents-aliases.toml"


def _alias_rules(path: str | None) -> AliasRules | None:
    """The alias file given, else ./newsents-aliases.toml if present, else the store's own."""
    from newsents.aliases import read_alias_file

    if path is None and Path(DEFAULT_ALIASES).is_file():
        path = DEFAULT_ALIASES
    if path is None:
        return None
    try:
        return read_alias_file(path)
    except NewsentsError as exc:
        raise click.ClickException(str(exc)) from exc


def _write_extracted_graph(
    store: Store, result: Any, output: str | None, pretty: bool | None
) -> None:
    """The run's graph; the stored one read as it is written when that is the run's."""
    if not result.from_store:
        _write_graph(result.graph, output, pretty)
        return
    from newsents.stored_graph import GraphView, write_json

    try:
        with store.snapshot(), _output_file(output) as out:
            on_terminal = out is sys.stdout and console.stdout_is_terminal()
            use_pretty = on_terminal if pretty is None else pretty
            write_json(GraphView(store).records(), out.write, pretty=use_pretty)
    except OSError as exc:
        raise _cannot_write(output or "the output", exc) from exc


def _write_graph(graph: Graph, output: str | None, pretty: bool | None) -> None:
    data = graph.model_dump(mode="json")
    if output:
        try:
            Path(output).write_text(console.dump_json(data, pretty=bool(pretty)), encoding="utf-8")
        except OSError as exc:
            raise _cannot_write(output, exc) from exc
        return
    use_pretty = console.stdout_is_terminal() if pretty is None else pretty
    _echo(console.dump_json(data, pretty=use_pretty))


def _check_writable(output: str) -> None:
    """Before any work: an output file that could not be written is said at once, not after
    an hour of analysis (what was analysed would be stored, but nothing printed)."""
    import tempfile

    target = Path(output)  # as the output is written: `~` is the shell's to expand
    if not target.resolve().parent.is_dir():
        raise UsageLine(f"{output}: the folder for the output file does not exist")
    if target.is_dir():
        raise UsageLine(f"{output}: is a folder: name the output file")
    try:
        # A name of its own, never another run's partial file or a link's target.
        handle, probe = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
        os.close(handle)
        os.unlink(probe)
    except OSError as exc:
        raise _cannot_write(output, exc) from exc


def _cannot_write(target: str, exc: OSError) -> click.ClickException:
    """The one line for output that could not be written. A reader that stopped reading
    (`| head`) is no failure: that error goes on to click, which exits 1 without a word."""
    if isinstance(exc, BrokenPipeError):
        raise exc
    return click.ClickException(f"cannot write {target}: {exc.strerror or exc}")


def _echo(text: str) -> None:
    """Text to stdout; a stdout that cannot take it (`> /dev/full`, a closed pipe) is one
    line and exit 1, not a traceback."""
    try:
        click.echo(text, nl=False)
        sys.stdout.flush()
    except OSError as exc:
        raise _cannot_write("the output", exc) from exc


def _summarise(result: Any) -> None:
    """The warnings counted rather than said, then one line: what the run did."""
    console.warn_counted()
    duplicates = f", {_count(len(result.duplicates), 'duplicate')}" if result.duplicates else ""
    console.info(
        f"{_count(result.articles, 'article')} ({result.analysed} analysed, {result.resolved} "
        f"resolved again, {result.reused} already stored{duplicates}), "
        f"{_count(result.entities, 'entity', 'entities')}, {_count(result.links, 'link')}, "
        f"{len(result.failures)} failed, {result.seconds:.1f} s"
    )


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


_RELATION_WORDS = {
    ("part_of", "outgoing"): "part of",
    ("part_of", "incoming"): "has part",
    ("related", "outgoing"): "related to",
    ("related", "incoming"): "related to",
}


@cli.command()
@click.option("--entity", "name", required=True, help="Name or alias, any case.")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    help="Neighbours, mentions and articles listed (default: 10 neighbours and articles, "
    "5 mentions).",
)
@click.option("--all", "show_all", is_flag=True, help="List every neighbour, mention and article.")
@click.option(
    "--type",
    "types",
    multiple=True,
    type=click.Choice(ENTITY_TYPES),
    help="Neighbours of this type only (repeatable: any of them).",
)
@article_filters
def show(
    name: str,
    db_path: str | None,
    as_json: bool,
    limit: int | None,
    show_all: bool,
    types: tuple[str, ...],
    since: str | None,
    until: str | None,
    path_glob: str | None,
) -> None:
    """Show what the store knows about an entity: type, aliases, articles, links, mentions.

    Matches names and aliases in any case, and a date by the value it stands for too
    (`2019-11-18`, `2019-W46`); when nothing matches, exits 1 with near matches
    (typos, or one word of a longer name). The report gives the merges behind the entity and
    their reasons, the types the model voted for, relations (part of; a sports side related to
    its place), the entities it occurs with and a sentence that links each, and mentions in
    context. It goes to stdout, in colour on a terminal, so it pipes (`| less -R`, `> file`);
    --json gives the same as data. --since, --until and --path keep what those articles say:
    their mentions, and links weighed by their sentences (aliases, merges and type votes stay
    the entity's, over every article). Reads the store only; run `newsents extract` first.

    \b
    Examples:
      newsents show --entity Binance
      newsents show --entity "Tony Blair" --type person --limit 20
      newsents show --entity "Tony Blair" --since 2005-01 --until 2005-01
      newsents show --entity binanse          # Error: ... Did you mean: Binance?
    """
    from newsents.explore import entity_reports

    if show_all and limit:
        raise click.UsageError("--limit and --all: give one of them")
    neighbours, mentions = (None, None) if show_all else (limit or 10, limit or 5)
    within = _article_filter(since, until, path_glob)
    store = _open(db_path)
    _say_if_no_article_matches(store, within)
    try:
        reports = entity_reports(
            store,
            name,
            max_neighbours=neighbours,
            max_contexts=mentions,
            neighbour_types=set(types) or None,
            within=within,
        )
    except EntityNotFoundError as exc:
        console.error(escape(str(exc)))
        if as_json:
            click.echo(console.dump_json([], pretty=console.stdout_is_terminal()), nl=False)
        sys.exit(1)
    finally:
        store.close()
    if as_json:
        from newsents.models import EntityReport

        data = [EntityReport.model_validate(r).model_dump(mode="json") for r in reports]
        _echo(console.dump_json(data, pretty=console.stdout_is_terminal()))
        return
    # Off a terminal, wide enough that paths and names are whole for grep and files.
    out = console.Console(highlight=False, width=None if console.stdout_is_terminal() else 160)
    try:
        if len(reports) > 1:
            out.print(f"{len(reports)} entities are named {escape(console.printable(name))!r}:\n")
        for report in reports:
            _print_report(report, out, articles=None if show_all else (limit or 10))
    except OSError as exc:
        raise _cannot_write("the output", exc) from exc


def _print_report(report: dict[str, Any], out: Any, *, articles: int | None) -> None:
    """An `EntityReport` (as `explore.entity_reports` gives it) for a person to read."""
    out.print(
        f"[bold]{escape(console.printable(report['name']))}[/]  "
        f"[dim]{report['type']} ({report['label']}) · {report['id']}[/]"
    )
    aliases = console.printable(", ".join(report["aliases"]))
    mentions, in_articles = report["mention_count"], report["article_count"]
    out.print(
        f"{_count(mentions, 'mention')} in {_count(in_articles, 'article')} · "
        f"aliases: {escape(aliases)}"
    )
    if report["value"]:
        out.print(f"stands for {report['value']} (a {report['granularity'] or 'date'})")
    if report["ambiguous"]:
        out.print("[yellow]ambiguous:[/] a short form that fits several entities; kept apart")
    if report["merges"]:
        merges = ", ".join(f"{m['alias']} ({m['reason']})" for m in report["merges"])
        out.print(f"merged: {escape(console.printable(merges))}")
    tally = report["type_votes"]
    votes = ", ".join(f"{t} {n}" for t, n in sorted(tally.items(), key=lambda v: -v[1]))
    if votes:
        out.print(f"type votes: {votes}")
    for r in report["relations"]:
        relation = _RELATION_WORDS[(r["kind"], r["direction"])]
        name = escape(console.printable(r["name"]))
        out.print(f"{relation}: [bold]{name}[/] [dim]({r['type']}, {r['reason']})[/]")
    table = console.table("Articles", ["date", "title", "path"])
    for a in report["articles"][:articles]:
        date = a["published"] or a["updated"] or ""
        table.add_row(date, escape(a["title"] or ""), escape(a["path"]))
    out.print(table)
    if articles is not None and len(report["articles"]) > articles:
        out.print(f"[dim]… and {len(report['articles']) - articles} more (--all lists them)[/]")
    if report["neighbours"]:
        neighbours = console.table("Occurs with", ["entity", "type", "sentences", "for example"])
        for n in report["neighbours"]:
            evidence = n["evidence"]
            text = console.Text(console.printable(evidence["sentence"] if evidence else ""))
            for start, end in evidence["highlights"] if evidence else []:
                text.stylize("bold yellow", start, end)
            neighbours.add_row(escape(n["name"]), n["type"], str(n["weight"]), text)
        out.print(neighbours)
        more = report["neighbour_count"] - len(report["neighbours"])
        _say_how_many_more(out, more, "entity", "entities")
    out.print("[bold]Mentions[/]")
    for c in report["contexts"]:
        text = console.Text(console.printable(c["sentence"]))
        text.stylize("bold yellow", c["start"], c["end"])
        out.print(console.Text(f"  [{c['section']}] "), text)
    _say_how_many_more(out, report["mention_count"] - len(report["contexts"]), "mention")
    out.print()


def _say_how_many_more(out: Any, more: int, one: str, many: str | None = None) -> None:
    if more > 0:
        out.print(f"[dim]… and {_count(more, 'more ' + one, 'more ' + (many or one + 's'))} "
                  "(--limit N or --all lists them)[/]")  # fmt: skip


@cli.command()
@click.argument("paths", nargs=-1)
@click.option("--missing", is_flag=True, help="Also every article whose file is gone.")
@db_option
def remove(paths: tuple[str, ...], missing: bool, db_path: str | None) -> None:
    """Forget stored articles: those read from PATH (a file, every record of a dump, every
    file under a folder, as `extract` was given them), and with --missing those whose file
    is gone; then rebuild the graph of the rest (no NLP).

    A PATH that matches nothing stored is one line and exit 1; the others are removed.
    Articles read from stdin or a URL are never missing.

    \b
    Examples:
      newsents remove news/2004/
      newsents remove --missing
    """
    from newsents.pipeline import remove as run_remove
    from newsents.store import default_db_path

    if not paths and not missing:
        raise UsageLine("name what to forget: PATH... or --missing")
    where = db_path or default_db_path()
    if not Path(where).expanduser().is_file():
        raise click.ClickException(f"no store at {where}: nothing to remove")
    store = _open(db_path, create=True)
    try:
        result = run_remove(paths, store=store, missing=missing)
    except NewsentsError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        store.close()
    for path in result.removed:
        logging.getLogger("newsents").info("removed %s", path)
    for given in result.unmatched:
        console.error(escape(f"{given}: no stored article was read from it"))
    console.info(
        f"{_count(len(result.removed), 'article')} removed"
        + ("; the graph is built again" if result.removed else "")
    )
    if result.unmatched:
        sys.exit(1)


@cli.command()
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print it as JSON.")
def info(db_path: str | None, as_json: bool) -> None:
    """What a store holds and how it was made: counts, dates, models, alias rules in force.

    Reads the store only. The alias rules are those the last `extract` given an alias file
    stored: they apply to every graph until another alias file is given.

    \b
    Example:
      newsents info --db news.db
    """
    from newsents.info import store_info

    store = _open(db_path)
    try:
        found = store_info(store)
    finally:
        store.close()
    if as_json:
        _echo(console.dump_json(found.model_dump(mode="json"), pretty=console.stdout_is_terminal()))
        return
    rules = found.alias_rules
    lines = [
        f"store      {found.path} ({found.size_bytes / 1e6:.1f} MB, {found.store_version})",
        f"articles   {found.articles}"
        + (
            f", published {found.first_published} to {found.last_published}"
            if found.last_published
            else ""
        ),
        "entities   "
        + (", ".join(f"{n} {t}" for t, n in found.entities.items()) or "none")
        + f"; {found.mentions} mentions",
        f"links      {found.links} co-occurrence, {found.relations} relations",
        "graph      "
        + ("current" if found.graph_current else "out of date: run `newsents rebuild`"),
        *(f"model      {model} ({n} articles)" for model, n in found.models.items()),
        f"aliases    {len(rules.merge)} merges, {len(rules.split)} splits, "
        f"{len(rules.ignore)} ignores, {len(rules.type)} types"
        + (" (from the last extract given an alias file)" if rules.says_anything() else ""),
        *(f"  merge    {c} = {', '.join(names)}" for c, names in sorted(rules.merge.items())),
        *(f"  split    {name}" for name in rules.split_names()),
        *(f"  ignore   {name}" for name in rules.ignore),
        *(f"  type     {name} = {t}" for name, t in sorted(rules.type.items())),
        f"schema     {found.schema_version}",
    ]
    _echo("".join(console.printable(line) + "\n" for line in lines))


@cli.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8001, show_default=True, type=click.IntRange(0, 65535))
@click.option("--open", "open_browser", is_flag=True, help="Open it in a web browser.")
@click.option(
    "--metadata",
    "print_metadata",
    is_flag=True,
    help="Print Datasette's metadata.json for the store (descriptions, canned queries) "
    "instead, for running Datasette yourself.",
)
def serve(
    db_path: str | None, host: str, port: int, open_browser: bool, print_metadata: bool
) -> None:
    """Explore the store in Datasette: tables, views, facets, SQL and canned queries.

    Needs the optional extra: pip install 'newsents[serve]'. The store is opened read-only;
    an `extract` meanwhile shows in the next page loaded. The views and the queries
    (an entity's neighbours, articles mentioning two entities, an entity over time) are
    described in docs/store.md. Ctrl-C stops it.

    \b
    Example:
      newsents serve --db news.db --open
    """
    from newsents import serve as serving
    from newsents.errors import StoreError
    from newsents.store import add_missing_views

    store = _open(db_path)
    path = store.path
    store.close()
    if print_metadata:
        _echo(console.dump_json(serving.metadata_for(path), pretty=True))
        return
    try:
        add_missing_views(path)
    except StoreError as exc:
        # A store on read-only media: its tables are still worth serving.
        console.warn(escape(f"without the views and canned queries that need them: {exc}"))
    try:
        serving.serve(
            path,
            host=host,
            port=port,
            on_ready=lambda url: _announce_server(url, open_browser),
        )
    except NewsentsError as exc:
        raise click.ClickException(str(exc)) from exc
    except KeyboardInterrupt:
        pass


def _announce_server(url: str, open_browser: bool) -> None:
    console.info(f"Datasette serves {url} (Ctrl-C stops it)")
    if open_browser:
        import webbrowser

        webbrowser.open(url)


EXPORT_FORMATS = ["json", "jsonl", "graphml", "gexf", "csv", "cypher", "html", "geojson"]


@cli.command("export")
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    default="json",
    show_default=True,
    help="Output format.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(),
    help="Write to this file (a folder for csv, created if missing). Default: stdout.",
)
@click.option(
    "--type",
    "types",
    multiple=True,
    type=click.Choice(ENTITY_TYPES),
    help="Keep entities of this type, and the links between them (repeatable).",
)
@click.option(
    "--min-weight", type=click.IntRange(min=1), help="Keep links found in at least N sentences."
)
@article_filters
@db_option
@click.option(
    "--pretty/--compact",
    default=None,
    help="json: indented or one-line. Default: indented on a terminal, compact otherwise.",
)
def export_command(
    fmt: str,
    output: str | None,
    types: tuple[str, ...],
    min_weight: int | None,
    since: str | None,
    until: str | None,
    path_glob: str | None,
    db_path: str | None,
    pretty: bool | None,
) -> None:
    """Export the stored graph as JSON, JSON Lines, GraphML, GEXF, CSV, Cypher or HTML.

    Reads the store only (no NLP). --type and --min-weight filter every format. With
    --since, --until or --path, the graph is what those articles say: their mentions, and
    the links their sentences make (date entities by the date they stand for).
    See docs/export.md for opening the files in Gephi, yEd and Neo4j.

    \b
    Examples:
      newsents export --format gexf -o graph.gexf
      newsents export --format csv -o graph-csv/ --type person --type organization
      newsents export --format cypher --min-weight 2 > graph.cypher
      newsents export --format gexf --since 2005-01 --until 2005-01 --path '*/politics/*'
    """

    if fmt == "csv" and not output:
        raise click.UsageError(
            "--format csv writes nodes.csv, edges.csv and relations.csv: "
            "name a folder for them with -o, for example -o graph-csv/"
        )
    if output and fmt != "csv":
        _check_writable(output)
    store = _open(db_path)
    try:
        if store.article_count() == 0:
            console.warn(
                escape(f"the store {store.path} is empty: run `newsents extract PATH` first")
            )
        within = _article_filter(since, until, path_glob)
        _say_if_no_article_matches(store, within)
        with store.snapshot():  # every part, and the page's texts, from one version
            wrote = _write_export(store, fmt, output, set(types), min_weight, pretty, within)
    except NewsentsError as exc:
        raise click.ClickException(str(exc)) from exc
    except OSError as exc:
        raise _cannot_write(output or "stdout", exc) from exc
    finally:
        store.close()
    console.info(escape(f"{wrote} → {output or 'stdout'}"))


def _write_export(
    store: Store,
    fmt: str,
    output: str | None,
    types: set[str],
    min_weight: int | None,
    pretty: bool | None,
    within: ArticleFilter,
) -> str:
    """Write the stored graph in `fmt`, read as it is written; what it wrote, for the summary
    line."""
    from newsents import export as ex
    from newsents.stored_graph import GraphView, Rows, write_json

    # The networkx formats hold the graph while they write it: without mentions, they list none.
    # Cypher counts mentions in SQL, but within a filter it needs them to choose.
    mentions = fmt not in ("graphml", "gexf", "csv", "geojson", "cypher") or (
        fmt == "cypher" and within.active
    )
    view = GraphView(store, types=types, min_weight=min_weight, mentions=mentions, within=within)
    if fmt == "geojson":
        with _output_file(output) as out:
            located, unlocated = ex.write_geojson(view, out.write)
        return (
            f"{_count(located, 'place')} on the map, {unlocated} without coordinates "
            "(ambiguous or not in the gazetteer)"
        )
    wrote = ", ".join(
        (
            _count(view.count("entities"), "entity", "entities"),
            _count(view.count("edges"), "link"),
            _count(view.count("relations"), "relation"),
        )
    )
    if fmt == "csv":
        ex.write_csv(view, output or "")
        return wrote
    with _output_file(output) as out:
        if fmt == "json":
            on_terminal = out is sys.stdout and console.stdout_is_terminal()
            write_json(view.records(), out.write, pretty=on_terminal if pretty is None else pretty)
        elif fmt == "jsonl":
            out.writelines(ex.to_jsonl(view))
        elif fmt == "cypher":
            out.writelines(ex.cypher_lines(view))
        elif fmt in ("graphml", "gexf"):
            write = ex.write_graphml if fmt == "graphml" else ex.write_gexf
            out.flush()
            write(view, out.buffer)  # type: ignore[attr-defined]
        else:
            from newsents.html import PageParts, write_page

            parts = PageParts(
                view.articles,
                view.entity_records,
                Rows(view.edge_weights),
                view.relations,
                store.article_texts,
                view.entity_salience(),
            )
            write_page(parts, out.write)
    return wrote


@contextmanager
def _output_file(output: str | None) -> Iterator[IO[str]]:
    """The file named by -o (written whole or not at all: a temporary file renamed into place
    at the end), else stdout."""
    if not output:
        yield sys.stdout
        sys.stdout.flush()
        return
    target = Path(output)
    partial = target.with_name(f".{target.name}.partial")
    try:
        with partial.open("w", encoding="utf-8", newline="") as fh:
            yield fh
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def _write_text(text: str, output: str | None) -> None:
    if output:
        Path(output).write_text(text, encoding="utf-8", newline="")
        return
    click.echo(text, nl=False)


@cli.command()
def schema() -> None:
    """Print the JSON Schema of `newsents extract`'s output."""
    from newsents.models import Graph

    click.echo(json.dumps(Graph.model_json_schema(mode="serialization"), indent=2))


@cli.command("evaluate")
@click.argument("gold", type=click.Path(exists=True))
@click.option("--links", is_flag=True, help="Score same-entity pairs against gold uris only.")
@click.option("--timex", is_flag=True, help="Score date values against gold timexes only.")
@click.option(
    "--model",
    envvar="NEWSENTS_MODEL",
    show_envvar=True,
    help=f"spaCy pipeline: an installed package name or a folder. Default: {DEFAULT_MODEL_HELP}.",
)
@click.option("--limit", type=click.IntRange(min=1), help="Evaluate the first N documents.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON on stdout.")
def evaluate_command(
    gold: str, links: bool, timex: bool, model: str | None, limit: int | None, as_json: bool
) -> None:
    """Score newsents against a gold-annotated JSON Lines file (nothing is stored).

    The format is detected from the first line: CoNLL-style `entities`, GUM `mentions`
    (scored: mentions and entity sets), AIDA `mentions` with `uri` (links) or TBAQ `timexes`
    (dates). A folder with `ground-truth.json` and `pages/` scores the article body read
    from saved pages (no NLP). See docs/evaluation.md. A table goes to stderr; --json prints
    the report.

    \b
    Examples:
      newsents evaluate gold.jsonl --limit 20 --json | jq .mentions.total.f1
      newsents evaluate ../shared/corpora/news-html/
    """
    from newsents.evaluate import evaluate
    from newsents.evaluate_pages import evaluate_pages, is_page_ground_truth

    if is_page_ground_truth(gold):
        try:
            pages = evaluate_pages(gold, limit=limit)
        except NewsentsError as exc:
            raise click.ClickException(str(exc)) from exc
        if as_json:
            data = pages.model_dump(mode="json")
            click.echo(console.dump_json(data, pretty=console.stdout_is_terminal()), nl=False)
        _print_page_evaluation(pages)
        return
    if Path(gold).is_dir():
        raise UsageLine(f"{gold}: a folder to evaluate holds ground-truth.json and pages/")
    try:
        report = evaluate(gold, model=model, links=links or None, timex=timex or None, limit=limit)
    except NewsentsError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        data = report.model_dump(mode="json")
        click.echo(console.dump_json(data, pretty=console.stdout_is_terminal()), nl=False)
    _print_evaluation(report)


@cli.command("train")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(file_okay=False),
    help="Folder to write the trained pipeline to (new or empty).",
)
@click.option("--dev", type=click.Path(exists=True, dir_okay=False), help="Gold to score on.")
@click.option(
    "--base",
    envvar="NEWSENTS_MODEL",
    show_envvar=True,
    help=f"spaCy pipeline to start from. Default: {DEFAULT_MODEL_HELP}.",
)
@click.option("--steps", type=click.IntRange(min=1), help="Batches of updates. Default: 1500.")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed.")
@click.option(
    "--blend",
    type=click.FloatRange(0, 1),
    default=0.6,
    show_default=True,
    help="Share of the fine-tuned weights kept; the rest are the base model's.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON on stdout.")
def train_command(
    gold: str,
    output: str,
    dev: str | None,
    base: str | None,
    steps: int | None,
    seed: int,
    blend: float,
    as_json: bool,
) -> None:
    """Fine-tune the model's entity recogniser on your own gold articles.

    GOLD is JSON Lines in the layout `newsents evaluate` reads: one article per line with
    `text` and `entities` (`start`, `end`, `label`: PER, ORG, LOC or MISC). MISC spans are
    neither taught nor punished; what the base model knows beyond PER/ORG/LOC (dates, money,
    numbers) is kept by rehearsal. Use the result with `--model DIR` (docs/models.md).

    \b
    Example:
      newsents train my-beat.jsonl --dev my-beat-dev.jsonl -o models/my-beat
      newsents extract articles/ --model models/my-beat
    """
    from newsents.models import TrainSettings
    from newsents.train import train

    target = Path(output).expanduser()
    try:
        taken = target.exists() and (not target.is_dir() or any(target.iterdir()))
    except OSError as exc:
        raise UsageLine(f"{output}: cannot be read ({exc.strerror})") from exc
    if taken:
        raise UsageLine(f"{output}: already exists and is not empty; give a new folder")
    settings = TrainSettings(seed=seed, blend=blend, **({"steps": steps} if steps else {}))
    try:
        with console.progress_bar("train", remaining=True) as bar:
            task = bar.add_task("", total=settings.steps)

            def on_step(step: int, loss: float) -> None:
                done = step >= settings.steps and dev
                description = (
                    "scoring the dev file before and after" if done else f"loss {loss:.1f}"
                )
                bar.update(task, completed=step, description=description)

            report = train(
                gold, output=target, base=base, dev=dev, settings=settings, on_step=on_step
            )
    except KeyboardInterrupt:
        written = (target / "meta.json").is_file()
        console.error(
            f"interrupted; {output} is complete (only dev scoring was cut short)"
            if written
            else "interrupted; nothing was written"
        )
        sys.exit(130)
    except NewsentsError as exc:
        raise click.ClickException(str(exc)) from exc
    except OSError as exc:
        raise click.ClickException(f"{output}: cannot write the model ({exc})") from exc
    if as_json:
        click.echo(
            console.dump_json(report.model_dump(mode="json"), pretty=console.stdout_is_terminal()),
            nl=False,
        )
    _print_training(report)


def _print_training(report: Any) -> None:
    taught = ", ".join(f"{label} {n}" for label, n in report.taught.items())
    console.info(
        f"trained {escape(report.base)} on {report.documents} articles "
        f"({report.examples} texts; taught {taught}) in {report.seconds:.0f} s"
    )
    if report.dev_before and report.dev_after:
        table = console.table("dev mentions", ["label", "F1 before", "F1 after"])
        for label, after in report.dev_after.by_label.items():
            before = report.dev_before.by_label[label]
            if not any((before.tp, before.fp, before.fn, after.tp, after.fp, after.fn)):
                continue  # a label the dev gold never uses and no model predicts
            table.add_row(label, f"{100 * before.f1:.1f}", f"{100 * after.f1:.1f}")
        table.add_row(
            "total",
            f"{100 * report.dev_before.total.f1:.1f}",
            f"{100 * report.dev_after.total.f1:.1f}",
        )
        console.err.print(table)
    console.info(f"wrote {escape(report.output)}; use it with --model {escape(report.output)}")


def _print_page_evaluation(report: Any) -> None:
    console.info(
        f"{escape(report.gold)}: article body of {report.pages} pages, read at "
        f"{report.pages_per_second} pages/s ({report.failed} gave no text)"
    )
    table = console.table("", ["measure", "precision", "recall", "F1"])
    percents = (f"{100 * v:.1f}" for v in (report.precision, report.recall, report.f1))
    table.add_row("body, 4-word shingles", *percents)
    console.err.print(table)


def _print_evaluation(report: Any) -> None:
    console.info(
        f"{escape(report.gold)}: {report.documents} {report.format} documents, "
        f"model {escape(report.model)}"
    )
    table = console.table("", ["measure", "precision", "recall", "F1", "tp", "fp", "fn"])
    rows = []
    if report.mentions:
        rows += [(f"mentions {label}", s) for label, s in report.mentions.by_label.items()]
        rows += [("mentions total", report.mentions.total), ("entity set", report.entity_set)]
    if report.links:
        rows += [("same entity, within documents", report.links.within_documents)]
        rows += [("same entity, across corpus", report.links.across_corpus)]
    for name, score in rows:
        percents = (f"{100 * v:.1f}" for v in (score.precision, score.recall, score.f1))
        table.add_row(name, *percents, str(score.tp), str(score.fp), str(score.fn))
    if rows:
        console.err.print(table)
    if report.timex:
        t = report.timex
        console.info(
            f"date values: {100 * t.accuracy:.1f}% right ({t.correct} of {t.gold} calendar DATE "
            f"timexes; {t.overlapped} overlapped by a predicted date)"
        )


# -- listings: a table on a terminal, JSON in a pipe; --json / --nl force JSON / JSON Lines ------


def listing_options(func: F) -> F:
    as_json = click.option("--json", "output_format", flag_value="json", help="Print JSON.")
    as_nl = click.option(
        "--nl", "output_format", flag_value="nl", help="Print JSON Lines (one record per line)."
    )
    return as_json(as_nl(func))


def _listing_format(output_format: str | None) -> str:
    """The listing convention: a table on a terminal, JSON in a pipe, unless a flag says."""
    if output_format is None:
        return "table" if console.stdout_is_terminal() else "json"
    return output_format


def _emit_listing(
    records: list[Any],
    output_format: str | None,
    render: Callable[[], Any],
    exclude: set[str] | None = None,
) -> None:
    output_format = _listing_format(output_format)
    if output_format == "table":
        console.Console().print(render())
        return
    data = [r.model_dump(mode="json", exclude=exclude) for r in records]
    if output_format == "nl":
        for record in data:
            click.echo(console.dump_json(record, pretty=False), nl=False)
        return
    click.echo(console.dump_json(data, pretty=console.stdout_is_terminal()), nl=False)


@cli.command()
@click.option(
    "--type",
    "types",
    multiple=True,
    type=click.Choice(ENTITY_TYPES),
    help="Only entities of this type (repeatable: any of them).",
)
@click.option(
    "--min-mentions",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Only entities mentioned at least N times.",
)
@click.option(
    "--sort",
    type=click.Choice(["mentions", "articles", "salience", "name"]),
    default="mentions",
    show_default=True,
    help="Order: most mentions, most articles, highest salience (summed over articles), or name.",
)
@click.option("--limit", type=click.IntRange(min=1), help="Show the first N entities.")
@article_filters
@listing_options
@db_option
def entities(
    types: tuple[str, ...],
    min_mentions: int,
    sort: str,
    limit: int | None,
    since: str | None,
    until: str | None,
    path_glob: str | None,
    output_format: str | None,
    db_path: str | None,
) -> None:
    """List the entities of the store with their mention and article counts and salience.

    With --since, --until or --path, only mentions in those articles count (a date entity
    is kept by the date it stands for). A table on a terminal, JSON in a pipe, --json / --nl
    to force JSON / JSON Lines: the listing convention (docs/cli.md). Salience:
    docs/salience.md. Reads the store only.

    \b
    Example:
      newsents entities --type person --sort salience --limit 10
      newsents entities --type person --type organization --path '*/politics/*'
      newsents entities --type date --since 2005-01 --until 2005-01
      newsents entities --type organization --nl | jq -r .name
    """
    from newsents.explore import list_entities

    within = _article_filter(since, until, path_glob)
    store = _open(db_path)
    _say_if_no_article_matches(store, within)
    try:
        rows = list_entities(
            store,
            types=set(types) or None,
            min_mentions=min_mentions,
            sort=sort,  # type: ignore[arg-type]
            limit=limit,
            articles=within,
        )
    finally:
        store.close()

    def render() -> Any:
        table = console.table("", ["entity", "type", "mentions", "articles", "salience", "id"])
        for e in rows:
            table.add_row(
                escape(e.name if e.value is None or e.value == e.name else f"{e.name} ({e.value})"),
                e.type,
                str(e.mention_count),
                str(e.article_count),
                f"{e.salience:.2f}",
                e.id,
            )
        return table

    _emit_listing(rows, output_format, render)


@cli.command()
@click.option(
    "--entity",
    "names",
    multiple=True,
    help="Only articles that mention this entity, by name or alias (repeatable: articles "
    "that mention all of them; with --any, any of them).",
)
@click.option("--any", "any_entity", is_flag=True, help="With several --entity: any of them.")
@click.option("--limit", type=click.IntRange(min=1), help="Show the first N articles.")
@article_filters
@click.option(
    "--text",
    "with_text",
    is_flag=True,
    help="Include each article's stored text (JSON): every mention's start and end point into it.",
)
@listing_options
@db_option
def articles(
    names: tuple[str, ...],
    any_entity: bool,
    limit: int | None,
    since: str | None,
    until: str | None,
    path_glob: str | None,
    with_text: bool,
    output_format: str | None,
    db_path: str | None,
) -> None:
    """List the articles of the store: title, date, authors and their most salient entities.

    The date is the published date, else the updated date. Top entities are the five with the
    highest salience in the article (docs/salience.md). The JSON also gives each article's
    URL, site, wire dateline, image captions and credits. A table on a terminal, JSON in a pipe,
    --json / --nl to force JSON / JSON Lines: the listing convention (docs/cli.md). An unknown
    --entity exits 1 with near matches. Reads the store only.

    \b
    Example:
      newsents articles --entity Binance
      newsents articles --entity "Gordon Brown" --entity "Tony Blair" --since 2005-01
      newsents articles --path '*/politics/*' --limit 20
      newsents articles --json | jq -r '.[] | [.date, .title] | @tsv'
    """
    from newsents.explore import list_articles

    within = _article_filter(since, until, path_glob)
    store = _open(db_path)
    _say_if_no_article_matches(store, within)
    try:
        rows = list_articles(
            store,
            entity=list(names),
            any_entity=any_entity,
            with_text=with_text,
            articles=within,
            limit=limit,
        )
    except EntityNotFoundError as exc:
        console.error(escape(str(exc)))
        if _listing_format(output_format) == "json":
            click.echo(console.dump_json([], pretty=console.stdout_is_terminal()), nl=False)
        sys.exit(1)
    finally:
        store.close()

    def render() -> Any:
        table = console.table("", ["date", "title", "authors", "top entities", "path"])
        for a in rows:
            table.add_row(
                a.date or "",
                escape(a.title or ""),
                escape(", ".join(a.authors)),
                escape(", ".join(e.name for e in a.top_entities)),
                escape(a.path),
            )
        return table

    _emit_listing(rows, output_format, render, exclude=None if with_text else {"text"})


def main() -> None:
    """Entry point: usage errors exit 2, our errors exit 1 with one line, never a traceback."""
    signal.signal(signal.SIGTERM, _raise_terminated)
    # newsents uses no pydantic plugin, and looking for them reads every installed package's
    # metadata: a sixth of what `show` takes. A user's own setting is kept.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort as exc:
        console.error("aborted")
        sys.exit(143 if isinstance(exc.__context__, Terminated) else 130)
    except click.UsageError as exc:
        exc.show()
        sys.exit(2)
    except click.ClickException as exc:
        console.error(escape(exc.format_message()))
        sys.exit(exc.exit_code)
    except NewsentsError as exc:
        console.error(escape(str(exc)))
        sys.exit(1)
    except sqlite3.DatabaseError as exc:
        # A store damaged where the open-time check could not see (a read command checks
        # nothing, to answer at once), or one that is busy or read-only.
        from newsents.store import damaged, is_damage, is_full

        path = _OPENED[-1] if _OPENED else "in use"
        if is_damage(exc):
            message = damaged(path, exc)
        elif is_full(exc):
            message = (
                f"store {path}: the disk is full ({exc}); what was stored before is kept: "
                "free some space and run again to finish"
            )
        else:
            message = f"store {path}: {exc}"
        console.error(escape(message))
        sys.exit(1)
