"""The demo's sign-ins, for the sign-in page, with DEBUG on only:
`{% demo_sign_ins as demo %}{% if demo %}…{% endif %}`.

They come from `assessment.demo`, where `seed_demo` finds them, so the page lists the accounts
and passwords it makes. `seed_demo` refuses to run with DEBUG off, and so this shows nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.conf import settings

from assessment.demo import DEMO_ADMIN, DEMO_PASSWORD, DemoSignIn, demo_sign_ins

register = template.Library()


@dataclass(frozen=True)
class DemoSignIns:
    admin_username: str
    admin_password: str
    password: str  # every council user's
    council_users: list[DemoSignIn]


@register.simple_tag(name="demo_sign_ins")
def demo_sign_ins_tag() -> DemoSignIns | None:
    if not settings.DEBUG:
        return None
    username, _, password = DEMO_ADMIN
    return DemoSignIns(username, password, DEMO_PASSWORD, demo_sign_ins())
