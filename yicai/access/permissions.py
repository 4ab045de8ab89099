"""The one readiness rule for every machine entry point (REST API, FHIR, the schema).

A session still owing its second factor or a password change never reaches them:
SessionPolicyMiddleware redirects it first. A token is a machine credential issued from the
server's command line, so it stands in for the second factor, and password age does not expire
it; but a token of an account that an administrator has flagged for a password change (new or
reset) is refused until that change is made, wherever it is presented.
"""

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.permissions import BasePermission, IsAuthenticated

# DRF reads this module while its views module loads: these are for the checker only.
if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView


class AccountReady(BasePermission):
    message = _("该账号须先登录网页修改密码，之后才能使用 API 令牌。")

    def has_permission(self, request: "Request", view: "APIView") -> bool:
        if isinstance(request.successful_authenticator, TokenAuthentication):
            # A token names an account: never the anonymous user.
            return not getattr(request.user, "must_change_password", False)
        return True


# What every authenticated endpoint requires (REST_FRAMEWORK's default, and FHIR's).
READY = [IsAuthenticated, AccountReady]
