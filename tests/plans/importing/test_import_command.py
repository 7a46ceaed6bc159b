"""import_plan and export_plan --format xlsx: the same engine from the command line."""

import io

import pytest
from django.core.management import CommandError, call_command

from plans.models import Action, PlanImport
from tests.plans.importing.workbooks import xlsx

ROWS = [
    ["Area", "Ref", "Action", "Target date", "Sponsor"],
    ["Leadership", "1", "Set up the board", "Dec 18", "ADCSC"],
    [None, "2", "Appoint a chair", "31 Sept 2017", "ADCSC"],
]


def run(*args):
    out = io.StringIO()
    call_command("import_plan", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def plan_file(tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(xlsx(ROWS))
    return path


@pytest.mark.django_db
def test_a_dry_run_prints_counts_and_warnings_and_writes_nothing(plan_file):
    output = run(str(plan_file), "--plan", "csc", "--dry-run")
    assert "Would create 2, updated 0, unchanged 0" in output
    assert 'warning: Plan!D3: "31 Sept 2017" is not a date (September 2017 has 30 days)' in output
    assert Action.objects.count() == 0 and PlanImport.objects.count() == 0


@pytest.mark.django_db
def test_it_imports_then_updates_with_a_record_of_each_import(plan_file):
    assert "Created 2, updated 0, unchanged 0" in run(str(plan_file), "--plan", "csc", "--title", "CSC plan")
    assert "Created 0, updated 0, unchanged 2" in run(str(plan_file), "--plan", "csc")
    record = PlanImport.objects.order_by("pk").first()
    assert (record.file_name, record.plan.title, record.created_count, len(record.checksum)) == (
        "plan.xlsx", "CSC plan", 2, 64
    )  # fmt: skip


@pytest.mark.django_db
def test_it_fails_when_nothing_can_be_imported(tmp_path):
    path = tmp_path / "notes.xlsx"
    path.write_bytes(b"just some notes")
    with pytest.raises(CommandError, match="notes.xlsx is a text file"):
        run(str(path), "--plan", "csc")
    path.write_bytes(xlsx([["Ref", "Action", "Target"]]))
    with pytest.raises(CommandError, match="Nothing in the file could be imported"):
        run(str(path), "--plan", "csc")
    with pytest.raises(CommandError, match="Cannot read"):
        run(str(tmp_path / "missing.xlsx"), "--plan", "csc")
    assert Action.objects.count() == 0


@pytest.mark.django_db
def test_export_plan_writes_xlsx_that_imports_back_unchanged(plan_file, tmp_path):
    run(str(plan_file), "--plan", "csc")
    exported = tmp_path / "export.xlsx"
    call_command("export_plan", "csc", "--format", "xlsx", "-o", str(exported), stderr=io.StringIO())
    assert "Created 0, updated 0, unchanged 2" in run(str(exported), "--plan", "csc")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["--plan", "My Plan"], "The plan cannot be saved: slug: Enter a valid “slug”"),
        (["--plan", "csc", "--title", "x" * 201], "The plan cannot be saved: title: Ensure this value has at most 200"),
    ],
)
def test_a_plan_name_the_tracker_cannot_hold_is_refused_with_nothing_written(plan_file, options, expected):
    with pytest.raises(CommandError, match=expected):
        run(str(plan_file), *options)
    assert Action.objects.count() == 0 and PlanImport.objects.count() == 0
