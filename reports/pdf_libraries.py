"""WeasyPrint imported without the compiler and linker runs it otherwise spends finding its libraries on Linux.

WeasyPrint loads GObject, Pango, HarfBuzz and Fontconfig through cffi, trying each library under several names:
Windows' and macOS' first, the Linux file name (`libpango-1.0.so.0`) last. cffi hands each name it cannot open as it
stands to `ctypes.util.find_library`, which on Linux runs ldconfig and then, for every name not found that way, gcc
(with its linker) and ld: 54 programs for WeasyPrint 70, 0.3 to 0.4 s of every process that makes a PDF (issue 20).
All the search can give back is a soname, which dlopen looks up on the loader's path; the Linux name on WeasyPrint's
list is that soname, and cffi opens it directly. So `load()` imports WeasyPrint with the search answering "not
found" at once, and each library is opened by its Linux name. Where one cannot be (a library whose soname is not
the one WeasyPrint lists), WeasyPrint is imported again with the search as it is.

The search is swapped for the length of the import only; a process imports WeasyPrint once, on its first PDF.
"""

from __future__ import annotations

import contextlib
import ctypes.util
import importlib
import io
import sys


def _forget_weasyprint() -> None:
    for name in [name for name in sys.modules if name == "weasyprint" or name.startswith("weasyprint.")]:
        del sys.modules[name]


def load() -> None:
    """Import WeasyPrint (once per process), its libraries opened by their Linux names where that works."""
    if "weasyprint" in sys.modules or not sys.platform.startswith("linux"):
        return
    search = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        # WeasyPrint prints its installation advice before failing on a library it cannot open; the second
        # import below, with the search, is the one whose failure (and advice) a person should see.
        with contextlib.redirect_stdout(io.StringIO()):
            importlib.import_module("weasyprint")
    except OSError:
        _forget_weasyprint()
    finally:
        ctypes.util.find_library = search
    importlib.import_module("weasyprint")
