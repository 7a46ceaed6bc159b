"""Holding an uploaded workbook between its preview and the admin's "Import now", in the session."""

import base64
import hashlib

SESSION_KEY = "kpi_import"
# Performance reports are a few hundred kB; a cap keeps the session table small.
MAX_BYTES = 5 * 1024 * 1024
TOO_LARGE = "This file is larger than 5 MB; a KPI workbook is usually far smaller. Check it is the right file."
PREVIEW_EXPIRED = "The preview has expired or was replaced by another one: upload the file again."


def upload_keep(session, *, name, content):
    """Keep the bytes for the confirmation step; returns the token the confirm form must send back."""
    token = hashlib.sha256(content).hexdigest()
    session[SESSION_KEY] = {"name": name, "token": token, "content": base64.b64encode(content).decode("ascii")}
    return token


def upload_take(session, *, token):
    """The kept (name, bytes) if `token` names them, removed from the session; else None."""
    kept = session.get(SESSION_KEY)
    if not kept or kept["token"] != token:
        return None
    del session[SESSION_KEY]
    return kept["name"], base64.b64decode(kept["content"])
