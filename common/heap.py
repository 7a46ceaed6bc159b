"""Pausing Python's cycle collector while an import builds a large heap that stays alive until the import ends.

An import of 10,000 rows builds hundreds of thousands of objects (rows read, actions, model instances) that all
live until it returns. CPython's cycle collector runs every few hundred allocations and, as the heap grows,
walks the whole of it again and again, finding nothing to free: measured on bench/import_plan.py, a quarter
to a third of the import's time. Those objects are freed by reference counting when the import returns, so
the collector is paused while it runs and resumed (not run) after; any cycles an import leaves wait for its
next pass.
"""

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """`with collector_paused():` or `@collector_paused()`: the cycle collector off inside, as it was after.

    Nested and concurrent uses leave it to the outermost that turned it off to turn it back on.
    """
    turned_off = gc.isenabled()
    if turned_off:
        gc.disable()
    try:
        yield
    finally:
        if turned_off:
            gc.enable()
