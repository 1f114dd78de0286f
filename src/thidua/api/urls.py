from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from thidua.api import assessments as self_assessments
from thidua.api import awards, campaigns, criteria, organizations
from thidua.api import results as results_api
from thidua.api import reviews as peer_reviews
from thidua.api import voting as voting_api
from thidua.api.routers import Router

app_name = "api"
router = Router()
router.register("organizations", organizations.OrganizationViewSet, basename="organization")
router.register("successions", organizations.SuccessionViewSet, basename="succession")
router.register("profiles", organizations.ProfileViewSet, basename="profile")
router.register("clusters", organizations.ClusterViewSet, basename="cluster")
router.register("cluster-years", organizations.ClusterYearViewSet, basename="cluster-year")
router.register("frameworks", criteria.FrameworkViewSet, basename="framework")
router.register(r"frameworks/(?P<framework_pk>[0-9]+)/nodes", criteria.NodeViewSet, basename="framework-node")
router.register("campaigns", campaigns.CampaignViewSet, basename="campaign")
router.register("registrations", campaigns.RegistrationViewSet, basename="registration")
router.register("awards", awards.AwardViewSet, basename="award")
router.register("proposals", awards.ProposalViewSet, basename="proposal")
router.register("award-history", awards.AwardHistoryViewSet, basename="award-history")
router.register("self-assessments", self_assessments.SelfAssessmentViewSet, basename="self-assessment")
router.register("clarifications", results_api.ClarificationViewSet, basename="clarification")
router.register("campaign-results", results_api.ResultsViewSet, basename="campaign-results")
router.register("review-assignments", peer_reviews.ReviewAssignmentViewSet, basename="review-assignment")
router.register("reviews", peer_reviews.ReviewViewSet, basename="review")
router.register("conferences", voting_api.ConferenceViewSet, basename="conference")
router.register("ballots", voting_api.BallotViewSet, basename="ballot")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI sets style attributes at run time: this one page allows inline styles (never scripts).
    path(
        "docs/",
        csp_update({"style-src": ["'unsafe-inline'"]})(SpectacularSwaggerSplitView.as_view(url_name="api:schema")),
        name="docs",
    ),
    path("vote/ballot/", voting_api.VoteBallotView.as_view(), name="vote-ballot"),
    path("vote/", voting_api.VoteView.as_view(), name="vote"),
    path("", include(router.urls)),
]
