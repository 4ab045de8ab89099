"""What evaluation gives each role and shows in the menu (see yicai.registry)."""

from django.utils.translation import gettext_lazy as _

from yicai.access.models import Role
from yicai.menu import Entry

# evaluation.view / .export: the schemes of one's region and the score sheets of the subjects
# one keeps (an institution its own, a department head its department's).
# evaluation.edit: drafting a scheme, its indicators, subjects and links (the commission's).
# evaluation.publish: publishing a scheme's results and resolving appeals (the commission's).
# A manual indicator's score is entered by its named reviewer, whatever their role.
_READS = {"evaluation.view", "evaluation.export"}
PERMISSIONS = {
    Role.COMMISSION_ADMIN: _READS | {"evaluation.edit", "evaluation.publish"},
    Role.INSTITUTION_ADMIN: _READS,
    Role.DEPARTMENT_HEAD: {"evaluation.view"},
}

MENU: list[Entry] = []
