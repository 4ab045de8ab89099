"""What an attacker with the database's rights can do to the audit table."""

from django.db import connection


def tamper(sql: str, params=()):
    """Get past the append-only triggers (here by taking the permit; a database superuser
    could as well drop them) and change rows."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO access_auditpermit (reason, created_at) VALUES ('x', %s)", ["2026-01-01"]
        )
        cursor.execute(sql, params)
        cursor.execute("DELETE FROM access_auditpermit")
