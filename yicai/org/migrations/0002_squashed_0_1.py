"""Release 0.1's migrations in one: the regions (GB/T 2260) are loaded."""

import django.db.models.deletion
from django.db import migrations, models


from yicai.org.loader import load_regions


def load(apps, schema_editor):
    load_regions(apps.get_model("org", "Region"))



class Migration(migrations.Migration):

    initial = True

    replaces = [('org', '0001_initial'), ('org', '0002_initial'), ('org', '0003_load_regions'), ('org', '0004_designation_year_range'), ('org', '0005_institution_aliases'), ('org', '0006_institution_department_version')]

    dependencies = [
        ('org', '0001_squashed_0_1'),
        ('people', '0001_squashed_0_1'),
    ]

    operations = [
        migrations.AddField(
            model_name='disciplinedesignation',
            name='lead',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='led_disciplines', to='people.person', verbose_name='学科带头人'),
        ),
        migrations.AddField(
            model_name='department',
            name='institution',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='departments', to='org.institution', verbose_name='机构'),
        ),
        migrations.AddField(
            model_name='region',
            name='parent',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='org.region'),
        ),
        migrations.AddField(
            model_name='institution',
            name='commission_region',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='commission_institutions', to='org.region', verbose_name='所属卫健委辖区'),
        ),
        migrations.AddField(
            model_name='institution',
            name='region',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='institutions', to='org.region', verbose_name='所在地'),
        ),
        migrations.AddConstraint(
            model_name='disciplinedesignation',
            constraint=models.CheckConstraint(condition=models.Q(('year_to__isnull', True), ('year_to__gte', models.F('year_from')), _connector='OR'), name='designation_years_in_order'),
        ),
        migrations.AddConstraint(
            model_name='department',
            constraint=models.UniqueConstraint(fields=('institution', 'name'), name='department_unique_name'),
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
