"""Third-party apps as the admin names them: for what they do, not for their package."""

from __future__ import annotations

from axes.apps import AppConfig as AxesConfig


class SignInLockoutsConfig(AxesConfig):
    """django-axes, unchanged but for the name of its group in the admin index. Its label
    stays "axes", so its tables, migrations and settings are its own as before."""

    verbose_name = "Sign-in lockouts"
