"""Release 0.1's migrations in one: the defaults the commission may change are
loaded: the studio subsidies of the sources (Changtai, 2024: national 200,000, provincial
100,000, district 80,000 CNY a year) and the national CME credits (继续医学教育规定（试行）, 2000:
at least 25 a year, of which Ⅰ类 5-10 and Ⅱ类 15-20)."""

import django.core.validators
import django.db.models.deletion
import yicai.modelkit
import yicai.people.validators
import yicai.training.models.mentoring
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


SUBSIDIES = {"national": "200000", "provincial": "100000", "district": "80000"}


def defaults(apps, schema_editor):
    StudioSubsidy = apps.get_model("training", "StudioSubsidy")
    for tier, amount in SUBSIDIES.items():
        StudioSubsidy.objects.get_or_create(tier=tier, defaults={"yearly_amount": Decimal(amount)})
    apps.get_model("training", "CreditRequirement").objects.get_or_create(
        year=2000,
        defaults={"total": Decimal("25"), "class_i": Decimal("5"), "class_ii": Decimal("15")},
    )



class Migration(migrations.Migration):

    initial = True

    replaces = [('training', '0001_initial'), ('training', '0002_studios'), ('training', '0003_default_studio_subsidies'), ('training', '0004_visits_consultations'), ('training', '0005_secondments'), ('training', '0006_education'), ('training', '0007_programmes'), ('training', '0008_flexible_teams'), ('training', '0009_confirm_visits_and_evaluations'), ('training', '0010_secondment_linked_leader'), ('training', '0011_backfill_history_dates')]

    dependencies = [
        ('codes', '0001_squashed_0_1'),
        ('org', '0001_squashed_0_1'),
        ('people', '0001_squashed_0_1'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Cohort',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveIntegerField(validators=[django.core.validators.MinValueValidator(2000), django.core.validators.MaxValueValidator(2100)], verbose_name='年度')),
                ('name', models.CharField(max_length=60, verbose_name='名称')),
                ('start_on', models.DateField(validators=[yicai.people.validators.not_before_1900], verbose_name='开始日期')),
                ('end_on', models.DateField(verbose_name='结束日期')),
                ('status', models.CharField(choices=[('selecting', '遴选中'), ('running', '培养中'), ('finished', '已结束')], default='selecting', max_length=12, verbose_name='状态')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
            ],
            options={
                'verbose_name': '培养期',
                'verbose_name_plural': '培养期',
                'ordering': ['-year', '-start_on', 'id'],
            },
        ),
        migrations.CreateModel(
            name='CreditRequirement',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveIntegerField(help_text='自该年度起适用。', unique=True, validators=[django.core.validators.MinValueValidator(2000), django.core.validators.MaxValueValidator(2100)], verbose_name='起始年度')),
                ('total', models.DecimalField(decimal_places=1, max_digits=4, validators=[django.core.validators.MinValueValidator(Decimal('0')), django.core.validators.MaxValueValidator(Decimal('100'))], verbose_name='年度总学分')),
                ('class_i', models.DecimalField(decimal_places=1, max_digits=4, validators=[django.core.validators.MinValueValidator(Decimal('0')), django.core.validators.MaxValueValidator(Decimal('100'))], verbose_name='其中Ⅰ类学分不少于')),
                ('class_ii', models.DecimalField(decimal_places=1, max_digits=4, validators=[django.core.validators.MinValueValidator(Decimal('0')), django.core.validators.MaxValueValidator(Decimal('100'))], verbose_name='其中Ⅱ类学分不少于')),
            ],
            options={
                'verbose_name': '学分要求',
                'verbose_name_plural': '学分要求',
                'ordering': ['-year'],
            },
        ),
        migrations.CreateModel(
            name='StudioSubsidy',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('tier', models.CharField(choices=[('national', '国家级'), ('provincial', '省级'), ('district', '区级')], max_length=12, unique=True, verbose_name='级别')),
                ('yearly_amount', models.DecimalField(decimal_places=2, max_digits=12, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='年度经费补助（元）')),
            ],
            options={
                'verbose_name': '工作室经费标准',
                'verbose_name_plural': '工作室经费标准',
                'ordering': ['-yearly_amount'],
            },
        ),
        migrations.CreateModel(
            name='Apprenticeship',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('apprentice', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='apprenticeships', to='people.person', verbose_name='徒弟')),
            ],
            options={
                'verbose_name': '徒弟',
                'verbose_name_plural': '徒弟',
            },
        ),
        migrations.CreateModel(
            name='CohortMember',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('entered_on', models.DateField(validators=[yicai.people.validators.not_before_1900], verbose_name='入选日期')),
                ('exited_on', models.DateField(blank=True, null=True, verbose_name='结业/退出日期')),
                ('exit_reason', models.CharField(blank=True, max_length=200, verbose_name='退出原因')),
                ('status', models.CharField(choices=[('active', '培养中'), ('completed', '已结业'), ('withdrawn', '已退出')], default='active', max_length=12, verbose_name='状态')),
                ('certificate_number', models.CharField(blank=True, max_length=40, verbose_name='结业证书编号')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='登记时间')),
                ('cohort', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='members', to='training.cohort', verbose_name='培养期')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='cohort_memberships', to='people.person', verbose_name='学员')),
            ],
            options={
                'verbose_name': '培养对象',
                'verbose_name_plural': '培养对象',
                'ordering': ['cohort', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Consultation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('held_on', models.DateField(validators=[yicai.people.validators.not_in_future, yicai.people.validators.not_before_1900], verbose_name='会诊日期')),
                ('summary', models.TextField(verbose_name='病情摘要')),
                ('advice', models.TextField(blank=True, verbose_name='会诊意见')),
                ('outcome', models.CharField(blank=True, max_length=200, verbose_name='转归')),
                ('expert', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='consultations_given', to='people.person', verbose_name='会诊专家')),
                ('institution', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='consultations', to='org.institution', verbose_name='申请机构')),
                ('requester', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='consultations_asked', to='people.person', verbose_name='申请医生')),
            ],
            options={
                'verbose_name': '远程会诊',
                'verbose_name_plural': '远程会诊',
                'ordering': ['-held_on', '-id'],
            },
        ),
        migrations.CreateModel(
            name='EducationEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('lecture', '小讲课'), ('case_discussion', '疑难病例讨论'), ('technique_lecture', '技术交流讲座'), ('skills_training', '技能培训'), ('conference', '学术会议'), ('other', '其他')], max_length=20, verbose_name='形式')),
                ('title', models.CharField(max_length=200, verbose_name='主题')),
                ('held_on', models.DateField(validators=[yicai.people.validators.not_before_1900], verbose_name='日期')),
                ('speaker_name', models.CharField(blank=True, help_text='主讲人不在人才档案中时填写。', max_length=50, verbose_name='院外主讲人')),
                ('hours', models.DecimalField(decimal_places=1, max_digits=4, validators=[django.core.validators.MinValueValidator(Decimal('0.5')), django.core.validators.MaxValueValidator(Decimal('200'))], verbose_name='学时')),
                ('credit_class', models.CharField(choices=[('class_i', 'Ⅰ类学分'), ('class_ii', 'Ⅱ类学分')], max_length=10, verbose_name='学分类别')),
                ('credits', models.DecimalField(decimal_places=1, max_digits=4, validators=[django.core.validators.MinValueValidator(Decimal('0')), django.core.validators.MaxValueValidator(Decimal('25'))], verbose_name='每人学分')),
                ('note', models.CharField(blank=True, max_length=300, verbose_name='说明')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='登记时间')),
                ('department', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='education_events', to='org.department', verbose_name='主办科室')),
                ('institution', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='education_events', to='org.institution', verbose_name='主办机构')),
                ('speaker', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='education_events_given', to='people.person', verbose_name='主讲人')),
            ],
            options={
                'verbose_name': '继续教育活动',
                'verbose_name_plural': '继续教育活动',
                'ordering': ['-held_on', '-id'],
            },
        ),
        migrations.CreateModel(
            name='Attendance',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('credits', models.DecimalField(blank=True, decimal_places=1, help_text='留空即按活动学分。', max_digits=4, null=True, validators=[django.core.validators.MinValueValidator(Decimal('0')), django.core.validators.MaxValueValidator(Decimal('25'))], verbose_name='授予学分')),
                ('recorded_at', models.DateTimeField(auto_now_add=True, verbose_name='登记时间')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='education_attendances', to='people.person', verbose_name='参加人员')),
                ('event', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='attendances', to='training.educationevent', verbose_name='继续教育活动')),
            ],
            options={
                'verbose_name': '继续教育签到',
                'verbose_name_plural': '继续教育签到',
                'ordering': ['event', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Enrolment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('short_course', '短期培训'), ('degree', '学历教育')], max_length=16, verbose_name='类别')),
                ('provider', models.CharField(max_length=100, verbose_name='培训/就读单位')),
                ('programme', models.CharField(max_length=100, verbose_name='项目/专业')),
                ('start_on', models.DateField(validators=[yicai.people.validators.not_before_1900], verbose_name='开始日期')),
                ('end_on', models.DateField(blank=True, null=True, verbose_name='结束日期')),
                ('status', models.CharField(choices=[('enrolled', '在读/在训'), ('completed', '已结业/毕业'), ('withdrawn', '已退出')], default='enrolled', max_length=12, verbose_name='状态')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='登记时间')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='enrolments', to='people.person', verbose_name='人员')),
            ],
            options={
                'verbose_name': '学历教育与短期培训',
                'verbose_name_plural': '学历教育与短期培训',
                'ordering': ['-start_on', '-id'],
            },
        ),
        migrations.CreateModel(
            name='ExpertStudio',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, verbose_name='工作室名称')),
                ('tier', models.CharField(choices=[('national', '国家级'), ('provincial', '省级'), ('district', '区级')], max_length=12, verbose_name='级别')),
                ('founded_on', models.DateField(validators=[yicai.people.validators.not_in_future, yicai.people.validators.not_before_1900], verbose_name='成立日期')),
                ('closed_on', models.DateField(blank=True, null=True, verbose_name='撤销日期')),
                ('department', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='studios', to='org.department', verbose_name='依托科室')),
                ('institution', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='studios', to='org.institution', verbose_name='依托机构')),
                ('lead', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='studios_led', to='people.person', verbose_name='领衔专家')),
            ],
            options={
                'verbose_name': '名医工作室',
                'verbose_name_plural': '名医工作室',
                'ordering': ['-founded_on', 'id'],
            },
        ),
        migrations.CreateModel(
            name='ExternalCredit',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('earned_on', models.DateField(validators=[yicai.people.validators.not_in_future, yicai.people.validators.not_before_1900], verbose_name='取得日期')),
                ('title', models.CharField(max_length=200, verbose_name='项目名称')),
                ('provider', models.CharField(max_length=100, verbose_name='举办单位')),
                ('credit_class', models.CharField(choices=[('class_i', 'Ⅰ类学分'), ('class_ii', 'Ⅱ类学分')], max_length=10, verbose_name='学分类别')),
                ('credits', models.DecimalField(decimal_places=1, max_digits=4, validators=[django.core.validators.MinValueValidator(Decimal('0')), django.core.validators.MaxValueValidator(Decimal('25'))], verbose_name='学分')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='登记时间')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='external_credits', to='people.person', verbose_name='人员')),
            ],
            options={
                'verbose_name': '院外学分',
                'verbose_name_plural': '院外学分',
                'ordering': ['-earned_on', '-id'],
            },
        ),
        migrations.CreateModel(
            name='FlexibleTeam',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, verbose_name='团队名称')),
                ('introduced_on', models.DateField(validators=[yicai.people.validators.not_in_future, yicai.people.validators.not_before_1900], verbose_name='引进日期')),
                ('ended_on', models.DateField(blank=True, null=True, verbose_name='结束日期')),
                ('agreement', models.TextField(blank=True, verbose_name='合作协议要点')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='登记时间')),
                ('department', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='teams', to='org.department', verbose_name='对口科室')),
                ('institution', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='teams_hosted', to='org.institution', verbose_name='引进机构')),
                ('lead', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='teams_led', to='people.person', verbose_name='团队负责人')),
                ('source', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='teams_sent', to='org.institution', verbose_name='派出医院')),
            ],
            options={
                'verbose_name': '柔性引进团队',
                'verbose_name_plural': '柔性引进团队',
                'ordering': ['-introduced_on', 'id'],
            },
        ),
        migrations.CreateModel(
            name='FlexibleTeamMember',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(blank=True, max_length=50, verbose_name='团队职责')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='team_memberships', to='people.person', verbose_name='成员')),
                ('team', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='members', to='training.flexibleteam')),
            ],
            options={
                'verbose_name': '团队成员',
                'verbose_name_plural': '团队成员',
            },
        ),
        migrations.CreateModel(
            name='MemberGoal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveIntegerField(validators=[django.core.validators.MinValueValidator(2000), django.core.validators.MaxValueValidator(2100)], verbose_name='年度')),
                ('text', models.CharField(max_length=300, verbose_name='目标')),
                ('target_kind', models.CharField(blank=True, choices=[('title', '职称晋升'), ('technique', '新技术掌握'), ('research', '科研成果'), ('training', '进修培训'), ('other', '其他')], max_length=12, verbose_name='目标类别')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='登记时间')),
                ('member', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='goals', to='training.cohortmember', verbose_name='培养对象')),
            ],
            options={
                'verbose_name': '年度培养目标',
                'verbose_name_plural': '年度培养目标',
                'ordering': ['member', 'year', 'id'],
            },
        ),
        migrations.CreateModel(
            name='MentorEvaluation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('period', models.CharField(help_text='如：2025年上半年', max_length=30, verbose_name='评价期间')),
                ('rating', models.CharField(choices=[('excellent', '优秀'), ('good', '良好'), ('pass', '合格'), ('fail', '不合格')], max_length=12, verbose_name='评价等级')),
                ('comments', models.TextField(blank=True, verbose_name='评语')),
                ('recorded_at', models.DateTimeField(auto_now_add=True, verbose_name='登记时间')),
                ('confirmed_at', models.DateTimeField(blank=True, null=True, verbose_name='导师确认时间')),
                ('confirmed_by_name', models.CharField(blank=True, max_length=50, verbose_name='确认人')),
                ('apprenticeship', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='evaluations', to='training.apprenticeship', verbose_name='徒弟')),
                ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': '带教评价',
                'verbose_name_plural': '带教评价',
                'ordering': ['-recorded_at', '-id'],
            },
            bases=(yicai.modelkit.ConfirmedByName, models.Model),
        ),
        migrations.CreateModel(
            name='Mentorship',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('internal', '院内导师'), ('external', '院外导师')], max_length=12, verbose_name='导师类别')),
                ('start_on', models.DateField(validators=[yicai.people.validators.not_before_1900], verbose_name='开始日期')),
                ('end_on', models.DateField(blank=True, null=True, verbose_name='结束日期')),
                ('goals', models.TextField(blank=True, verbose_name='带教目标')),
                ('target_visits', models.PositiveIntegerField(default=0, verbose_name='目标来院次数')),
                ('target_lectures', models.PositiveIntegerField(default=0, verbose_name='目标授课次数')),
                ('target_operations', models.PositiveIntegerField(default=0, verbose_name='目标手术指导台次')),
                ('status', models.CharField(choices=[('active', '进行中'), ('completed', '已结业'), ('ended', '已终止')], default='active', max_length=12, verbose_name='状态')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('department', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='mentorships', to='org.department', verbose_name='带教科室')),
                ('institution', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='mentorships', to='org.institution', verbose_name='带教机构')),
                ('mentor', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='mentorships_led', to='people.person', verbose_name='导师')),
            ],
            options={
                'verbose_name': '师带徒',
                'verbose_name_plural': '师带徒',
                'ordering': ['-start_on', 'id'],
            },
        ),
        migrations.CreateModel(
            name='CareerPlan',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('direction', models.TextField(blank=True, verbose_name='发展方向')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                ('person', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='career_plan', to='people.person', verbose_name='人员')),
                ('cohort_member', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='career_plans', to='training.cohortmember', verbose_name='所在培养计划')),
                ('mentorship', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='career_plans', to='training.mentorship', verbose_name='师带徒关系')),
            ],
            options={
                'verbose_name': '职业生涯规划',
                'verbose_name_plural': '职业生涯规划',
                'ordering': ['-updated_at', '-id'],
            },
        ),
        migrations.AddField(
            model_name='apprenticeship',
            name='mentorship',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='apprenticeships', to='training.mentorship'),
        ),
        migrations.CreateModel(
            name='Nomination',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reason', models.TextField(verbose_name='推荐理由')),
                ('status', models.CharField(choices=[('nominated', '已提名'), ('approved', '入选'), ('rejected', '未入选')], default='nominated', max_length=12, verbose_name='状态')),
                ('nominated_on', models.DateField(validators=[yicai.people.validators.not_before_1900], verbose_name='提名日期')),
                ('decided_on', models.DateField(blank=True, null=True, verbose_name='决定日期')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='提名时间')),
                ('institution', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='nominations', to='org.institution', verbose_name='提名机构')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='nominations', to='people.person', verbose_name='被提名人')),
            ],
            options={
                'verbose_name': '提名',
                'verbose_name_plural': '提名',
                'ordering': ['round', 'institution', 'id'],
            },
        ),
        migrations.AddField(
            model_name='cohortmember',
            name='nomination',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='member', to='training.nomination', verbose_name='提名'),
        ),
        migrations.CreateModel(
            name='Programme',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=60, verbose_name='计划名称')),
                ('kind', models.CharField(choices=[('lead_goose', '头雁计划（管理人才）'), ('elite', '英才计划（学科带头人）'), ('rising', '育才计划（青年骨干）')], max_length=12, verbose_name='类别')),
                ('duration_years', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(10)], verbose_name='培养周期（年）')),
                ('quota', models.PositiveIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(1000)], verbose_name='每期名额')),
                ('description', models.TextField(blank=True, verbose_name='培养目标与内容')),
                ('requires_internal_mentor', models.BooleanField(default=False, verbose_name='须有院内导师')),
                ('requires_external_mentor', models.BooleanField(default=False, verbose_name='须有院外导师')),
                ('min_age', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(18), django.core.validators.MaxValueValidator(70)], verbose_name='最低年龄')),
                ('max_age', models.PositiveSmallIntegerField(blank=True, help_text='以该期开始日期计算的周岁。', null=True, validators=[django.core.validators.MinValueValidator(18), django.core.validators.MaxValueValidator(70)], verbose_name='最高年龄')),
                ('min_title_grade', models.CharField(blank=True, choices=[('junior_assistant', '初级（士级）'), ('junior_practitioner', '初级（师级）'), ('intermediate', '中级'), ('associate_senior', '副高级'), ('senior', '正高级')], max_length=24, verbose_name='最低职称级别')),
                ('active', models.BooleanField(default=True, verbose_name='在用')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('region', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='programmes', to='org.region', verbose_name='所属卫健委辖区')),
            ],
            options={
                'verbose_name': '培养计划',
                'verbose_name_plural': '培养计划',
                'ordering': ['region', 'id'],
            },
        ),
        migrations.AddField(
            model_name='cohort',
            name='programme',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='cohorts', to='training.programme', verbose_name='培养计划'),
        ),
        migrations.CreateModel(
            name='ReviewScore',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reviewer_name', models.CharField(max_length=50, verbose_name='评审专家')),
                ('score', models.DecimalField(decimal_places=1, max_digits=5, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(100)], verbose_name='评分')),
                ('comment', models.CharField(blank=True, max_length=300, verbose_name='评语')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='评分时间')),
                ('nomination', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='scores', to='training.nomination', verbose_name='提名')),
                ('reviewer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='review_scores', to='people.person', verbose_name='评审专家（人才档案）')),
            ],
            options={
                'verbose_name': '评审评分',
                'verbose_name_plural': '评审评分',
                'ordering': ['nomination', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Secondment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('host_department', models.CharField(max_length=100, verbose_name='进修科室')),
                ('start_on', models.DateField(validators=[yicai.people.validators.not_before_1900], verbose_name='开始日期')),
                ('end_on', models.DateField(verbose_name='结束日期')),
                ('objectives', models.TextField(blank=True, verbose_name='进修目标')),
                ('status', models.CharField(choices=[('active', '进修中'), ('completed', '已结业'), ('withdrawn', '已中止')], default='active', max_length=12, verbose_name='状态')),
                ('completed_on', models.DateField(blank=True, null=True, verbose_name='结业日期')),
                ('completion_report', models.TextField(blank=True, verbose_name='结业报告')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='登记时间')),
                ('host', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='secondments_hosted', to='org.institution', verbose_name='进修医院')),
                ('linked_leader', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='secondments_led', to='people.person', verbose_name='挂钩领导')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='secondments', to='people.person', verbose_name='进修人员')),
            ],
            options={
                'verbose_name': '进修',
                'verbose_name_plural': '进修',
                'ordering': ['-start_on', 'id'],
            },
        ),
        migrations.CreateModel(
            name='MonthlyReport',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(help_text='该月第一天', verbose_name='月份')),
                ('content', models.TextField(verbose_name='本月学习内容')),
                ('techniques', models.CharField(blank=True, max_length=300, verbose_name='学习的技术')),
                ('submitted_at', models.DateTimeField(auto_now_add=True, verbose_name='提交时间')),
                ('comment', models.TextField(blank=True, verbose_name='领导批注')),
                ('commented_at', models.DateTimeField(blank=True, null=True, verbose_name='批注时间')),
                ('comment_entered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='批注代录账号')),
                ('commented_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='people.person', verbose_name='批注人')),
                ('entered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='月报代录账号')),
                ('secondment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reports', to='training.secondment', verbose_name='进修')),
            ],
            options={
                'verbose_name': '进修月报',
                'verbose_name_plural': '进修月报',
                'ordering': ['-month', '-id'],
            },
        ),
        migrations.CreateModel(
            name='SecondmentBatch',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, verbose_name='批次名称')),
                ('year', models.PositiveIntegerField(verbose_name='年度')),
                ('note', models.CharField(blank=True, max_length=300, verbose_name='说明')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('institution', models.ForeignKey(blank=True, help_text='由卫健委统一组织时留空。', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='secondment_batches', to='org.institution', verbose_name='组织机构')),
                ('region', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='secondment_batches', to='org.region', verbose_name='所属卫健委辖区')),
            ],
            options={
                'verbose_name': '进修批次',
                'verbose_name_plural': '进修批次',
                'ordering': ['-year', 'name'],
            },
        ),
        migrations.AddField(
            model_name='secondment',
            name='batch',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='secondments', to='training.secondmentbatch', verbose_name='进修批次'),
        ),
        migrations.CreateModel(
            name='SecondmentNeed',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('raised_on', models.DateField(validators=[yicai.people.validators.not_in_future, yicai.people.validators.not_before_1900], verbose_name='提出日期')),
                ('content', models.CharField(max_length=300, verbose_name='需求')),
                ('resolved_on', models.DateField(blank=True, null=True, verbose_name='解决日期')),
                ('resolution', models.CharField(blank=True, max_length=300, verbose_name='解决情况')),
                ('secondment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='needs', to='training.secondment', verbose_name='进修')),
            ],
            options={
                'verbose_name': '进修需求',
                'verbose_name_plural': '进修需求',
                'ordering': ['resolved_on', '-raised_on', '-id'],
            },
        ),
        migrations.CreateModel(
            name='SelectionRound',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=60, verbose_name='名称')),
                ('opens_on', models.DateField(validators=[yicai.people.validators.not_before_1900], verbose_name='提名开始日期')),
                ('closes_on', models.DateField(verbose_name='提名截止日期')),
                ('status', models.CharField(choices=[('open', '征集提名中'), ('reviewing', '评审中'), ('approved', '已批准')], default='open', max_length=12, verbose_name='状态')),
                ('approved_on', models.DateField(blank=True, null=True, verbose_name='批准日期')),
                ('note', models.CharField(blank=True, max_length=300, verbose_name='说明')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('cohort', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='rounds', to='training.cohort', verbose_name='培养期')),
            ],
            options={
                'verbose_name': '遴选',
                'verbose_name_plural': '遴选',
                'ordering': ['-opens_on', '-id'],
            },
        ),
        migrations.AddField(
            model_name='nomination',
            name='round',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='nominations', to='training.selectionround', verbose_name='遴选'),
        ),
        migrations.CreateModel(
            name='StudioFunding',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveIntegerField(verbose_name='年度')),
                ('amount', models.DecimalField(decimal_places=2, max_digits=12, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='金额（元）')),
                ('note', models.CharField(blank=True, max_length=200, verbose_name='说明')),
                ('studio', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='fundings', to='training.expertstudio')),
            ],
            options={
                'verbose_name': '工作室经费',
                'verbose_name_plural': '工作室经费',
                'ordering': ['-year'],
            },
        ),
        migrations.CreateModel(
            name='StudioMember',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('joined_on', models.DateField(validators=[yicai.people.validators.not_in_future, yicai.people.validators.not_before_1900], verbose_name='加入日期')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='studio_memberships', to='people.person', verbose_name='成员')),
                ('studio', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='members', to='training.expertstudio')),
            ],
            options={
                'verbose_name': '工作室成员',
                'verbose_name_plural': '工作室成员',
            },
        ),
        migrations.CreateModel(
            name='Technique',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, verbose_name='技术名称')),
                ('category', models.CharField(choices=[('surgery', '手术'), ('intervention', '介入/微创'), ('diagnosis', '诊断检查'), ('treatment', '治疗'), ('nursing', '护理'), ('tcm', '中医适宜技术'), ('other', '其他')], max_length=16, verbose_name='类别')),
                ('origin', models.CharField(choices=[('mentorship', '师带徒'), ('studio', '名医工作室'), ('secondment', '进修'), ('introduction', '人才引进'), ('own', '自主开展')], max_length=16, verbose_name='来源')),
                ('status', models.CharField(choices=[('planned', '计划引进'), ('approved', '已批准'), ('first_performed', '首例开展'), ('routine', '常规开展')], default='planned', max_length=16, verbose_name='状态')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='登记时间')),
                ('department', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='techniques', to='org.department', verbose_name='科室')),
                ('institution', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='techniques', to='org.institution', verbose_name='机构')),
                ('mentorship', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='techniques', to='training.mentorship', verbose_name='师带徒关系')),
                ('secondment', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='techniques', to='training.secondment', verbose_name='进修')),
            ],
            options={
                'verbose_name': '新技术新项目',
                'verbose_name_plural': '新技术新项目',
                'ordering': ['institution', 'name'],
            },
        ),
        migrations.CreateModel(
            name='CaseLog',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('performed_on', models.DateField(validators=[yicai.people.validators.not_in_future, yicai.people.validators.not_before_1900], verbose_name='日期')),
                ('role', models.CharField(choices=[('observed', '观摩'), ('assisted', '助手'), ('supervised', '在指导下完成'), ('independent', '独立完成')], max_length=12, verbose_name='参与程度')),
                ('note', models.CharField(blank=True, max_length=300, verbose_name='说明')),
                ('verified_at', models.DateTimeField(blank=True, null=True, verbose_name='审核时间')),
                ('verified_by_name', models.CharField(blank=True, max_length=50, verbose_name='审核人')),
                ('verified_on_paper', models.BooleanField(default=False, verbose_name='纸质审核')),
                ('paper_reference', models.CharField(blank=True, max_length=100, verbose_name='纸质审核凭证')),
                ('paper_scan', models.FileField(blank=True, max_length=200, upload_to=yicai.training.models.mentoring.scan_path, verbose_name='纸质审核扫描件')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='登记时间')),
                ('apprentice', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='case_logs', to='people.person', verbose_name='记录人')),
                ('entered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='录入账号')),
                ('supervisor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='supervised_case_logs', to='people.person', verbose_name='指导/审核人')),
                ('verified_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='审核账号')),
                ('mentorship', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='case_logs', to='training.mentorship', verbose_name='师带徒关系')),
                ('technique', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='case_logs', to='training.technique', verbose_name='技术')),
            ],
            options={
                'verbose_name': '病例/手术记录',
                'verbose_name_plural': '病例/手术记录',
                'ordering': ['-performed_on', '-id'],
            },
        ),
        migrations.CreateModel(
            name='CareerGoal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveIntegerField(validators=[django.core.validators.MinValueValidator(2000), django.core.validators.MaxValueValidator(2100)], verbose_name='年度')),
                ('kind', models.CharField(choices=[('title', '职称晋升'), ('technique', '新技术掌握'), ('research', '科研成果'), ('training', '进修培训'), ('other', '其他')], max_length=12, verbose_name='类别')),
                ('text', models.CharField(max_length=300, verbose_name='目标')),
                ('target_papers', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(50)], verbose_name='论文篇数')),
                ('target_training_kind', models.CharField(blank=True, choices=[('secondment', '进修'), ('short_course', '短期培训'), ('degree', '学历教育')], max_length=16, verbose_name='培训类别')),
                ('done_on', models.DateField(blank=True, null=True, validators=[yicai.people.validators.not_before_1900], verbose_name='完成日期')),
                ('done_note', models.CharField(blank=True, max_length=300, verbose_name='完成说明')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='登记时间')),
                ('done_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='确认账号')),
                ('target_title', models.ForeignKey(blank=True, db_index=False, limit_choices_to={'parent__isnull': False, 'table__key': 'title'}, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='codes.code', verbose_name='目标职称')),
                ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='goals', to='training.careerplan', verbose_name='职业生涯规划')),
                ('target_technique', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='career_goals', to='training.technique', verbose_name='目标技术')),
            ],
            options={
                'verbose_name': '职业生涯目标',
                'verbose_name_plural': '职业生涯目标',
                'ordering': ['plan', 'year', 'id'],
            },
        ),
        migrations.CreateModel(
            name='TrainingQuota',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveIntegerField(validators=[django.core.validators.MinValueValidator(2000), django.core.validators.MaxValueValidator(2100)], verbose_name='年度')),
                ('kind', models.CharField(choices=[('secondment', '进修'), ('short_course', '短期培训'), ('degree', '学历教育')], max_length=16, verbose_name='培训类别')),
                ('number', models.PositiveIntegerField(validators=[django.core.validators.MaxValueValidator(10000)], verbose_name='指标人数')),
                ('institution', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='training_quotas', to='org.institution', verbose_name='机构')),
            ],
            options={
                'verbose_name': '培训指标',
                'verbose_name_plural': '培训指标',
                'ordering': ['-year', 'institution', 'kind'],
            },
        ),
        migrations.CreateModel(
            name='Visit',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('clinic', '坐诊'), ('ward_round', '查房'), ('lecture', '授课'), ('surgery_guidance', '手术指导'), ('free_clinic', '义诊'), ('online_teaching', '线上教学')], max_length=20, verbose_name='形式')),
                ('held_on', models.DateField(validators=[yicai.people.validators.not_before_1900], verbose_name='日期')),
                ('patients', models.PositiveIntegerField(default=0, validators=[django.core.validators.MaxValueValidator(100000, message='请填写 0 至 100000 的整数。')], verbose_name='诊疗人次')),
                ('attendees', models.PositiveIntegerField(default=0, validators=[django.core.validators.MaxValueValidator(100000, message='请填写 0 至 100000 的整数。')], verbose_name='参加人数')),
                ('operations', models.PositiveIntegerField(default=0, validators=[django.core.validators.MaxValueValidator(100000, message='请填写 0 至 100000 的整数。')], verbose_name='手术台次')),
                ('note', models.CharField(blank=True, max_length=300, verbose_name='说明')),
                ('confirmed_at', models.DateTimeField(blank=True, null=True, verbose_name='专家确认时间')),
                ('confirmed_by_name', models.CharField(blank=True, max_length=50, verbose_name='确认人')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='登记时间')),
                ('department', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='visits', to='org.department', verbose_name='科室')),
                ('expert', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='visits', to='people.person', verbose_name='专家')),
                ('institution', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='visits', to='org.institution', verbose_name='机构')),
                ('mentorship', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='visits', to='training.mentorship', verbose_name='师带徒关系')),
                ('studio', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='visits', to='training.expertstudio', verbose_name='名医工作室')),
            ],
            options={
                'verbose_name': '专家活动',
                'verbose_name_plural': '专家活动',
                'ordering': ['-held_on', '-id'],
            },
            bases=(yicai.modelkit.ConfirmedByName, models.Model),
        ),
        migrations.CreateModel(
            name='ConfirmationLink',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('token_digest', models.CharField(max_length=64, unique=True)),
                ('expires_at', models.DateTimeField(verbose_name='有效期至')),
                ('used_at', models.DateTimeField(blank=True, null=True, verbose_name='使用时间')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('case_log', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='links', to='training.caselog')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('evaluation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='links', to='training.mentorevaluation')),
                ('visit', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='links', to='training.visit')),
            ],
            options={
                'verbose_name': '确认链接',
                'verbose_name_plural': '确认链接',
            },
        ),
        migrations.CreateModel(
            name='AnnualReview',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveIntegerField(validators=[django.core.validators.MinValueValidator(2000), django.core.validators.MaxValueValidator(2100)], verbose_name='年度')),
                ('rating', models.CharField(choices=[('excellent', '优秀'), ('qualified', '合格'), ('basic', '基本合格'), ('unqualified', '不合格')], max_length=12, verbose_name='考核结果')),
                ('comments', models.TextField(blank=True, verbose_name='考核意见')),
                ('reviewer', models.CharField(max_length=50, verbose_name='考核人')),
                ('reviewed_on', models.DateField(validators=[yicai.people.validators.not_before_1900], verbose_name='考核日期')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='登记时间')),
                ('member', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reviews', to='training.cohortmember', verbose_name='培养对象')),
            ],
            options={
                'verbose_name': '年度考核',
                'verbose_name_plural': '年度考核',
                'ordering': ['member', '-year'],
                'constraints': [models.UniqueConstraint(fields=('member', 'year'), name='annual_review_once', violation_error_message='该学员本年度的考核已登记。')],
            },
        ),
        migrations.AddIndex(
            model_name='educationevent',
            index=models.Index(fields=['institution', 'held_on'], name='training_ed_institu_5b7c8d_idx'),
        ),
        migrations.AddConstraint(
            model_name='educationevent',
            constraint=models.CheckConstraint(condition=models.Q(('credits__gte', 0)), name='education_event_credits_not_negative'),
        ),
        migrations.AddConstraint(
            model_name='educationevent',
            constraint=models.CheckConstraint(condition=models.Q(('speaker__isnull', True), ('speaker_name', ''), _connector='OR'), name='education_event_one_speaker', violation_error_message='主讲人与院外主讲人只能填写一项。'),
        ),
        migrations.AddConstraint(
            model_name='attendance',
            constraint=models.UniqueConstraint(fields=('event', 'person'), name='attendance_once_per_event', violation_error_message='该人员已登记参加此活动。'),
        ),
        migrations.AddConstraint(
            model_name='attendance',
            constraint=models.CheckConstraint(condition=models.Q(('credits__isnull', True), ('credits__gte', 0), _connector='OR'), name='attendance_credits_not_negative'),
        ),
        migrations.AddIndex(
            model_name='enrolment',
            index=models.Index(fields=['kind', 'start_on'], name='training_en_kind_622681_idx'),
        ),
        migrations.AddConstraint(
            model_name='enrolment',
            constraint=models.CheckConstraint(condition=models.Q(('end_on__isnull', True), ('end_on__gte', models.F('start_on')), _connector='OR'), name='enrolment_dates_in_order'),
        ),
        migrations.AddConstraint(
            model_name='enrolment',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'completed'), _negated=True), ('end_on__isnull', False), _connector='OR'), name='enrolment_completed_has_end', violation_error_message='已结业/毕业须填写结束日期。'),
        ),
        migrations.AddConstraint(
            model_name='expertstudio',
            constraint=models.CheckConstraint(condition=models.Q(('closed_on__isnull', True), ('closed_on__gte', models.F('founded_on')), _connector='OR'), name='studio_dates_in_order'),
        ),
        migrations.AddConstraint(
            model_name='externalcredit',
            constraint=models.CheckConstraint(condition=models.Q(('credits__gt', 0)), name='external_credit_positive'),
        ),
        migrations.AddConstraint(
            model_name='flexibleteam',
            constraint=models.CheckConstraint(condition=models.Q(('ended_on__isnull', True), ('ended_on__gte', models.F('introduced_on')), _connector='OR'), name='team_dates_in_order'),
        ),
        migrations.AddConstraint(
            model_name='flexibleteam',
            constraint=models.UniqueConstraint(fields=('institution', 'name'), name='team_name_once_per_institution', violation_error_message='本机构已有同名的柔性引进团队。'),
        ),
        migrations.AddConstraint(
            model_name='flexibleteammember',
            constraint=models.UniqueConstraint(fields=('team', 'person'), name='team_member_once', violation_error_message='该人员已是团队成员。'),
        ),
        migrations.AddConstraint(
            model_name='mentorevaluation',
            constraint=models.UniqueConstraint(fields=('apprenticeship', 'period'), name='evaluation_once_a_period', violation_error_message='该徒弟本期间的评价已登记。'),
        ),
        migrations.AddConstraint(
            model_name='mentorship',
            constraint=models.CheckConstraint(condition=models.Q(('end_on__isnull', True), ('end_on__gte', models.F('start_on')), _connector='OR'), name='mentorship_dates_in_order'),
        ),
        migrations.AddConstraint(
            model_name='apprenticeship',
            constraint=models.UniqueConstraint(fields=('mentorship', 'apprentice'), name='apprentice_once_per_mentorship', violation_error_message='该徒弟已在此师带徒关系中。'),
        ),
        migrations.AddConstraint(
            model_name='cohortmember',
            constraint=models.UniqueConstraint(fields=('cohort', 'person'), name='cohort_member_once', violation_error_message='该人员已是本期培养对象。'),
        ),
        migrations.AddConstraint(
            model_name='cohortmember',
            constraint=models.UniqueConstraint(condition=models.Q(('certificate_number', ''), _negated=True), fields=('certificate_number',), name='cohort_certificate_number_unique'),
        ),
        migrations.AddConstraint(
            model_name='cohortmember',
            constraint=models.CheckConstraint(condition=models.Q(('exited_on__isnull', True), ('exited_on__gte', models.F('entered_on')), _connector='OR'), name='cohort_member_dates_in_order'),
        ),
        migrations.AddConstraint(
            model_name='cohortmember',
            constraint=models.CheckConstraint(condition=models.Q(('status', 'active'), ('exited_on__isnull', False), _connector='OR'), name='cohort_member_exit_has_date', violation_error_message='结业或退出须填写日期。'),
        ),
        migrations.AddConstraint(
            model_name='programme',
            constraint=models.UniqueConstraint(fields=('region', 'name'), name='programme_name_once', violation_error_message='本辖区已有同名的培养计划。'),
        ),
        migrations.AddConstraint(
            model_name='programme',
            constraint=models.CheckConstraint(condition=models.Q(('min_age__isnull', True), ('max_age__isnull', True), ('max_age__gte', models.F('min_age')), _connector='OR'), name='programme_ages_in_order', violation_error_message='最高年龄不能低于最低年龄。'),
        ),
        migrations.AddConstraint(
            model_name='cohort',
            constraint=models.CheckConstraint(condition=models.Q(('end_on__isnull', True), ('end_on__gte', models.F('start_on')), _connector='OR'), name='cohort_dates_in_order'),
        ),
        migrations.AddConstraint(
            model_name='cohort',
            constraint=models.UniqueConstraint(fields=('programme', 'name'), name='cohort_name_once', violation_error_message='该培养计划已有同名的一期。'),
        ),
        migrations.AddConstraint(
            model_name='reviewscore',
            constraint=models.UniqueConstraint(fields=('nomination', 'reviewer_name'), name='review_score_once_per_reviewer', violation_error_message='该评审专家已为此提名评分。'),
        ),
        migrations.AddConstraint(
            model_name='reviewscore',
            constraint=models.CheckConstraint(condition=models.Q(('score__gte', 0), ('score__lte', 100)), name='review_score_in_range'),
        ),
        migrations.AddConstraint(
            model_name='monthlyreport',
            constraint=models.UniqueConstraint(fields=('secondment', 'month'), name='monthly_report_once', violation_error_message='该月的月报已提交。'),
        ),
        migrations.AddConstraint(
            model_name='secondmentbatch',
            constraint=models.UniqueConstraint(fields=('region', 'name'), name='secondment_batch_name_once', violation_error_message='本辖区已有同名的进修批次。'),
        ),
        migrations.AddConstraint(
            model_name='secondment',
            constraint=models.CheckConstraint(condition=models.Q(('end_on__isnull', True), ('end_on__gte', models.F('start_on')), _connector='OR'), name='secondment_dates_in_order'),
        ),
        migrations.AddConstraint(
            model_name='secondment',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'completed'), _negated=True), ('completed_on__isnull', False), _connector='OR'), name='secondment_completed_has_date', violation_error_message='结业须填写结业日期。'),
        ),
        migrations.AddConstraint(
            model_name='secondmentneed',
            constraint=models.CheckConstraint(condition=models.Q(('resolved_on__isnull', True), ('resolved_on__gte', models.F('raised_on')), _connector='OR'), name='need_dates_in_order'),
        ),
        migrations.AddConstraint(
            model_name='selectionround',
            constraint=models.CheckConstraint(condition=models.Q(('closes_on__isnull', True), ('closes_on__gte', models.F('opens_on')), _connector='OR'), name='round_dates_in_order'),
        ),
        migrations.AddConstraint(
            model_name='selectionround',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'approved'), _negated=True), ('approved_on__isnull', False), _connector='OR'), name='round_approved_has_date'),
        ),
        migrations.AddConstraint(
            model_name='nomination',
            constraint=models.UniqueConstraint(fields=('round', 'person'), name='nomination_once_per_round', violation_error_message='该人员已在本次遴选中被提名。'),
        ),
        migrations.AddConstraint(
            model_name='nomination',
            constraint=models.CheckConstraint(condition=models.Q(('decided_on__isnull', True), ('decided_on__gte', models.F('nominated_on')), _connector='OR'), name='nomination_dates_in_order'),
        ),
        migrations.AddConstraint(
            model_name='studiofunding',
            constraint=models.UniqueConstraint(fields=('studio', 'year'), name='studio_funding_once_a_year', violation_error_message='该工作室本年度经费已登记。'),
        ),
        migrations.AddConstraint(
            model_name='studiomember',
            constraint=models.UniqueConstraint(fields=('studio', 'person'), name='studio_member_once', violation_error_message='该人员已是工作室成员。'),
        ),
        migrations.AddConstraint(
            model_name='technique',
            constraint=models.UniqueConstraint(fields=('institution', 'name'), name='technique_once_per_institution', violation_error_message='本机构已登记同名的新技术新项目。'),
        ),
        migrations.AddIndex(
            model_name='caselog',
            index=models.Index(fields=['technique', 'role', 'performed_on'], name='training_ca_techniq_705114_idx'),
        ),
        migrations.AddConstraint(
            model_name='careergoal',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind', 'title'), _negated=True), ('target_title__isnull', False), _connector='OR'), name='career_goal_title_has_target', violation_error_message='职称目标须选择目标职称。'),
        ),
        migrations.AddConstraint(
            model_name='careergoal',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind', 'technique'), _negated=True), ('target_technique__isnull', False), _connector='OR'), name='career_goal_technique_has_target', violation_error_message='新技术目标须选择目标技术。'),
        ),
        migrations.AddConstraint(
            model_name='careergoal',
            constraint=models.CheckConstraint(condition=models.Q(('done_on__isnull', True), ('kind__in', ['research', 'other']), _connector='OR'), name='career_goal_done_only_by_hand_kinds', violation_error_message='职称、新技术、进修培训目标的完成情况由记录得出。'),
        ),
        migrations.AddConstraint(
            model_name='trainingquota',
            constraint=models.UniqueConstraint(fields=('institution', 'year', 'kind'), name='training_quota_once', violation_error_message='该机构本年度此类指标已设定。'),
        ),
        migrations.AddIndex(
            model_name='visit',
            index=models.Index(fields=['institution', 'held_on'], name='training_vi_institu_4be26e_idx'),
        ),
        migrations.AddConstraint(
            model_name='confirmationlink',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('case_log__isnull', False), ('evaluation__isnull', True), ('visit__isnull', True)), models.Q(('case_log__isnull', True), ('evaluation__isnull', True), ('visit__isnull', False)), models.Q(('case_log__isnull', True), ('evaluation__isnull', False), ('visit__isnull', True)), _connector='OR'), name='confirmation_link_one_target'),
        ),
        migrations.RunPython(defaults, migrations.RunPython.noop),
    ]
