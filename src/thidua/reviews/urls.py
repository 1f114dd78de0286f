"""Peer review (chấm chéo) pages. The clarification, reconciliation and results pages of the
same app have their own module (``urls_reconcile``), included here once it exists."""

from importlib.util import find_spec

from django.urls import URLPattern, URLResolver, include, path

from thidua.reviews.views import review

app_name = "reviews"
urlpatterns: list[URLPattern | URLResolver] = [
    path("mine/", review.my_reviews, name="mine"),
    path("review/<int:assignment_id>/", review.review_page, name="review"),
    path("review/<int:assignment_id>/entries/<int:entry_id>/save/", review.entry_save, name="entry_save"),
    path("review/<int:assignment_id>/submit/", review.review_submit, name="submit"),
    path("review/<int:assignment_id>/conflict/", review.declare_conflict, name="conflict"),
]
# Clarification, reconciliation and results (another module of this app, built alongside):
# included once it and its view modules exist.
_RECONCILE = ("urls_reconcile", "views.clarify", "views.reconcile", "views.results")
if all(find_spec(f"thidua.reviews.{name}") is not None for name in _RECONCILE):
    urlpatterns.append(path("", include("thidua.reviews.urls_reconcile")))
