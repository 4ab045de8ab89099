"""`yicai totp USERNAME`: the user's current TOTP code (for the demo and for testing)."""

from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from yicai.access.models import User


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


class Command(BaseCommand):
    help = "Print the current TOTP code of a user's confirmed device."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"用户不存在 / no such user: {username}")
        device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
        if device is None:
            raise CommandError(
                f"{username} 没有已启用的 TOTP 设备 / has no confirmed TOTP device "
                "(run `make demo`, or log in once to enrol)"
            )
        self.stdout.write(current_code(device))
