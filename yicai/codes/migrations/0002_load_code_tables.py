from django.db import migrations

from yicai.codes.loader import load_code_tables


def load(apps, schema_editor):
    load_code_tables(apps.get_model("codes", "CodeTable"), apps.get_model("codes", "Code"))


class Migration(migrations.Migration):
    dependencies = [("codes", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
