"""Everything newsents shows to people: on stderr, through rich."""

from __future__ import annotations

import json
import sys
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

err = Console(stderr=True, highlight=False)


def warn(message: str) -> None:
    err.print(f"[yellow]Warning:[/] {message}", soft_wrap=True)


def error(message: str) -> None:
    err.print(f"[red]Error:[/] {Text(message)}", soft_wrap=True)


def info(message: str) -> None:
    err.print(message, soft_wrap=True)


def progress_bar(label: str = "extract", *, remaining: bool = False) -> Progress:
    """A progress bar on stderr, shown only when stderr is a terminal; `remaining` adds the
    time left."""
    timing = [TimeElapsedColumn(), *([TimeRemainingColumn()] if remaining else [])]
    return Progress(
        TextColumn(f"[bold]{label}"),
        BarColumn(),
        MofNCompleteColumn(),
        *timing,
        TextColumn("{task.description}"),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )


def dump_json(data: Any, *, pretty: bool) -> str:
    """Deterministic JSON: compact for pipes, indented for people."""
    if pretty:
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def table(title: str, columns: list[str]) -> Table:
    t = Table(title=title, title_justify="left", show_edge=False)
    for column in columns:
        t.add_column(column)
    return t
