"""Login, password change, second factor, the audit log and user administration."""

import base64
import io
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib import messages
from django.contrib.auth import authenticate, logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from yicai.access import queries, services
from yicai.access.forms import (
    AuditFilterForm,
    BindForm,
    PolicyForm,
    RoleAssignForm,
    UserCreateForm,
    UserFilterForm,
    person_label,
)
from yicai.access.models import AuditEntry, RequestUser, SecurityPolicy, SignedInRequest, User
from yicai.access.scope import require
from yicai.validation import apply_errors
from yicai.web.listing import Export, Listing, ListPermissions, list_page
from yicai.web.views import form_page

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": gettext_lazy("用户名或密码不正确。"),
        "inactive": gettext_lazy("该账号已停用。"),
    }


class LoginView(auth_views.LoginView):
    template_name = "access/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True


def locked_out(
    request: HttpRequest, credentials: object, *args: Any, **kwargs: Any
) -> HttpResponse:
    policy = SecurityPolicy.current()
    return render(request, "access/locked.html", {"minutes": policy.lockout_minutes}, status=429)


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label=gettext_lazy("当前密码"), widget=forms.PasswordInput)
    new_password = forms.CharField(label=gettext_lazy("新密码"), widget=forms.PasswordInput)
    new_password2 = forms.CharField(
        label=gettext_lazy("再次输入新密码"), widget=forms.PasswordInput
    )

    def __init__(self, request: SignedInRequest, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.user = request.user
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # Checked as a login is (django-axes counts the failure, locks out, and the audit log
        # records it): an open session must not be a way to guess the password unseen.
        if data.get("old_password") and not authenticate(
            self.request, username=self.user.get_username(), password=data["old_password"]
        ):
            self.add_error("old_password", _("当前密码不正确。"))
        if data.get("new_password") != data.get("new_password2"):
            self.add_error("new_password2", _("两次输入的新密码不一致。"))
        return data


@login_required
def password_change(request: SignedInRequest) -> HttpResponse:
    form = PasswordChangeForm(request, request.POST or None)
    valid = request.method == "POST" and form.is_valid()
    if getattr(request, "axes_locked_out", False):
        logout(request)  # AxesMiddleware answers with the lockout page
        return locked_out(request, None)
    if valid:
        try:
            services.password_change(
                user=request.user, new_password=form.cleaned_data["new_password"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("密码已修改。"))
            return redirect("insights:home")
    return render(request, "access/password_change.html", {"form": form})


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("动态验证码"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"class": "form-control", "autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
    )


@login_required
def otp(request: SignedInRequest) -> HttpResponse:
    """Ask for the TOTP code; first enrol a device when the user has none."""
    user = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    pending = None
    if device is None:
        pending = TOTPDevice.objects.filter(user=user, confirmed=False).first() or (
            TOTPDevice.objects.create(user=user, name="default", confirmed=False)
        )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"].strip()
        if pending is not None and pending.verify_token(token):
            pending.confirmed = True
            pending.save(update_fields=["confirmed"])
            otp_login(request, pending)
            return redirect("insights:home")
        matched = match_token(user, token) if pending is None else None
        if matched is not None:
            otp_login(request, matched)
            target = request.GET.get("next", "")
            if not url_has_allowed_host_and_scheme(
                target, {request.get_host()}, require_https=request.is_secure()
            ):
                target = "insights:home"
            return redirect(target)
        form.add_error("token", _("验证码不正确或已过期。"))
    context = {"form": form, "enrol": pending is not None}
    if pending is not None:
        secret = base64.b32encode(pending.bin_key).decode()
        image = qrcode.make(pending.config_url, image_factory=qrcode.image.svg.SvgPathImage)
        buffer = io.BytesIO()
        image.save(buffer)
        context.update(secret=secret, qr_svg=buffer.getvalue().decode())
    return render(request, "access/otp.html", context)


FOLD_LINES = 3
FOLD_CHARS = 80


AUDIT = ListPermissions(view="audit.view", export="audit.export")


def _fold(listing: Listing, _criteria: Mapping[str, Any]) -> dict[str, Any]:
    """Long data folds: the first lines show, the whole opens on demand."""
    for entry in listing["page_obj"]:
        entry.details = queries.entry_details(entry)
        entry.folded = len(entry.details) > FOLD_LINES or any(
            len(text) > FOLD_CHARS for _label, text in entry.details
        )
    return {}


def _entries(
    _user: RequestUser, *, permission: str | None = None, **criteria: Any
) -> QuerySet[AuditEntry]:
    """The entries the filters ask for: whoever may read the log reads all of it."""
    return queries.audit_entries(criteria)


@login_required
def audit_log(request: HttpRequest) -> HttpResponseBase:
    form = AuditFilterForm(request.GET or None)
    return list_page(
        request,
        AUDIT,
        "access/audit_log.html",
        form,
        _entries,
        Export(_("审计日志"), queries.AUDIT_HEADERS, queries.audit_rows, _("导出审计日志")),
        _fold,
        filters=form.criteria() if form.is_valid() else {},
        fragment=None,
    )


USER_HEADERS = [
    gettext_lazy("用户名"),
    gettext_lazy("姓名"),
    gettext_lazy("对应人员"),
    gettext_lazy("角色"),
    gettext_lazy("状态"),
    gettext_lazy("最近登录"),
    gettext_lazy("创建时间"),
]


def user_rows(accounts: QuerySet[User]) -> Iterator[list[object]]:
    for account in accounts.iterator(chunk_size=2000):  # roles prefetched per chunk
        roles = []
        for assignment in account.role_assignments.all():
            label = assignment.get_role_display()
            if assignment.institution:
                institution = assignment.institution
                label += f" · {institution.short_name or institution.name}"
            roles.append(label)
        yield [
            account.username,
            account.first_name,
            person_label(account.person) if account.person_id else "",
            "；".join(roles) or _("无角色"),
            _("正常") if account.is_active else _("已停用"),
            account.last_login,
            account.date_joined,
        ]


USERS = ListPermissions(view="users.manage")  # whoever manages the accounts exports them


@login_required
def users(request: SignedInRequest) -> HttpResponseBase:
    require(request.user, "users.manage")
    # ?person= comes from a person page: the account is opened for that person.
    initial = {"person": request.GET.get("person")} if request.GET.get("person") else None
    form = None
    if request.method == "POST":
        form = UserCreateForm(request.user, request.POST, initial=initial)
        if form.is_valid():
            try:
                user = services.user_create(**form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("用户 %s 已创建，首次登录须修改密码。") % user.username)
                return redirect("access:user", user.pk)

    def accounts(
        _user: RequestUser, *, q: str = "", permission: str | None = None
    ) -> QuerySet[User]:
        return queries.users_with_roles(q)

    return list_page(
        request,
        USERS,
        "access/users.html",
        UserFilterForm(request.GET or None),
        accounts,
        Export(_("用户与角色"), USER_HEADERS, user_rows, _("导出用户列表")),
        # The form to open an account is made only for the page, not for an export.
        lambda _listing, _filters: {"form": form or UserCreateForm(request.user, initial=initial)},
        form_name="filters",
        fragment=None,
    )


def _administered_account(request: SignedInRequest, pk: int) -> User:
    """The account a security administrator acts on; never their own (三员分立)."""
    require(request.user, "users.manage")
    target = get_object_or_404(User.objects.select_related("person"), pk=pk)
    if target == request.user:
        raise PermissionDenied
    return target


@login_required
def user_detail(request: SignedInRequest, pk: int) -> HttpResponseBase:
    target = _administered_account(request, pk)
    form = RoleAssignForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: _user_page(request, target, form=form),
        save=lambda values: services.role_assign(user=target, **values),
        message=_("角色已授予。"),
        then=lambda _assignment: redirect("access:user", target.pk),
    )


def _user_page(
    request: SignedInRequest,
    target: User,
    *,
    form: RoleAssignForm | None = None,
    bind_form: BindForm | None = None,
) -> HttpResponse:
    person = (
        queries.bindable_people(request.user)
        .select_related("sex", "institution", "department")
        .filter(pk=target.person_id)
        .first()
        if target.person_id
        else None
    )
    return render(
        request,
        "access/user_detail.html",
        {
            "target": target,
            "form": form or RoleAssignForm(),
            "bind_form": bind_form or BindForm(request.user),
            "person_label": person_label(person) if person else "",
            "locked": queries.locked_out(target),
            "has_otp": TOTPDevice.objects.filter(user=target).exists(),
            "assignments": target.role_assignments.select_related(
                "institution", "department", "region"
            ),
        },
    )


@login_required
@require_POST
def user_bind(request: SignedInRequest, pk: int) -> HttpResponseBase:
    target = _administered_account(request, pk)
    form = BindForm(request.user, request.POST)
    return form_page(
        request,
        form,
        lambda: _user_page(request, target, bind_form=form),
        save=lambda values: services.user_bind(user=target, person=values["person"]),
        message=lambda _bound: _("账号已绑定到 %s。") % form.cleaned_data["person"].name,
        then=lambda _bound: redirect("access:user", target.pk),
    )


def _account_button(
    action: Callable[..., object], message: Callable[[User], "StrOrPromise"]
) -> Callable[..., HttpResponse]:
    """A button on an account's page: `action(user=account, **the URL's other values)`
    done, `message(account)` said, back to the account."""

    @login_required
    @require_POST
    def view(request: SignedInRequest, pk: int, **values: str) -> HttpResponse:
        target = _administered_account(request, pk)
        action(user=target, **values)
        messages.success(request, message(target))
        return redirect("access:user", target.pk)

    return view


user_unbind = _account_button(services.user_unbind, lambda _target: _("已解除账号与人员的绑定。"))


@login_required
@require_POST
def user_password_reset(request: SignedInRequest, pk: int) -> HttpResponse:
    target = _administered_account(request, pk)
    temporary = services.password_reset(user=target)
    # Shown in this answer only: not in a message (it may travel in a cookie), not cached.
    response = render(
        request, "access/password_reset.html", {"target": target, "temporary": temporary}
    )
    response["Cache-Control"] = "no-store"
    return response


user_otp_reset = _account_button(
    services.otp_reset,
    lambda target: _("二次验证已重置：%s 下次登录时须重新绑定验证器。") % target,
)
user_enable = _account_button(
    services.user_enable, lambda target: _("用户 %s 已启用，可以登录。") % target.username
)
user_disable = _account_button(
    services.user_disable, lambda target: _("用户 %s 已停用，其会话已结束。") % target.username
)
role_revoke = _account_button(services.role_revoke, lambda _target: _("角色已撤销。"))


@login_required
def policy(request: SignedInRequest) -> HttpResponse:
    require(request.user, "policy.manage")
    current = SecurityPolicy.current()
    form = PolicyForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        services.policy_update(
            policy=SecurityPolicy.current(),
            **{name: form.cleaned_data[name] for name in PolicyForm.Meta.fields},
        )
        messages.success(request, _("安全策略已保存。"))
        return redirect("access:policy")
    return render(request, "access/policy.html", {"form": form})


def privacy(request: HttpRequest) -> HttpResponse:
    """The privacy notice (PIPL arts. 17 and 44-48): open to anyone, logged in or not, linked
    from the login page and every page's footer."""
    from django.conf import settings

    return render(
        request,
        "access/privacy.html",
        {
            "controller": settings.PRIVACY_CONTROLLER
            or _("本地区卫生健康委员会及您所在的医疗卫生机构"),
            "contact": settings.PRIVACY_CONTACT or _("您所在单位的人事部门"),
            "audit_days": getattr(settings, "AUDIT_RETENTION_DAYS", 180),
        },
    )
