"""The navigation, grouped 引 / 育 / 留 / 用, showing only what the user may open."""

from yicai.access import scope
from yicai.menu import menu_for


def navigation(request):
    user = request.user
    if not user.is_authenticated or getattr(request, "yicai_pending", False):
        return {}
    return {"nav_sections": menu_for(user), "user_roles": scope.roles(user)}
