"""What every benchmark does with its figures: put them in a Markdown file as one section."""

from __future__ import annotations

from pathlib import Path


def replace_section(path: Path, heading: str, section: str) -> None:
    """Write `section` (starting `## heading`) into the Markdown file at `path`, in place of
    the section of that heading (up to the next `## `), else at the end."""
    text = path.read_text(encoding="utf-8")
    head, found, rest = text.partition(f"## {heading}")
    if not found:
        path.write_text(text.rstrip("\n") + "\n\n" + section, encoding="utf-8")
        return
    _, _, tail = rest.partition("\n## ")
    path.write_text(
        head.rstrip("\n") + "\n\n" + section + ("\n## " + tail if tail else ""), encoding="utf-8"
    )
