"""Every URL name the project defines, for the tests that check each is covered."""

from django.urls import URLPattern, URLResolver, get_resolver


def url_names(resolver: URLResolver | None = None, namespace: str = "") -> set[str]:
    """Namespaced names ("assessment:report", "admin:index") of every named URL pattern."""
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names
