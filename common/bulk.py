"""Many rows written in plain SQL where Django's bulk_create costs more than the write it makes.

bulk_create builds each row's SQL value by value (pre_save, get_db_prep_save and a placeholder per field,
inside a compiler per batch): on a 10,000-action plan import, some 45,000 rows, that was most of the time
the import spends beside reading the file (bench/import_plan.py). These write the same columns with the same
values, each converted by its own field's get_db_prep_save as bulk_create does, many rows a statement (on
PostgreSQL, one COPY), and copy a simple-history creation row from the row the database already holds rather
than rebuilding it in Python. Like bulk_create they send no signals and run inside the caller's transaction;
unlike it they do not set the instances' primary keys. tests/common/test_bulk.py compares their rows with
bulk_create's, column by column as stored, on SQLite and PostgreSQL.
"""

import datetime as dt
from collections.abc import Sequence

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models.constants import OnConflict

# Rows, or keys, per statement: well within PostgreSQL's 65,535 parameters (SQLite's limit is the backend's own).
BATCH = 1000


def rows_inserted(objs: Sequence[models.Model], *, ignore_conflicts: bool = False) -> None:
    """Insert the unsaved instances `objs` (all of one model, primary keys left to the database)."""
    if not objs:
        return
    model = type(objs[0])
    # The connection itself: django.db.connection looks it up on every use, which a value's conversion makes.
    connection = connections[DEFAULT_DB_ALIAS]
    fields = [field for field in model._meta.concrete_fields if not field.primary_key and not field.generated]
    if any(getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False) for field in fields):
        # Their value is made by pre_save(), which this does not call.
        raise ValueError(f"{model.__name__} has an auto_now field: save it with bulk_create.")
    quote = connection.ops.quote_name
    table = f"{quote(model._meta.db_table)} ({', '.join(quote(field.column) for field in fields)})"
    columns = [(field.attname, field.get_db_prep_save) for field in fields]
    if connection.vendor == "postgresql" and not ignore_conflicts:
        _rows_copied(connection, f"COPY {table} FROM STDIN", objs, columns)
        return
    on_conflict = OnConflict.IGNORE if ignore_conflicts else None
    insert = connection.ops.insert_statement(on_conflict=on_conflict)
    suffix = connection.ops.on_conflict_suffix_sql(fields, on_conflict, None, None)
    sql = f"{insert} {table} VALUES {{rows}}{suffix}"
    row = f"({', '.join(['%s'] * len(fields))})"
    # Many rows a statement, as bulk_create writes them (as many as SQLite takes parameters): executemany sends
    # PostgreSQL one statement a row, a round trip each.
    size = min(connection.ops.bulk_batch_size(fields, objs), BATCH)
    with connection.cursor() as cursor:
        for start in range(0, len(objs), size):
            batch = objs[start : start + size]
            cursor.execute(
                sql.format(rows=", ".join([row] * len(batch))),
                [prepare(getattr(obj, attname), connection) for obj in batch for attname, prepare in columns],
            )


def _rows_copied(connection, copy: str, objs: Sequence[models.Model], columns) -> None:
    """PostgreSQL's COPY of the rows: a third of the time of the same rows as INSERTs, with half the client's work
    (10,000 actions: 0.4 s against 1.2 s). psycopg's copy() is not a statement Django's cursor sends, so it is
    sent here through the connection's execute wrappers, as any statement is: common.revision sees the write."""

    def copied(sql, params, many, context):
        connection.validate_no_broken_transaction()
        with connection.wrap_database_errors, context["cursor"].cursor.copy(sql) as rows:
            for obj in objs:
                rows.write_row([prepare(getattr(obj, attname), connection) for attname, prepare in columns])

    with connection.cursor() as cursor:
        cursor._execute_with_wrappers(copy, None, False, executor=copied)


def creation_history_copied(
    model: type[models.Model], pks: Sequence[int], *, user_id: int | None, at: dt.datetime
) -> None:
    """The "+" rows django-simple-history's bulk_history_create writes for the saved rows `pks` of `model`.

    Copied by the database from the rows themselves (INSERT ... SELECT), in the order of their keys, dated
    `at`, by `user_id`, with no change reason, as bulk_history_create dates, signs and words them.
    """
    history = model.history.model
    connection = connections[DEFAULT_DB_ALIAS]
    quote = connection.ops.quote_name
    tracked = [
        (quote(history._meta.get_field(field.attname).column), quote(field.column)) for field in history.tracked_fields
    ]
    extra = ["history_date", "history_change_reason", "history_type", "history_user"]
    extra_fields = [history._meta.get_field(name) for name in extra]
    values = [
        field.get_db_prep_save(value, connection)
        for field, value in zip(extra_fields, [at, "", "+", user_id], strict=True)
    ]
    sql = "INSERT INTO {history} ({columns}) SELECT {sources} FROM {table} WHERE {pk} IN ({{keys}}) ORDER BY {pk}"
    sql = sql.format(
        history=quote(history._meta.db_table),
        columns=", ".join([column for column, _ in tracked] + [quote(field.column) for field in extra_fields]),
        sources=", ".join([source for _, source in tracked] + ["%s"] * len(extra_fields)),
        table=quote(model._meta.db_table),
        pk=quote(model._meta.pk.column),
    )
    with connection.cursor() as cursor:
        for start in range(0, len(pks), BATCH):
            chunk = pks[start : start + BATCH]
            cursor.execute(sql.format(keys=", ".join(["%s"] * len(chunk))), [*values, *chunk])
