"""Python's cycle collector paused while a stage builds many long-lived objects at once."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """While a stage builds hundreds of thousands of objects that live on (every analysis of
    the corpus, their mentions, the entities and edges made of them), CPython's cycle
    collector walks them all again and again and finds nothing to free: they hold no
    reference cycles, and reference counting frees them. Paused, reading the BBC analyses
    and building their graph take a third less time (docs/scale.md). Restored as it was,
    so it nests; also a decorator."""
    was_enabled = gc.isenabled()
    try:
        gc.disable()
        yield
    finally:
        if was_enabled:
            gc.enable()
