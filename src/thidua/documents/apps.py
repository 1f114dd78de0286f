from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """Generated documents in the Party's administrative format (DOCX and PDF)."""

    name = "thidua.documents"
    verbose_name = "Văn bản"
