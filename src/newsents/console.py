"""Everything newsents shows to people: on stderr, through rich."""

from __future__ import annotations

import json
import re
import sys
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from rich.progress import Progress

err = Console(stderr=True, highlight=False)

# What a terminal would act on rather than show: C0 controls but tab and newline (ESC starts
# sequences that retitle the window or clear the screen, CR overwrites the line), DEL, C1
# controls, and the bidirectional overrides that reorder what is shown.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """Text as a person may see it: every control character shown as its picture (ESC as
    `␛`, BEL as `␇`, CR as `␍`; C1 controls and bidirectional overrides as `�`), one
    character for one, so offsets into the text still hold. A name, title or file name from a
    scraped page can never act on the terminal; JSON output keeps the exact text."""
    return _CONTROL.sub(_picture, text)


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)
    return "\u2421" if code == 0x7F else "\ufffd"


def one_line(text: str) -> str:
    """`printable`, and a line break shown as `␤`: a warning or error is one line, so a
    newline in a file's name cannot forge a second `Error:` line."""
    return printable(text).replace("\n", "\u2424")


class Say:
    """How much a command says on stderr: `-q` keeps to warnings and errors, `-v` lists every
    warning that would otherwise be counted."""

    quiet = False
    verbose = False


# A warning about one file (decoded as cp1252, same content as another) is said this many
# times a run; the rest of its kind are counted in one line at the end (`-v` lists them).
SAME_WARNINGS_SHOWN = 3
_hidden: dict[str, list[str]] = {}  # kind → the messages not shown
_shown: dict[str, int] = {}
_summaries: dict[str, str] = {}  # kind → what the count of those not shown says they are


def warn(message: str, *, kind: str | None = None, summary: str | None = None) -> None:
    """One warning line; of a `kind` said for file after file, only the first few, the rest
    counted at the end as `summary` says (else as the last one says, less its file)."""
    if kind is not None and summary is not None:
        _summaries[kind] = summary
    if kind is not None and not Say.verbose:
        _shown[kind] = _shown.get(kind, 0) + 1
        if _shown[kind] > SAME_WARNINGS_SHOWN:
            _hidden.setdefault(kind, []).append(message)
            return
    err.print(f"[yellow]Warning:[/] {one_line(message)}", soft_wrap=True)


def warn_counted(*, say: bool = True) -> None:
    """One line for each kind of warning that was not said every time (none: `say=False`),
    and the count starts again."""
    for kind, messages in sorted(_hidden.items()) if say else ():
        what = _summaries.get(kind) or messages[-1].split(": ", 1)[-1]
        err.print(
            f"[yellow]Warning:[/] {len(messages)} more like this: {one_line(what)} (-v lists them)",
            soft_wrap=True,
        )
    _hidden.clear()
    _shown.clear()


def error(message: str) -> None:
    err.print(f"[red]Error:[/] {Text(one_line(message))}", soft_wrap=True)


def info(message: str) -> None:
    """A line for people (a summary, what was written); `-q` silences it."""
    if not Say.quiet:
        err.print(printable(message), soft_wrap=True)


def progress_bar(label: str = "extract", *, remaining: bool = True) -> Progress:
    """A progress bar on stderr, shown only when stderr is a terminal: done of total, the rate
    and the time elapsed (and, with `remaining`, the time left)."""
    # Imported here: the commands that read the store (`show`) start faster without it.
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    class RateColumn(ProgressColumn):
        """Articles a second, over the last seconds (rich's own estimate of the speed)."""

        def render(self, task: Any) -> Text:
            speed = task.finished_speed or task.speed
            return Text(f"{speed:.1f}/s" if speed else "", style="progress.data.speed")

    timing = [RateColumn(), TimeElapsedColumn(), *([TimeRemainingColumn()] if remaining else [])]
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


class _PrintableTable(Table):
    """A table whose text cells are made printable (see `printable`)."""

    def add_row(self, *renderables: Any, **kwargs: Any) -> None:
        cells = (printable(r) if isinstance(r, str) else r for r in renderables)
        super().add_row(*cells, **kwargs)


def table(title: str, columns: list[str]) -> Table:
    t = _PrintableTable(title=printable(title), title_justify="left", show_edge=False)
    for column in columns:
        t.add_column(column)
    return t
