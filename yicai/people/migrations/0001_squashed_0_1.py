"""Release 0.1's migrations in one: on PostgreSQL, a GIN index of a
name's characters (the first marked "^": 王小明 → ^王, 小, 明) finds a name from any one of
them whatever the database's LC_CTYPE, where trigrams need three characters and a locale that
classes Chinese as letters; people.queries.NameHas writes the same expression."""

import django.db.models.deletion
import yicai.people.models
import yicai.people.validators
from django.conf import settings
from django.db import migrations, models


NAME_CHARACTERS = "(ARRAY['^' || left(name, 1)] || string_to_array(substr(name, 2), NULL))"


def add_name_characters(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX person_name_characters ON people_person USING gin (({NAME_CHARACTERS}))"
        )


def drop_name_characters(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS person_name_characters")



class Migration(migrations.Migration):

    initial = True

    replaces = [('people', '0001_initial'), ('people', '0002_code_foreign_keys_without_index'), ('people', '0003_equality_indexes_without_like'), ('people', '0004_drop_unused_last4_index'), ('people', '0005_personnel_file_fields'), ('people', '0006_appointment_start_unknown'), ('people', '0007_search_indexes'), ('people', '0008_correction_request'), ('people', '0009_person_and_records_version')]

    dependencies = [
        ('codes', '0001_squashed_0_1'),
        ('org', '0001_squashed_0_1'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Person',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', models.PositiveIntegerField(db_default=1, default=1, editable=False, verbose_name='版本')),
                ('name', models.CharField(max_length=50, verbose_name='姓名')),
                ('name_initials', models.CharField(editable=False, max_length=50, verbose_name='拼音首字母')),
                ('name_pinyin', models.CharField(blank=True, editable=False, max_length=200, verbose_name='姓名拼音')),
                ('birth_date', models.DateField(validators=[yicai.people.validators.not_in_future, yicai.people.validators.not_before_1900], verbose_name='出生日期')),
                ('id_number_cipher', models.TextField(blank=True, editable=False, verbose_name='身份证号（密文）')),
                ('id_number_index', models.CharField(blank=True, editable=False, max_length=64, null=True)),
                ('id_number_last4', models.CharField(blank=True, editable=False, max_length=4)),
                ('phone_cipher', models.TextField(blank=True, editable=False, verbose_name='手机号（密文）')),
                ('phone_last4', models.CharField(blank=True, editable=False, max_length=4)),
                ('category', models.CharField(choices=[('staff', '在编在岗职工'), ('external_expert', '外聘专家'), ('applicant', '应聘人员'), ('directed_student', '订单定向医学生')], default='staff', max_length=20, verbose_name='人员类别')),
                ('work_start_on', models.DateField(blank=True, null=True, validators=[yicai.people.validators.not_in_future, yicai.people.validators.not_before_1900], verbose_name='参加工作时间')),
                ('position', models.CharField(blank=True, max_length=60, verbose_name='职务/岗位')),
                ('title_grade', models.CharField(blank=True, max_length=24, verbose_name='职称级别')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('current_title', models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='codes.code', verbose_name='现职称')),
                ('department', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='people', to='org.department', verbose_name='所在科室')),
                ('ethnicity', models.ForeignKey(blank=True, db_index=False, limit_choices_to={'table__key': 'ethnicity'}, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='codes.code', verbose_name='民族')),
                ('highest_education', models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='codes.code', verbose_name='最高学历')),
                ('institution', models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='people', to='org.institution', verbose_name='所在机构')),
                ('personnel_category', models.ForeignKey(blank=True, db_index=False, limit_choices_to={'table__key': 'personnel_category'}, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='codes.code', verbose_name='从事专业类别')),
                ('political_status', models.ForeignKey(blank=True, db_index=False, limit_choices_to={'table__key': 'political_status'}, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='codes.code', verbose_name='政治面貌')),
                ('practice_category', models.ForeignKey(blank=True, db_index=False, limit_choices_to={'table__key': 'practice_category'}, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='codes.code', verbose_name='执业类别')),
                ('sex', models.ForeignKey(db_index=False, limit_choices_to={'table__key': 'sex'}, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='codes.code', verbose_name='性别')),
                ('source', models.ForeignKey(blank=True, db_index=False, limit_choices_to={'table__key': 'person_source'}, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='codes.code', verbose_name='人才来源')),
                ('staffing', models.ForeignKey(blank=True, db_index=False, limit_choices_to={'table__key': 'staffing'}, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='codes.code', verbose_name='编制情况')),
            ],
            options={
                'verbose_name': '人才档案',
                'verbose_name_plural': '人才档案',
                'ordering': ['name_pinyin', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Licence',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', models.PositiveIntegerField(db_default=1, default=1, editable=False, verbose_name='版本')),
                ('number', models.CharField(max_length=40, verbose_name='执业证书编号')),
                ('category', models.CharField(choices=[('1', '临床'), ('2', '口腔'), ('3', '公共卫生'), ('4', '中医'), ('9', '护士执业')], max_length=1, verbose_name='执业类别')),
                ('scope', models.CharField(blank=True, max_length=100, verbose_name='执业范围')),
                ('issued_on', models.DateField(blank=True, null=True, validators=[yicai.people.validators.not_in_future, yicai.people.validators.not_before_1900], verbose_name='发证日期')),
                ('expires_on', models.DateField(blank=True, null=True, verbose_name='有效期至')),
                ('registered_institution', models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.institution', verbose_name='注册执业机构')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='licences', to='people.person')),
            ],
            options={
                'verbose_name': '执业证书',
                'verbose_name_plural': '执业证书',
                'ordering': ['-issued_on'],
            },
        ),
        migrations.CreateModel(
            name='Education',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', models.PositiveIntegerField(db_default=1, default=1, editable=False, verbose_name='版本')),
                ('school', models.CharField(blank=True, max_length=100, verbose_name='毕业院校')),
                ('major', models.CharField(blank=True, max_length=100, verbose_name='专业')),
                ('graduated_on', models.DateField(blank=True, null=True, validators=[yicai.people.validators.not_in_future, yicai.people.validators.not_before_1900], verbose_name='毕业时间')),
                ('full_time', models.BooleanField(default=True, verbose_name='全日制')),
                ('degree', models.ForeignKey(blank=True, db_index=False, limit_choices_to={'table__key': 'degree'}, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='codes.code', verbose_name='学位')),
                ('level', models.ForeignKey(db_index=False, limit_choices_to={'table__key': 'education'}, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='codes.code', verbose_name='学历')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='educations', to='people.person')),
            ],
            options={
                'verbose_name': '学历学位',
                'verbose_name_plural': '学历学位',
                'ordering': [models.OrderBy(models.F('graduated_on'), descending=True, nulls_last=True), '-id'],
            },
        ),
        migrations.CreateModel(
            name='CorrectionRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('topic', models.CharField(choices=[('basic', '基本信息（姓名、性别、出生日期、民族等）'), ('identity', '身份证号'), ('contact', '手机号'), ('position', '工作单位、科室、岗位'), ('education', '学历学位'), ('title', '专业技术职称'), ('licence', '执业证书'), ('appointment', '任职经历'), ('tag', '人才标签'), ('training', '培养与继续教育记录'), ('other', '其他')], max_length=20, verbose_name='更正事项')),
                ('wrong', models.TextField(max_length=1000, verbose_name='有误的内容')),
                ('correct', models.TextField(max_length=1000, verbose_name='应更正为')),
                ('status', models.CharField(choices=[('pending', '待处理'), ('accepted', '已采纳'), ('rejected', '未采纳')], default='pending', max_length=10, verbose_name='状态')),
                ('resolution', models.TextField(blank=True, max_length=1000, verbose_name='处理意见')),
                ('resolved_at', models.DateTimeField(blank=True, null=True, verbose_name='处理时间')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='申请时间')),
                ('requested_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='申请人账号')),
                ('resolved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='处理人')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='correction_requests', to='people.person', verbose_name='人员')),
            ],
            options={
                'verbose_name': '信息更正申请',
                'verbose_name_plural': '信息更正申请',
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='Appointment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', models.PositiveIntegerField(db_default=1, default=1, editable=False, verbose_name='版本')),
                ('position', models.CharField(blank=True, max_length=60, verbose_name='职务/岗位')),
                ('start_on', models.DateField(blank=True, null=True, validators=[yicai.people.validators.not_in_future, yicai.people.validators.not_before_1900], verbose_name='起始日期')),
                ('end_on', models.DateField(blank=True, null=True, verbose_name='截止日期')),
                ('department', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='appointments', to='org.department', verbose_name='科室')),
                ('departments_in_charge', models.ManyToManyField(blank=True, related_name='leader_appointments', to='org.department', verbose_name='分管科室')),
                ('institution', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='appointments', to='org.institution', verbose_name='机构')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='appointments', to='people.person')),
            ],
            options={
                'verbose_name': '任职经历',
                'verbose_name_plural': '任职经历',
                'ordering': [models.OrderBy(models.F('start_on'), descending=True, nulls_last=True), '-id'],
            },
        ),
        migrations.CreateModel(
            name='TalentTag',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', models.PositiveIntegerField(db_default=1, default=1, editable=False, verbose_name='版本')),
                ('valid_from', models.DateField(validators=[yicai.people.validators.not_in_future, yicai.people.validators.not_before_1900], verbose_name='认定日期')),
                ('valid_to', models.DateField(blank=True, null=True, verbose_name='有效期至')),
                ('note', models.CharField(blank=True, max_length=200, verbose_name='说明')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='tags', to='people.person')),
                ('tag', models.ForeignKey(db_index=False, limit_choices_to={'table__key': 'talent_tag'}, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='codes.code', verbose_name='人才标签')),
            ],
            options={
                'verbose_name': '人才标签',
                'verbose_name_plural': '人才标签',
                'ordering': ['-valid_from'],
            },
        ),
        migrations.CreateModel(
            name='TitleRecord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', models.PositiveIntegerField(db_default=1, default=1, editable=False, verbose_name='版本')),
                ('grade', models.CharField(editable=False, max_length=24, verbose_name='级别')),
                ('obtained_on', models.DateField(blank=True, null=True, validators=[yicai.people.validators.not_in_future, yicai.people.validators.not_before_1900], verbose_name='取得时间')),
                ('appointed_on', models.DateField(blank=True, null=True, validators=[yicai.people.validators.not_in_future, yicai.people.validators.not_before_1900], verbose_name='聘任时间')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='titles', to='people.person')),
                ('title', models.ForeignKey(db_index=False, limit_choices_to={'parent__isnull': False, 'table__key': 'title'}, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='codes.code', verbose_name='职称')),
            ],
            options={
                'verbose_name': '专业技术职务',
                'verbose_name_plural': '专业技术职务',
                'ordering': [models.OrderBy(models.F('obtained_on'), descending=True, nulls_last=True), '-id'],
            },
        ),
        migrations.AddIndex(
            model_name='person',
            index=models.Index(fields=['name_pinyin', 'id', 'institution'], name='person_name_pinyin'),
        ),
        migrations.AddIndex(
            model_name='person',
            index=models.Index(yicai.people.models.FirstCharacter('name'), models.F('name_pinyin'), models.F('id'), name='person_surname'),
        ),
        migrations.AddIndex(
            model_name='person',
            index=models.Index(fields=['name_initials', 'name_pinyin', 'id', 'institution'], name='person_name_initials'),
        ),
        migrations.AddIndex(
            model_name='person',
            index=models.Index(fields=['id_number_last4'], name='person_id_number_last4'),
        ),
        migrations.AddIndex(
            model_name='person',
            index=models.Index(fields=['institution'], name='person_institution'),
        ),
        migrations.AddIndex(
            model_name='person',
            index=models.Index(fields=['title_grade'], name='person_title_grade'),
        ),
        migrations.AddConstraint(
            model_name='person',
            constraint=models.UniqueConstraint(fields=('id_number_index',), name='person_unique_id_number'),
        ),
        migrations.AddConstraint(
            model_name='licence',
            constraint=models.UniqueConstraint(fields=('category', 'number'), name='licence_unique_number'),
        ),
        migrations.AddIndex(
            model_name='correctionrequest',
            index=models.Index(fields=['status', 'created_at'], name='correction_status'),
        ),
        migrations.AddConstraint(
            model_name='correctionrequest',
            constraint=models.CheckConstraint(condition=models.Q(('status', 'pending'), ('resolved_at__isnull', False), _connector='OR'), name='correction_resolved_has_time'),
        ),
        migrations.AddConstraint(
            model_name='correctionrequest',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'rejected'), _negated=True), models.Q(('resolution', ''), _negated=True), _connector='OR'), name='correction_rejection_has_reason'),
        ),
        migrations.AddConstraint(
            model_name='appointment',
            constraint=models.CheckConstraint(condition=models.Q(('end_on__isnull', True), ('end_on__gte', models.F('start_on')), _connector='OR'), name='appointment_dates_in_order'),
        ),
        migrations.AddConstraint(
            model_name='talenttag',
            constraint=models.CheckConstraint(condition=models.Q(('valid_to__isnull', True), ('valid_to__gte', models.F('valid_from')), _connector='OR'), name='tag_dates_in_order'),
        ),
        migrations.RunPython(add_name_characters, drop_name_characters),
    ]
