"""The project's addresses: admin, and everything else in `assessment.urls`."""

from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Digital maturity self-assessment: administration"
admin.site.site_title = "Digital maturity admin"
admin.site.index_title = "Curate trends, questions and editions"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("assessment.urls")),
]

# GOV.UK-styled, drawn without the database; an unreachable database gets a 503 (config.errors).
handler500 = "config.errors.server_error"
