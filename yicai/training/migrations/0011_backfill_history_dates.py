import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

import yicai.people.validators
import yicai.training.models.mentoring


def nominated_when_typed_in(apps, schema_editor):
    """Nominations made before their day was kept were made in Yicai, the day they were
    typed in."""
    Nomination = apps.get_model("training", "Nomination")
    for nomination in Nomination.objects.filter(nominated_on__isnull=True).only("created_at"):
        nomination.nominated_on = timezone.localdate(nomination.created_at)
        nomination.save(update_fields=["nominated_on"])


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0010_secondment_linked_leader"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="caselog",
            name="entered_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="录入账号",
            ),
        ),
        migrations.AddField(
            model_name="caselog",
            name="paper_reference",
            field=models.CharField(blank=True, max_length=100, verbose_name="纸质审核凭证"),
        ),
        migrations.AddField(
            model_name="caselog",
            name="paper_scan",
            field=models.FileField(
                blank=True,
                max_length=200,
                upload_to=yicai.training.models.mentoring.scan_path,
                verbose_name="纸质审核扫描件",
            ),
        ),
        migrations.AddField(
            model_name="caselog",
            name="verified_on_paper",
            field=models.BooleanField(default=False, verbose_name="纸质审核"),
        ),
        migrations.AddField(
            model_name="monthlyreport",
            name="comment_entered_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="批注代录账号",
            ),
        ),
        migrations.AddField(
            model_name="monthlyreport",
            name="entered_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="月报代录账号",
            ),
        ),
        migrations.AddField(
            model_name="nomination",
            name="decided_on",
            field=models.DateField(blank=True, null=True, verbose_name="决定日期"),
        ),
        migrations.AddField(
            model_name="nomination",
            name="nominated_on",
            field=models.DateField(null=True, verbose_name="提名日期"),
        ),
        migrations.RunPython(nominated_when_typed_in, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="nomination",
            name="nominated_on",
            field=models.DateField(
                validators=[yicai.people.validators.not_before_1900], verbose_name="提名日期"
            ),
        ),
        migrations.AddConstraint(
            model_name="nomination",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("decided_on__isnull", True),
                    ("decided_on__gte", models.F("nominated_on")),
                    _connector="OR",
                ),
                name="nomination_dates_in_order",
            ),
        ),
        migrations.AlterField(
            model_name="visit",
            name="attendees",
            field=models.PositiveIntegerField(default=0, validators=[django.core.validators.MaxValueValidator(100000, message="请填写 0 至 100000 的整数。")], verbose_name="参加人数"),
        ),
        migrations.AlterField(
            model_name="visit",
            name="operations",
            field=models.PositiveIntegerField(default=0, validators=[django.core.validators.MaxValueValidator(100000, message="请填写 0 至 100000 的整数。")], verbose_name="手术台次"),
        ),
        migrations.AlterField(
            model_name="visit",
            name="patients",
            field=models.PositiveIntegerField(default=0, validators=[django.core.validators.MaxValueValidator(100000, message="请填写 0 至 100000 的整数。")], verbose_name="诊疗人次"),
        ),
    ]
