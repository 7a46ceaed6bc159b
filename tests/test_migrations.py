"""Migrations: one line of them per app, and nothing in the models that they do not already say."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader

TRACKER_APPS = ["plans", "kpis", "boards", "reports"]


def test_the_models_need_no_migration_that_is_not_written(db):
    # --check exits with status 1 when a model change has no migration.
    call_command("makemigrations", "--check", "--dry-run", stdout=io.StringIO())


@pytest.mark.parametrize("app", TRACKER_APPS)
def test_each_app_has_one_line_of_migrations(db, app):
    graph = MigrationLoader(connection, ignore_no_migrations=True).graph
    assert len(graph.leaf_nodes(app)) == 1
    for key in graph.nodes:
        if key[0] == app:
            parents_in_app = [parent for parent in graph.node_map[key].parents if parent.key[0] == app]
            assert len(parents_in_app) <= 1, f"{key} merges migrations"
