"""The database's revision: a token that changes after every write to the data, and what a process read under it.

A page that reads thousands of rows to show a few numbers (the board's dashboard) can keep what it worked out for as
long as nothing has been written since. Rather than trust every place that writes to say so (services, bulk
updates, the admin, imports, restores, raw SQL), every statement that changes data, whoever sends it through
Django's connection, changes the token once its transaction commits. The token is a random string kept in the
database, so every process sees the same one, and a value is reused only by a reader whose token is still current.

Why after the commit and not inside the transaction: a row that every writer updated inside its transaction would
make writers wait for each other (an import would hold up every manager's update until it committed) and could
deadlock with the row locks services take first. Read after the commit, a token can only be newer than the data
it was read with, so at worst a reader works something out again; within the few statements between a commit and
its bump a reader may still be handed what was true just before that commit.

Writes not yet committed on the reader's own connection cannot be seen by other processes, so a reader inside
such a transaction reads afresh (tests, which never commit, therefore never reuse anything).
"""

import re
import secrets
import threading
from collections import OrderedDict
from functools import partial

from django.db import DEFAULT_DB_ALIAS, connections, transaction

# Tables whose rows no kept value is worked out from: writing them must not throw away what processes keep
# (a session is saved on every request; a worker's heartbeat every few seconds).
UNWATCHED_TABLES = frozenset({"django_session", "common_workerheartbeat", "common_revision"})

_CHANGED_TABLE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)', re.IGNORECASE)
# What Django sends that changes no data. Anything else (DDL, TRUNCATE, a WITH that writes) counts as a change.
_NO_CHANGE = re.compile(r"\s*(?:SELECT|SAVEPOINT|RELEASE|ROLLBACK|BEGIN|COMMIT|PRAGMA|SET|SHOW)\b", re.IGNORECASE)

# While migrations run the token's table may not exist yet; migrate's own writes afterwards change the token.
_migrating = threading.Event()


def changes_data(sql) -> bool:
    sql = sql if isinstance(sql, str) else str(sql)
    if match := _CHANGED_TABLE.match(sql):
        return match[1].lower() not in UNWATCHED_TABLES
    return not _NO_CHANGE.match(sql)


def bump(alias: str = DEFAULT_DB_ALIAS) -> None:
    """A new token: whatever processes keep from before it is not reused."""
    from .models import Revision

    connection = connections[alias]
    table = connection.ops.quote_name(Revision._meta.db_table)
    # One plain statement (SQLite and PostgreSQL both upsert so): it may run while the write that called for it
    # still has rows to hand back, where the ORM's upsert would open a transaction and fail to commit it.
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (id, token) VALUES (1, %s) ON CONFLICT (id) DO UPDATE SET token = excluded.token",
            [secrets.token_hex(16)],
        )


def _bump_of(connection):
    return connection.__dict__.setdefault("revision_bump", partial(bump, connection.alias))


def _bump_pending(connection) -> bool:
    """This connection's open transaction has written data that its commit will bump the token for."""
    bump_after_commit = _bump_of(connection)
    # Django keeps a transaction's on-commit callbacks in this list, and drops them with what a rollback undoes.
    return any(entry[1] is bump_after_commit for entry in connection.run_on_commit)


def watch_writes(execute, sql, params, many, context):
    """An execute wrapper (installed on every connection): after a statement that changes data, a bump once the
    transaction commits (at once in autocommit), registered once per transaction."""
    result = execute(sql, params, many, context)
    connection = context["connection"]
    if not _migrating.is_set() and changes_data(sql):
        if not connection.in_atomic_block:
            bump(connection.alias)
        elif not _bump_pending(connection):
            transaction.on_commit(_bump_of(connection), using=connection.alias)
    return result


def install(sender, connection, **kwargs):
    """connection_created: watch the connection's writes (Django's own side connections, such as the one that
    creates a test database, are not the data's and are left alone)."""
    if connections.settings.get(connection.alias) is None:
        return
    if watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(watch_writes)


def migrations_started(**kwargs):
    _migrating.set()


def migrations_ended(using=DEFAULT_DB_ALIAS, **kwargs):
    """Sent once per app after the migrations: the first one bumps the token for whatever migrations wrote."""
    from .models import Revision

    if _migrating.is_set():
        _migrating.clear()
        if Revision._meta.db_table in connections[using].introspection.table_names():
            bump(using)


def current(alias: str = DEFAULT_DB_ALIAS) -> str | None:
    """The token now, or None when nothing should be reused: no token yet, or this connection holds writes that
    are not committed."""
    from .models import Revision

    connection = connections[alias]
    if connection.in_atomic_block and _bump_pending(connection):
        return None
    return Revision.objects.using(alias).filter(pk=1).values_list("token", flat=True).first()


class KeptReads:
    """Values a process worked out from the database, kept while the revision they were read under is current.

    Only the newest revision's values are kept, at most `size` of them, the least recently used dropped first.
    The values are shared by every request of the process: what uses them must not change them.
    """

    def __init__(self, size: int):
        self.size = size
        self._revision = None
        self._values = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key, work_out):
        """The value of `key` worked out by `work_out()` under the current revision, kept or worked out now."""
        revision = current()
        if revision is None or self.size <= 0:
            return work_out()
        with self._lock:
            if revision == self._revision and key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
        value = work_out()
        with self._lock:
            if revision != self._revision:
                self._revision, self._values = revision, OrderedDict()
            self._values[key] = value
            while len(self._values) > self.size:
                self._values.popitem(last=False)
        return value
