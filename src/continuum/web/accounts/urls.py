"""Sign-in, sign-out, two-factor, passwords and the administrators' users URLs."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from continuum.web.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(template_name="accounts/login.html"),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/two-factor/", views.two_factor, name="two_factor"),
    path("accounts/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("accounts/password/", views.password_change, name="password_change"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path("users/", views.users, name="users"),
    path("users/memberships/<int:pk>/edit/", views.membership_edit, name="membership_edit"),
    path(
        "users/memberships/<int:pk>/remove/",
        views.membership_remove_confirm,
        name="membership_remove",
    ),
    path("users/<int:pk>/deactivate/", views.user_deactivate_confirm, name="user_deactivate"),
    path("users/<int:pk>/reactivate/", views.user_reactivate_confirm, name="user_reactivate"),
    path(
        "users/<int:pk>/password-reset/",
        views.user_password_reset_link,
        name="user_password_reset_link",
    ),
]
