"""The progress board, namespace ``progress``: mounted under ``campaigns/`` (``thidua.urls``)
so that its address stays the campaign's, ``/campaigns/<cluster>/<year>/progress/``."""

from django.urls import path

from thidua.assessments.views import progress

app_name = "progress"
urlpatterns = [
    path("<str:code>/<int:year>/progress/", progress.progress, name="board"),
]
