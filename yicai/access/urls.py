from django.contrib.auth import views as auth_views
from django.urls import path

from yicai.access import views

app_name = "access"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("otp/", views.otp, name="otp"),
    path("audit/", views.audit_log, name="audit"),
    path("users/", views.users, name="users"),
    path("users/<int:pk>/", views.user_detail, name="user"),
    path("users/<int:pk>/disable/", views.user_disable, name="user_disable"),
    path("users/<int:pk>/enable/", views.user_enable, name="user_enable"),
    path("users/<int:pk>/bind/", views.user_bind, name="user_bind"),
    path("users/<int:pk>/unbind/", views.user_unbind, name="user_unbind"),
    path("users/<int:pk>/password-reset/", views.user_password_reset, name="user_password_reset"),
    path("users/<int:pk>/otp-reset/", views.user_otp_reset, name="user_otp_reset"),
    path("users/<int:pk>/revoke/<str:role>/", views.role_revoke, name="role_revoke"),
    path("policy/", views.policy, name="policy"),
]
