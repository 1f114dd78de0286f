from django.urls import path

from thidua.criteria.views import documents, frameworks, nodes, transfer, tryit

app_name = "criteria"
urlpatterns = [
    path("", frameworks.framework_list, name="framework_list"),
    path("new/", frameworks.framework_create, name="framework_create"),
    path("import/", transfer.framework_import, name="framework_import"),
    path("<int:pk>/", frameworks.framework_detail, name="framework_detail"),
    path("<int:pk>/audit/", frameworks.framework_audit, name="framework_audit"),
    path("<int:pk>/settings/", frameworks.framework_settings, name="framework_settings"),
    path("<int:pk>/publish/", frameworks.framework_publish, name="framework_publish"),
    path("<int:pk>/archive/", frameworks.framework_archive, name="framework_archive"),
    path("<int:pk>/clone/", frameworks.framework_clone, name="framework_clone"),
    path("<int:pk>/delete/", frameworks.framework_delete, name="framework_delete"),
    path("<int:pk>/diff/", frameworks.framework_diff, name="framework_diff"),
    path("<int:pk>/export/yaml/", transfer.framework_export_yaml, name="framework_export_yaml"),
    path("<int:pk>/export/xlsx/", transfer.framework_export_xlsx, name="framework_export_xlsx"),
    path("<int:pk>/print/", documents.framework_print, name="framework_print"),
    path("<int:pk>/print/docx/", documents.framework_docx, name="framework_docx"),
    path("<int:pk>/print/pdf/", documents.framework_pdf, name="framework_pdf"),
    path("<int:pk>/nodes/new/", nodes.node_create, name="node_create"),
    path("<int:pk>/nodes/params/", nodes.node_params, name="node_params"),
    path("<int:pk>/nodes/<int:node_id>/edit/", nodes.node_edit, name="node_edit"),
    path("<int:pk>/nodes/<int:node_id>/move/", nodes.node_move, name="node_move"),
    path("<int:pk>/nodes/<int:node_id>/delete/", nodes.node_delete, name="node_delete"),
    path("<int:pk>/nodes/<int:node_id>/try/", tryit.node_try, name="node_try"),
]
