"""Packs name the issued pack they are measured against; packs already issued get the one their PDF used."""

import django.db.models.deletion
from django.db import migrations, models


def record_what_issued_packs_were_measured_against(apps, schema_editor):
    # Before this field, a pack was measured against the last pack issued for an earlier position date
    # (a pack for the same day, such as an earlier version for the same meeting, was left out). Recording
    # that rule, as it stood when each pack was issued, keeps the pages saying what the stored PDFs say.
    BoardPack = apps.get_model("reports", "BoardPack")
    issued = BoardPack.objects.filter(status="issued")
    for pack in issued.order_by("pk"):
        earlier = (
            issued.filter(plan_id=pack.plan_id, as_of__lt=pack.as_of, issued_at__lt=pack.issued_at)
            .order_by("-as_of", "-issued_at", "-pk")
            .first()
        )
        if earlier is not None:
            BoardPack.objects.filter(pk=pack.pk).update(measured_against=earlier)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_period_narrative"),
    ]

    operations = [
        migrations.AddField(
            model_name="boardpack",
            name="measured_against",
            field=models.ForeignKey(
                blank=True,
                help_text="The issued pack whose colours this pack's movement was measured against.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="reports.boardpack",
                verbose_name="movement measured against",
            ),
        ),
        migrations.RunPython(record_what_issued_packs_were_measured_against, migrations.RunPython.noop),
    ]
