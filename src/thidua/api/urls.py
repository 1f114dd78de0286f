from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from thidua.api import campaigns, criteria, organizations

app_name = "api"
router = DefaultRouter()
router.register("organizations", organizations.OrganizationViewSet, basename="organization")
router.register("successions", organizations.SuccessionViewSet, basename="succession")
router.register("profiles", organizations.ProfileViewSet, basename="profile")
router.register("clusters", organizations.ClusterViewSet, basename="cluster")
router.register("cluster-years", organizations.ClusterYearViewSet, basename="cluster-year")
router.register("frameworks", criteria.FrameworkViewSet, basename="framework")
router.register(r"frameworks/(?P<framework_pk>[0-9]+)/nodes", criteria.NodeViewSet, basename="framework-node")
router.register("campaigns", campaigns.CampaignViewSet, basename="campaign")
router.register("registrations", campaigns.RegistrationViewSet, basename="registration")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI sets style attributes at run time: this one page allows inline styles (never scripts).
    path(
        "docs/",
        csp_update({"style-src": ["'unsafe-inline'"]})(SpectacularSwaggerSplitView.as_view(url_name="api:schema")),
        name="docs",
    ),
    path("", include(router.urls)),
]
