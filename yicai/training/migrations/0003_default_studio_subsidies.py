"""The sources' studio subsidies (Changtai, 2024): national 200,000, provincial 100,000 and
district 80,000 CNY a year. The commission may change them."""

from decimal import Decimal

from django.db import migrations

DEFAULTS = {"national": "200000", "provincial": "100000", "district": "80000"}


def load(apps, schema_editor):
    StudioSubsidy = apps.get_model("training", "StudioSubsidy")
    for tier, amount in DEFAULTS.items():
        StudioSubsidy.objects.get_or_create(tier=tier, defaults={"yearly_amount": Decimal(amount)})


class Migration(migrations.Migration):
    dependencies = [("training", "0002_studios")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
