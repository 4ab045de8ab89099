from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "yicai.access"
    verbose_name = _("用户与权限")

    def ready(self) -> None:
        from yicai.access import checks, signals  # noqa: F401 - registers receivers and checks
