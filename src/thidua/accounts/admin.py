from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from thidua.accounts.models import RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0


@admin.register(User)
class ThiDuaUserAdmin(UserAdmin):
    inlines = [RoleAssignmentInline]
    fieldsets = (*(UserAdmin.fieldsets or ()), ("Thi đua", {"fields": ("full_name", "position", "organization")}))
