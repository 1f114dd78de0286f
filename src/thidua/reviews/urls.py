"""Peer review (chấm chéo) and clarification (giải trình) pages. Reconciliation and results
have their own app (``thidua.results``), mounted under the same prefix."""

from django.urls import URLPattern, URLResolver, path

from thidua.reviews.views import clarify, review

app_name = "reviews"
C = "<str:code>/<int:year>/"
urlpatterns: list[URLPattern | URLResolver] = [
    path("mine/", review.my_reviews, name="mine"),
    path("review/<int:assignment_id>/", review.review_page, name="review"),
    path("review/<int:assignment_id>/entries/<int:entry_id>/save/", review.entry_save, name="entry_save"),
    path("review/<int:assignment_id>/submit/", review.review_submit, name="submit"),
    path("review/<int:assignment_id>/conflict/", review.declare_conflict, name="conflict"),
    path(f"{C}clarifications/", clarify.clarification_list, name="clarifications"),
    path(f"{C}clarifications/ask/", clarify.clarification_ask, name="clarification_ask"),
    path(f"{C}clarifications/<int:pk>/", clarify.clarification_detail, name="clarification"),
    path(f"{C}clarifications/<int:pk>/answer/", clarify.clarification_answer, name="clarification_answer"),
    path(f"{C}clarifications/<int:pk>/follow-up/", clarify.clarification_follow_up, name="clarification_follow_up"),
    path(f"{C}clarifications/<int:pk>/close/", clarify.clarification_close, name="clarification_close"),
    path(f"{C}clarifications/<int:pk>/file/", clarify.clarification_file, name="clarification_file"),
]
