"""Writing a board pack's PDF to storage so that a failure part way never replaces, truncates or orphans a file."""

import hashlib
import os
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import Storage

PARTIAL_SUFFIX = ".part"
# Messages tests import.
NOT_STORED = "The PDF could not be stored ({reason}); the previous PDF is kept."


class FileNotStored(Exception):
    pass


def store_file(storage: Storage, name: str, content: bytes) -> str:
    """Store `content` at `name` (or a free name beside it) only once it is whole; returns the name stored at.

    Written first to a temporary name (`….part`), read back and compared with what was meant, then moved into
    place in one step (a rename on the same disk). FileNotStored, with nothing left behind, when any step fails.
    """
    partial = storage.save(f"{name}.{uuid.uuid4().hex[:8]}{PARTIAL_SUFFIX}", ContentFile(b""))
    try:
        with storage.open(partial, "wb") as target:
            target.write(content)
            target.flush()
            os.fsync(target.fileno())
        with storage.open(partial, "rb") as written:
            if hashlib.sha256(written.read()).digest() != hashlib.sha256(content).digest():
                raise OSError("the file read back is not the one written")
        final = storage.get_available_name(name)
        os.replace(storage.path(partial), storage.path(final))
    except OSError as error:
        storage.delete(partial)
        raise FileNotStored(NOT_STORED.format(reason=error.strerror or error)) from error
    return final
