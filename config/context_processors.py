"""Settings every template may read."""

from django.conf import settings
from django.http import HttpRequest


def service(request: HttpRequest) -> dict[str, str]:
    return {
        "service_name": settings.SERVICE_NAME,
        "feedback_url": settings.FEEDBACK_URL,
        "feedback_email": feedback_email(),
    }


def feedback_email() -> str:
    """The address feedback goes to when FEEDBACK_URL is an email, for pages that show it as
    text (the accessibility statement); empty when it is a web form."""
    if not settings.FEEDBACK_URL.startswith("mailto:"):
        return ""
    return settings.FEEDBACK_URL.removeprefix("mailto:").partition("?")[0]
