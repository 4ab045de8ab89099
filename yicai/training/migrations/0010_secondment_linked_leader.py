from django.db import migrations


class Migration(migrations.Migration):
    """The glossary's name: 挂钩领导 is linked_leader."""

    dependencies = [("training", "0009_confirm_visits_and_evaluations")]

    operations = [
        migrations.RenameField(model_name="secondment", old_name="leader", new_name="linked_leader"),
    ]
