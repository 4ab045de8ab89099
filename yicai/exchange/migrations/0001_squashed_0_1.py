import django.db.models.deletion
import uuid
import yicai.exchange.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [('exchange', '0001_import_job'), ('exchange', '0002_import_job_warned')]

    dependencies = [
        ('org', '0002_squashed_0_1'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ImportJob',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('token', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ('entity', models.CharField(max_length=40, verbose_name='导入类型')),
                ('file', models.FileField(blank=True, max_length=200, upload_to=yicai.exchange.models._upload_to)),
                ('original_name', models.CharField(max_length=200, verbose_name='文件名')),
                ('extension', models.CharField(max_length=8)),
                ('size', models.PositiveBigIntegerField(default=0, verbose_name='文件大小')),
                ('sha256', models.CharField(blank=True, max_length=64)),
                ('mode', models.CharField(choices=[('all', '全部正确才导入'), ('skip', '跳过错误行，导入其余')], default='all', max_length=4, verbose_name='导入方式')),
                ('status', models.CharField(choices=[('queued', '排队中'), ('analysing', '正在检查'), ('ready', '待确认导入'), ('refused', '无法导入'), ('committing', '正在导入'), ('done', '已导入'), ('failed', '导入失败'), ('cancelled', '已取消')], db_index=True, default='queued', max_length=12, verbose_name='状态')),
                ('message', models.TextField(blank=True, verbose_name='说明')),
                ('total', models.PositiveIntegerField(default=0, verbose_name='数据行')),
                ('new', models.PositiveIntegerField(default=0, verbose_name='新增')),
                ('updated', models.PositiveIntegerField(default=0, verbose_name='更新')),
                ('unchanged', models.PositiveIntegerField(default=0, verbose_name='无变化')),
                ('invalid', models.PositiveIntegerField(default=0, verbose_name='有错误')),
                ('warned', models.PositiveIntegerField(default=0, verbose_name='有提示')),
                ('created', models.PositiveIntegerField(default=0, verbose_name='实际新增')),
                ('changed', models.PositiveIntegerField(default=0, verbose_name='实际更新')),
                ('problems', models.JSONField(blank=True, default=list)),
                ('seconds', models.FloatField(default=0, verbose_name='用时（秒）')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='上传时间')),
                ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='完成时间')),
                ('institution', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.institution', verbose_name='所属机构')),
                ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='导入人')),
            ],
            options={
                'verbose_name': '导入任务',
                'verbose_name_plural': '导入任务',
                'ordering': ['-created_at', '-id'],
            },
        ),
    ]
