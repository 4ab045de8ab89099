"""What exchange shows in the menu (see yicai.registry); it grants no permission of its own:
each import asks for its entity's."""

from django.utils.translation import gettext_lazy as _

from yicai.menu import Entry, Item

MENU = [Entry("records", Item(_("数据导入"), "exchange:imports", "person.edit"), order=30)]
