"""Evidence (minh chứng) of one criterion: the list with its forms, upload, add a link, remove,
download and preview.

Every view loads the criterion (or the evidence) only if the user may read its
self-assessment; otherwise it does not exist for them (404). Changes go through
``assessments.evidence``; an htmx request gets the criterion's evidence partial back, with the
refusal or the confirmation in it and the other evidence untouched; a plain form post is
redirected back to the page it came from with a message. After a change, htmx also gets an
``evidenceChanged`` event (``HX-Trigger``) for the rest of the page.
"""

from __future__ import annotations

import unicodedata
from typing import Any
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import trigger_client_event

from thidua.assessments import evidence as services
from thidua.assessments.models import AssessmentEntry, Evidence, EvidenceKind
from thidua.assessments.views.access import abilities, is_htmx
from thidua.core import files

PARTIAL = "assessments/evidence/_entry_evidence.html"
PAGE = "assessments/evidence/entry.html"
ENTRY_RELATED = ("node", "assessment__campaign__cluster_year__cluster", "assessment__organization")


class UploadForm(forms.Form):
    # Empty files reach the service, which refuses them with its own message.
    file = forms.FileField(
        label=gettext_lazy("Tệp"),
        allow_empty_file=True,
        error_messages={"required": gettext_lazy("Hãy chọn tệp cần tải lên.")},
    )
    title = forms.CharField(label=gettext_lazy("Tên minh chứng"), required=False, max_length=services.MAX_TITLE)


class LinkForm(forms.Form):
    # A plain text field: the service says which addresses it takes (http/https only).
    url = forms.CharField(
        label=gettext_lazy("Đường dẫn"),
        max_length=services.MAX_URL,
        error_messages={"required": gettext_lazy("Hãy nhập đường dẫn.")},
    )
    title = forms.CharField(label=gettext_lazy("Tên minh chứng"), required=False, max_length=services.MAX_TITLE)


# --- loading ------------------------------------------------------------------------------


def _entries() -> Any:
    return AssessmentEntry.objects.select_related(*ENTRY_RELATED).prefetch_related(
        Prefetch(
            "evidence", queryset=Evidence.objects.select_related("stored_file", "added_by").order_by("added_at", "id")
        )
    )


def get_entry(request: HttpRequest, entry_id: int) -> AssessmentEntry:
    """The criterion's entry with its evidence, if the user may read its self-assessment (else 404)."""
    entry = get_object_or_404(_entries(), pk=entry_id)
    if not request.user.has_perm("assessments.view_assessment", entry.assessment):
        raise Http404
    return entry


def get_evidence(request: HttpRequest, evidence_id: int) -> Evidence:
    """One piece of evidence, if the user may read its self-assessment (else 404)."""
    item = get_object_or_404(
        Evidence.objects.select_related("stored_file", *(f"entry__{name}" for name in ENTRY_RELATED)), pk=evidence_id
    )
    if not request.user.has_perm("assessments.view_assessment", item.entry.assessment):
        raise Http404
    return item


# --- the list and its forms ---------------------------------------------------------------


def _back_url(request: HttpRequest, entry: AssessmentEntry) -> str:
    """Where a plain form post returns: the page it came from, if it is ours; else the
    criterion's evidence page."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("assessments:evidence_entry", args=[entry.pk])


def _respond(
    request: HttpRequest,
    entry_id: int,
    *,
    refusal: str = "",
    notice: str = "",
    form_values: dict[str, str] | None = None,
    open_form: str = "",
) -> HttpResponse:
    """After an upload, a link or a removal: the partial (htmx), or back to the page."""
    entry = get_entry(request, entry_id)  # fresh, with the evidence as it is now
    if not is_htmx(request):
        if refusal:
            messages.error(request, refusal)
        elif notice:
            messages.success(request, notice)
        return redirect(_back_url(request, entry))
    context = {
        "entry": entry,
        "can_edit": abilities(request, entry.assessment).can_edit,
        "evidence_refusal": refusal,
        "evidence_notice": notice,
        "evidence_form": form_values or {},
        "evidence_open": open_form,
        "evidence_next": request.htmx.current_url_abs_path or "",  # type: ignore[attr-defined]
    }
    response = render(request, PARTIAL, context)
    if notice:  # the page's totals panel listens for this to recount missing evidence
        trigger_client_event(response, "evidenceChanged", {"entry": entry.pk})
    return response


def _refusal(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _form_refusal(form: forms.Form) -> str:
    return " ".join(str(message) for errors in form.errors.values() for message in errors)


@login_required
@require_GET
def entry_evidence(request: HttpRequest, entry_id: int) -> HttpResponse:
    """One criterion's evidence: a page of its own (also the no-JavaScript fallback), or the
    partial for htmx."""
    entry = get_entry(request, entry_id)
    can = abilities(request, entry.assessment)
    context = {"entry": entry, "can_edit": can.can_edit, "closed_reason": can.closed_reason if can.is_own else ""}
    return render(request, PARTIAL if is_htmx(request) else PAGE, context)


@login_required
@require_POST
def upload(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = get_entry(request, entry_id)
    form = UploadForm(request.POST, request.FILES)
    values = {"title": request.POST.get("title", "")[: services.MAX_TITLE]}
    if not form.is_valid():
        return _respond(request, entry.pk, refusal=_form_refusal(form), form_values=values, open_form="file")
    try:
        item = services.attach_file(
            actor=request.user, entry=entry, upload=form.cleaned_data["file"], title=form.cleaned_data["title"]
        )
    except ValidationError as exc:
        return _respond(request, entry.pk, refusal=_refusal(exc), form_values=values, open_form="file")
    notice = _("Đã thêm minh chứng “%(title)s”.") % {"title": item.title}
    return _respond(request, entry.pk, notice=notice, open_form="file")  # open: often several files in a row


@login_required
@require_POST
def add_link(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = get_entry(request, entry_id)
    form = LinkForm(request.POST)
    values = {
        "url": request.POST.get("url", "")[: services.MAX_URL],
        "link_title": request.POST.get("title", "")[: services.MAX_TITLE],
    }
    if not form.is_valid():
        return _respond(request, entry.pk, refusal=_form_refusal(form), form_values=values, open_form="link")
    try:
        item = services.attach_link(
            actor=request.user, entry=entry, url=form.cleaned_data["url"], title=form.cleaned_data["title"]
        )
    except ValidationError as exc:
        return _respond(request, entry.pk, refusal=_refusal(exc), form_values=values, open_form="link")
    notice = _("Đã thêm đường dẫn “%(title)s”.") % {"title": item.title}
    return _respond(request, entry.pk, notice=notice, open_form="link")


@login_required
@require_POST
def remove(request: HttpRequest, evidence_id: int) -> HttpResponse:
    item = get_evidence(request, evidence_id)
    try:
        services.remove_evidence(actor=request.user, evidence=item)
    except ValidationError as exc:
        return _respond(request, item.entry_id, refusal=_refusal(exc))
    return _respond(request, item.entry_id, notice=_("Đã gỡ minh chứng “%(title)s”.") % {"title": item.title})


# --- download and preview -----------------------------------------------------------------


def content_disposition(disposition: str, filename: str) -> str:
    """``attachment; filename="Bao cao.pdf"; filename*=UTF-8''B%C3%A1o%20c%C3%A1o.pdf``: an
    ASCII fallback for old clients and the exact UTF-8 name (RFC 6266 / RFC 5987)."""
    ascii_name = unicodedata.normalize("NFKD", filename.replace("đ", "d").replace("Đ", "D"))
    ascii_name = "".join(ch for ch in ascii_name if ch.isascii() and ch.isprintable() and ch not in '"\\')
    ascii_name = ascii_name.strip() or "minh-chung"
    return f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _file_response(item: Evidence, *, inline: bool) -> FileResponse:
    stored = item.stored_file
    if item.kind != EvidenceKind.FILE or stored is None:
        raise Http404
    try:
        handle = stored.file.storage.open(stored.file.name, "rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    filename = item.original_name or f"minh-chung.{stored.extension}"
    response = FileResponse(handle, as_attachment=not inline, filename=filename, content_type=stored.content_type)
    response["Content-Disposition"] = content_disposition("inline" if inline else "attachment", filename)
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_cache=True)
    return response


@login_required
@require_GET
def download(request: HttpRequest, evidence_id: int) -> HttpResponseBase:
    """The file, as an attachment with its original name and stored type."""
    return _file_response(get_evidence(request, evidence_id), inline=False)


@login_required
@require_GET
def preview(request: HttpRequest, evidence_id: int) -> HttpResponseBase:
    """PDFs and images shown by the browser itself, sandboxed (no script, no same origin);
    other types are downloaded."""
    item = get_evidence(request, evidence_id)
    kind = files.kind_of(item.stored_file) if item.stored_file is not None else None
    if kind is None or not kind.previewable:
        return redirect("assessments:evidence_download", item.pk)
    response = _file_response(item, inline=True)
    response["Content-Security-Policy"] = "sandbox"
    return response
