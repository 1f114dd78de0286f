from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("thidua.home.urls")),
    path("", include("thidua.core.urls")),
    path("accounts/", include("thidua.accounts.urls")),
    path("", include("thidua.organizations.urls")),
    path("criteria/", include("thidua.criteria.urls")),
    path("assessments/", include("thidua.assessments.urls")),
    path("campaigns/", include("thidua.campaigns.urls")),
    path("campaigns/", include("thidua.assessments.urls_progress")),
    path("reviews/", include("thidua.reviews.urls")),
    path("reviews/", include("thidua.campaigns.assignments.urls")),
    path("reviews/", include("thidua.results.urls")),
    path("conference/", include("thidua.voting.urls")),
    path("awards/", include("thidua.awards.urls")),
    path("api/v1/", include("thidua.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
]
