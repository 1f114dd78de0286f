from django.urls import path

from thidua.organizations.views import clusters, organizations

app_name = "organizations"
urlpatterns = [
    path("orgs/", organizations.organization_list, name="organization_list"),
    path("orgs/new/", organizations.organization_create, name="organization_create"),
    path("orgs/<str:code>/", organizations.organization_detail, name="organization_detail"),
    path("orgs/<str:code>/edit/", organizations.organization_edit, name="organization_edit"),
    path("orgs/<str:code>/predecessors/add/", organizations.succession_add, name="succession_add"),
    path(
        "orgs/<str:code>/predecessors/<int:succession_id>/delete/",
        organizations.succession_delete,
        name="succession_delete",
    ),
    path("orgs/<str:code>/profiles/new/", organizations.profile_edit, name="profile_create"),
    path("orgs/<str:code>/profiles/<int:year>/", organizations.profile_detail, name="profile_detail"),
    path("orgs/<str:code>/profiles/<int:year>/edit/", organizations.profile_edit, name="profile_edit"),
    path("clusters/", clusters.cluster_list, name="cluster_list"),
    path("clusters/new/", clusters.cluster_create, name="cluster_create"),
    path("clusters/<str:code>/", clusters.cluster_detail, name="cluster_detail"),
    path("clusters/<str:code>/edit/", clusters.cluster_edit, name="cluster_edit"),
    path("clusters/<str:code>/years/new/", clusters.cluster_year_edit, name="cluster_year_create"),
    path("clusters/<str:code>/years/<int:year>/", clusters.cluster_year_detail, name="cluster_year_detail"),
    path("clusters/<str:code>/years/<int:year>/edit/", clusters.cluster_year_edit, name="cluster_year_edit"),
]
