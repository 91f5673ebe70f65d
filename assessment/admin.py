from django.contrib import admin

from assessment.models import Assessment, Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "nation", "region", "population_band"]
    list_filter = ["kind", "nation", "population_band"]
    search_fields = ["name", "region"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["organisation", "edition", "status", "created_at"]
    list_filter = ["status", "edition"]
    list_select_related = ["organisation", "edition"]
    search_fields = ["organisation__name"]
