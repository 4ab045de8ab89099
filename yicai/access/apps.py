from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "yicai.access"
    verbose_name = _("用户与权限")

    def ready(self) -> None:
        from yicai import picker
        from yicai.access import checks, signals  # noqa: F401 - registers receivers and checks
        from yicai.access.forms import BINDABLE
        from yicai.access.queries import bindable_people

        # The binding form's person search: the people of the installation or of the
        # administrator's region, by name only (the picker shows no identity or phone number,
        # and a security administrator may not look people up by one either).
        picker.register_source(
            BINDABLE,
            lambda user, params: bindable_people(user),
            permission="users.manage",
            identifiers=False,
        )
