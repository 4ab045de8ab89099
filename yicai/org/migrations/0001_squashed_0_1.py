import django.core.validators
import django.db.models.deletion
from django.db import migrations, models



class Migration(migrations.Migration):

    initial = True

    replaces = [('org', '0001_initial'), ('org', '0002_initial'), ('org', '0003_load_regions'), ('org', '0004_designation_year_range'), ('org', '0005_institution_aliases'), ('org', '0006_institution_department_version')]

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='Institution',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', models.PositiveIntegerField(db_default=1, default=1, editable=False, verbose_name='版本')),
                ('name', models.CharField(max_length=100, unique=True, verbose_name='机构名称')),
                ('short_name', models.CharField(blank=True, max_length=40, verbose_name='简称')),
                ('code', models.CharField(blank=True, max_length=30, verbose_name='机构代码')),
                ('kind', models.CharField(choices=[('general', '综合医院'), ('tcm', '中医（中西医结合）医院'), ('specialist', '专科医院'), ('community', '社区卫生服务中心'), ('township', '乡镇卫生院'), ('other', '其他卫生机构')], max_length=12, verbose_name='机构类别')),
                ('grade', models.CharField(choices=[('3', '三级'), ('2', '二级'), ('1', '一级'), ('0', '未定级')], default='0', max_length=1, verbose_name='等级')),
                ('relation', models.CharField(choices=[('managed', '辖区管理'), ('partner', '合作医院')], default='managed', max_length=10, verbose_name='隶属关系')),
                ('affiliation', models.CharField(blank=True, max_length=100, verbose_name='隶属/附属')),
                ('aliases', models.TextField(blank=True, help_text='每行一个', verbose_name='别名')),
                ('active', models.BooleanField(default=True, verbose_name='在用')),
            ],
            options={
                'verbose_name': '医疗机构',
                'verbose_name_plural': '医疗机构',
                'ordering': ['relation', '-grade', 'name'],
            },
        ),
        migrations.CreateModel(
            name='Region',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=6, unique=True, verbose_name='区划代码')),
                ('name', models.CharField(max_length=60, verbose_name='名称')),
                ('level', models.CharField(choices=[('province', '省级'), ('prefecture', '地级'), ('county', '县级')], max_length=12, verbose_name='级别')),
                ('note', models.CharField(blank=True, max_length=200, verbose_name='备注')),
            ],
            options={
                'verbose_name': '行政区划',
                'verbose_name_plural': '行政区划',
                'ordering': ['code'],
            },
        ),
        migrations.CreateModel(
            name='Department',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', models.PositiveIntegerField(db_default=1, default=1, editable=False, verbose_name='版本')),
                ('name', models.CharField(max_length=60, verbose_name='科室名称')),
                ('clinical', models.BooleanField(default=True, verbose_name='临床科室')),
                ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='org.department', verbose_name='上级科室')),
            ],
            options={
                'verbose_name': '科室',
                'verbose_name_plural': '科室',
                'ordering': ['institution', 'name'],
            },
        ),
        migrations.CreateModel(
            name='DisciplineDesignation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=80, verbose_name='学科名称')),
                ('kind', models.CharField(choices=[('key_specialty', '重点专科'), ('top_priority', '重中之重学科'), ('weak', '薄弱学科')], max_length=16, verbose_name='类别')),
                ('level', models.CharField(choices=[('national', '国家级'), ('provincial', '省（市）级'), ('district', '区（县）级')], default='district', max_length=12, verbose_name='级别')),
                ('year_from', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1949), django.core.validators.MaxValueValidator(2100)], verbose_name='起始年度')),
                ('year_to', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(1949), django.core.validators.MaxValueValidator(2100)], verbose_name='截止年度')),
                ('department', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='designations', to='org.department', verbose_name='科室')),
            ],
            options={
                'verbose_name': '学科建设',
                'verbose_name_plural': '学科建设',
                'ordering': ['-year_from', 'name'],
            },
        ),
    ]
