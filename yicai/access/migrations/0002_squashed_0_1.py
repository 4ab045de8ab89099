"""Release 0.1's migrations in one: database triggers refuse UPDATE, DELETE and TRUNCATE of
audit entries unless our purge or re-key holds a permit in its own transaction."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


TABLE, PERMIT = "access_auditentry", "access_auditpermit"
TRIGGERS = {
    "sqlite": [
        f"""CREATE TRIGGER access_auditentry_no_{op.lower()} BEFORE {op} ON {TABLE}
        WHEN NOT EXISTS (SELECT 1 FROM {PERMIT})
        BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END"""
        for op in ("UPDATE", "DELETE")
    ],
    "postgresql": [
        f"""CREATE OR REPLACE FUNCTION access_auditentry_append_only() RETURNS trigger AS $$
        BEGIN
            IF EXISTS (SELECT 1 FROM {PERMIT}) THEN
                IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
                RETURN NEW;
            END IF;
            RAISE EXCEPTION 'audit entries are append-only (%)', TG_OP
                USING ERRCODE = 'restrict_violation';
        END $$ LANGUAGE plpgsql""",
        f"""CREATE TRIGGER access_auditentry_no_change BEFORE UPDATE OR DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION access_auditentry_append_only()""",
        f"""CREATE TRIGGER access_auditentry_no_truncate BEFORE TRUNCATE ON {TABLE}
        FOR EACH STATEMENT EXECUTE FUNCTION access_auditentry_append_only()""",
    ],
}
DROP = {
    "sqlite": [f"DROP TRIGGER IF EXISTS access_auditentry_no_{op}" for op in ("update", "delete")],
    "postgresql": [
        f"DROP TRIGGER IF EXISTS access_auditentry_no_change ON {TABLE}",
        f"DROP TRIGGER IF EXISTS access_auditentry_no_truncate ON {TABLE}",
        "DROP FUNCTION IF EXISTS access_auditentry_append_only()",
    ],
}


def create_triggers(apps, schema_editor):
    for sql in TRIGGERS[schema_editor.connection.vendor]:
        schema_editor.execute(sql, params=None)


def drop_triggers(apps, schema_editor):
    for sql in DROP[schema_editor.connection.vendor]:
        schema_editor.execute(sql, params=None)



class Migration(migrations.Migration):

    initial = True

    replaces = [('access', '0001_initial'), ('access', '0002_initial'), ('access', '0003_audit_fks_policy_ranges'), ('access', '0004_alter_auditentry_event'), ('access', '0005_audit_events_for_account_administration'), ('access', '0006_audit_keyed_chain_seq_triggers')]

    dependencies = [
        ('access', '0001_squashed_0_1'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('org', '0002_squashed_0_1'),
        ('people', '0001_squashed_0_1'),
    ]

    operations = [
        migrations.AddField(
            model_name='user',
            name='person',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='user', to='people.person', verbose_name='对应人员'),
        ),
        migrations.AddField(
            model_name='user',
            name='user_permissions',
            field=models.ManyToManyField(blank=True, help_text='Specific permissions for this user.', related_name='user_set', related_query_name='user', to='auth.permission', verbose_name='user permissions'),
        ),
        migrations.AddField(
            model_name='auditentry',
            name='actor',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='操作人'),
        ),
        migrations.AddField(
            model_name='auditentry',
            name='actor_institution',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='org.institution', verbose_name='操作人机构'),
        ),
        migrations.AddField(
            model_name='auditentry',
            name='content_type',
            field=models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='contenttypes.contenttype', verbose_name='对象类型'),
        ),
        migrations.AddField(
            model_name='passwordhistory',
            name='user',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='password_history', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='roleassignment',
            name='department',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to='org.department', verbose_name='科室'),
        ),
        migrations.AddField(
            model_name='roleassignment',
            name='institution',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.institution', verbose_name='机构'),
        ),
        migrations.AddField(
            model_name='roleassignment',
            name='institutions',
            field=models.ManyToManyField(blank=True, related_name='+', to='org.institution', verbose_name='指定机构'),
        ),
        migrations.AddField(
            model_name='roleassignment',
            name='region',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to='org.region', verbose_name='辖区'),
        ),
        migrations.AddField(
            model_name='roleassignment',
            name='user',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='role_assignments', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddIndex(
            model_name='auditentry',
            index=models.Index(fields=['event', 'timestamp'], name='access_audi_event_ae29a6_idx'),
        ),
        migrations.AddConstraint(
            model_name='roleassignment',
            constraint=models.UniqueConstraint(fields=('user', 'role'), name='one_assignment_per_role'),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
