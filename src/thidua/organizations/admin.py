from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from thidua.organizations.models import Cluster, ClusterYear, Membership, Organization, OrganizationProfile, Succession


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ["short_code", "name", "kind", "province"]
    search_fields = ["name", "short_code", "name_search"]


@admin.register(Cluster)
class ClusterAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name"]


@admin.register(ClusterYear)
class ClusterYearAdmin(SimpleHistoryAdmin):
    list_display = ["cluster", "year", "theme"]
    inlines = [MembershipInline]


admin.site.register(Succession, SimpleHistoryAdmin)
admin.site.register(OrganizationProfile, SimpleHistoryAdmin)
