"""Pausing Python's cycle collector while an import or a plan's summary builds a large heap that stays alive
until it ends.

An import of 10,000 rows builds hundreds of thousands of objects (rows read, actions, model instances) that all
live until it returns, and so does a large plan's summary. CPython's cycle collector runs every few hundred
allocations and, as the heap grows, walks the whole of it again and again, finding nothing to free: a quarter
to a third of the import's time (bench/import_plan.py) and a third of a 2,000-action summary's. Those objects
are freed by reference counting when the work returns, so the collector is paused while it runs and resumed
(not run) after; any cycles it leaves wait for the collector's next pass.
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
