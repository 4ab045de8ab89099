"""What an attacker with the database's rights can do to the audit table."""

from django.db import connection

PERMIT = "access_auditpermit"


def tamper(sql: str, params=()):
    """Get past the append-only triggers (here by taking the permit; a database superuser
    could as well drop them) and change rows. (Without triggers, as before issue 11, the
    statement simply runs.)"""
    with connection.cursor() as cursor:
        guarded = PERMIT in connection.introspection.table_names(cursor)
        if guarded:
            cursor.execute(
                f"INSERT INTO {PERMIT} (reason, created_at) VALUES ('x', %s)", ["2026-01-01"]
            )
        cursor.execute(sql, params)
        if guarded:
            cursor.execute(f"DELETE FROM {PERMIT}")
