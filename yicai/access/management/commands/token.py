"""`yicai token USERNAME` prints the user's API token, creating it if needed; `--rotate`
replaces it (the old one stops working). Every print is in the audit log, without the key.

A token is for a machine client: it stands in for the second factor (it is issued here, on
the server's command line) and password age does not expire it, but it is refused while an
administrator has flagged the account for a password change."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from rest_framework.authtoken.models import Token

from yicai.access import audit
from yicai.access.models import AuditEntry


class Command(BaseCommand):
    help = "Print (creating if needed) the API token of a user; --rotate replaces it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--rotate", action="store_true", help="delete the existing token and issue a new one"
        )

    def handle(self, *args: Any, username: str, rotate: bool, **options: Any) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no such user: {username}")
        if not user.is_active:
            raise CommandError(f"user {username} is inactive; a token would not work")
        with transaction.atomic():
            if rotate:
                Token.objects.filter(user=user).delete()
            token, created = Token.objects.get_or_create(user=user)
            action = "rotated" if rotate else ("created" if created else "shown")
            audit.record(
                AuditEntry.Event.USER_CHANGE,
                obj=user,
                summary=f"API 令牌（{action}）：{user.username}",
                data={"api_token": action, "key_ends": token.key[-4:]},
                action=AuditEntry.Action.CREATE if created else AuditEntry.Action.ACCESS,
            )
        if user.must_change_password:
            self.stderr.write(
                f"warning: {username} must change the password on the web first; "
                "until then the API refuses this token"
            )
        self.stdout.write(token.key)
