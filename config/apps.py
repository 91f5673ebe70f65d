"""What `collectstatic` publishes."""

from django.contrib.staticfiles.apps import StaticFilesConfig


class StaticFiles(StaticFilesConfig):
    # npm's govuk-frontend ships its Sass, Nunjucks templates, docs and per-component test
    # fixtures beside the compiled CSS, JS and assets we serve. Publishing them (and our own
    # Sass sources) would triple the files every deploy hashes and compresses, and serve nothing.
    ignore_patterns = [
        *StaticFilesConfig.ignore_patterns,
        "*.scss",
        "*.njk",
        "*.md",
        "*.yaml",
        "components/*.json",
        "components/*.html",
    ]
