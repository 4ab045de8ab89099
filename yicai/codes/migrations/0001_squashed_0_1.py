"""Release 0.1's migrations in one: the national code tables and their colloquial synonyms are loaded."""

import django.db.models.deletion
from django.db import migrations, models


from yicai.codes.loader import load_code_tables, load_synonyms


def load(apps, schema_editor):
    CodeTable, Code = apps.get_model("codes", "CodeTable"), apps.get_model("codes", "Code")
    load_code_tables(CodeTable, Code)
    load_synonyms(CodeTable, Code, apps.get_model("codes", "Synonym"))



class Migration(migrations.Migration):

    initial = True

    replaces = [('codes', '0001_initial'), ('codes', '0002_load_code_tables'), ('codes', '0003_political_status_practice_staffing'), ('codes', '0004_synonyms')]

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='CodeTable',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.SlugField(max_length=40, unique=True, verbose_name='标识')),
                ('name', models.CharField(max_length=80, verbose_name='名称')),
                ('standard', models.CharField(blank=True, max_length=80, verbose_name='标准')),
            ],
            options={
                'verbose_name': '代码表',
                'verbose_name_plural': '代码表',
                'ordering': ['key'],
            },
        ),
        migrations.CreateModel(
            name='Code',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=40, verbose_name='代码')),
                ('name', models.CharField(max_length=80, verbose_name='名称')),
                ('attrs', models.JSONField(blank=True, default=dict, verbose_name='附加属性')),
                ('note', models.CharField(blank=True, max_length=200, verbose_name='备注')),
                ('active', models.BooleanField(default=True, verbose_name='启用')),
                ('sort', models.PositiveIntegerField(default=0, verbose_name='排序')),
                ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='codes.code')),
                ('table', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='codes', to='codes.codetable')),
            ],
            options={
                'verbose_name': '代码',
                'verbose_name_plural': '代码',
                'ordering': ['table', 'sort', 'code'],
            },
        ),
        migrations.CreateModel(
            name='Synonym',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('text', models.CharField(max_length=80, verbose_name='写法')),
                ('code', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='synonyms', to='codes.code')),
                ('personnel_category', models.ForeignKey(blank=True, limit_choices_to={'table__key': 'personnel_category'}, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='codes.code', verbose_name='仅限从事专业类别')),
                ('table', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='synonyms', to='codes.codetable')),
            ],
            options={
                'verbose_name': '代码同义写法',
                'verbose_name_plural': '代码同义写法',
                'ordering': ['table', 'text', 'personnel_category'],
            },
        ),
        migrations.AddConstraint(
            model_name='code',
            constraint=models.UniqueConstraint(fields=('table', 'code'), name='code_unique_in_table'),
        ),
        migrations.AddConstraint(
            model_name='synonym',
            constraint=models.UniqueConstraint(fields=('table', 'text', 'personnel_category'), name='synonym_unique'),
        ),
        migrations.AddConstraint(
            model_name='synonym',
            constraint=models.UniqueConstraint(condition=models.Q(('personnel_category__isnull', True)), fields=('table', 'text'), name='synonym_unique_unqualified'),
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
