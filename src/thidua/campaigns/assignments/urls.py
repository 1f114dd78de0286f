"""The secretariat's assignment pages (phân công chấm chéo), namespace ``assignments``.

Mounted under ``reviews/`` (``thidua.urls``) so that the addresses stay those of the peer
review area: ``/reviews/<cluster>/<year>/assignments/…``.
"""

from django.urls import path

from thidua.campaigns.views import assignments

app_name = "assignments"
C = "<str:code>/<int:year>/"
urlpatterns = [
    path(f"{C}assignments/", assignments.assignment_table, name="table"),
    path(f"{C}assignments/generate/", assignments.generate, name="generate"),
    path(f"{C}assignments/add/", assignments.add, name="add"),
    path(f"{C}assignments/<int:pk>/remove/", assignments.remove, name="remove"),
    path(f"{C}assignments/conflicts/", assignments.conflict, name="conflict"),
]
