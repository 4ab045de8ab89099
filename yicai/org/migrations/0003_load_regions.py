from django.db import migrations

from yicai.org.loader import load_regions


def load(apps, schema_editor):
    load_regions(apps.get_model("org", "Region"))


class Migration(migrations.Migration):
    dependencies = [("org", "0002_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
