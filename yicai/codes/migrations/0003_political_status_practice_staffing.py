from django.db import migrations

from yicai.codes.loader import load_code_tables


def load(apps, schema_editor):
    # Only the new tables: codes an administrator has renamed in the others stay as they are.
    load_code_tables(
        apps.get_model("codes", "CodeTable"),
        apps.get_model("codes", "Code"),
        keys={"political_status", "practice_category", "staffing"},
    )


class Migration(migrations.Migration):
    dependencies = [("codes", "0002_load_code_tables")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
