"""Taken stretches of a text, asked "does this span overlap any?" in logarithmic time.

The rules ask that question for every candidate span of an article; a plain list made an
article of 100,000 short lines quadratic (issue 10).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable


class Taken:
    """A union of (start, end) spans, kept as sorted disjoint stretches."""

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []
        # In order of start, a span can only join the last stretch (as `add` would join it).
        for start, end in sorted(spans):
            if end <= start:
                continue
            if self._ends and start <= self._ends[-1]:
                self._ends[-1] = max(end, self._ends[-1])
            else:
                self._starts.append(start)
                self._ends.append(end)

    def overlaps(self, start: int, end: int) -> bool:
        """Whether [start, end) shares a character with a taken stretch."""
        i = bisect.bisect_right(self._starts, start)
        if i > 0 and self._ends[i - 1] > start:
            return True
        return i < len(self._starts) and self._starts[i] < end

    def add(self, start: int, end: int) -> None:
        if end <= start:
            return
        lo = bisect.bisect_left(self._ends, start)  # first stretch that ends at or after start
        hi = bisect.bisect_right(self._starts, end)  # stretches from lo to hi touch the span
        if lo < hi:
            start = min(start, self._starts[lo])
            end = max(end, self._ends[hi - 1])
        self._starts[lo:hi] = [start]
        self._ends[lo:hi] = [end]

    def end_of_overlap(self, start: int, end: int) -> int | None:
        """Where the last taken stretch that overlaps [start, end) ends; None if none does."""
        if not self.overlaps(start, end):
            return None
        hi = bisect.bisect_left(self._starts, end)  # stretches starting before end
        return self._ends[hi - 1]
