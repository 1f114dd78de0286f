"""The reviewer's pages: "Việc chấm chéo của tôi", the review of one assigned school (with
autosave per criterion, like the self-assessment page), submitting, declaring a conflict.

A review the user may not read does not exist for them (404): a reviewer sees only the
schools assigned to them; the secretariat sees every review (read-only). The other
reviewers' points of the school are shown only once this reviewer has submitted their own.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from thidua.campaigns.assignments import services as assignment_services
from thidua.campaigns.deadlines import effective_deadline
from thidua.campaigns.models import ReviewerAssignment
from thidua.campaigns.phases import Phase, is_at_or_after
from thidua.campaigns.rules import is_campaign_secretariat
from thidua.core.forms import add_service_errors
from thidua.criteria.entries import entry_rule
from thidua.organizations.models import Membership
from thidua.reviews import queries, services
from thidua.reviews.forms import ConflictForm, ReviewEntryForm
from thidua.reviews.models import Review, ReviewEntry, ReviewStatus
from thidua.reviews.rules import sees_all_reviews, sees_other_reviews


def is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def review_url(assignment: ReviewerAssignment) -> str:
    return reverse("reviews:review", args=[assignment.pk])


def get_assignment(request: HttpRequest, assignment_id: int) -> ReviewerAssignment:
    """The assignment if the user is its reviewer or sees every review; else 404."""
    assignment = get_object_or_404(queries.assignments(), pk=assignment_id)
    if not request.user.has_perm("reviews.view_assignment", assignment):
        raise Http404
    return assignment


@login_required
def my_reviews(request: HttpRequest) -> HttpResponse:
    """Việc chấm chéo của tôi: the schools assigned to this reviewer, with the state of each."""
    rows = queries.my_assignments(request.user)
    return render(request, "reviews/review/mine.html", {"assignments": rows})


def _closed_reason(assignment: ReviewerAssignment, review: Review | None) -> str:
    if review is not None and review.status == ReviewStatus.SUBMITTED:
        return _("Bạn đã nộp bài chấm này: chỉ xem, không sửa được.")
    try:
        services.check_can_edit(None, review or Review(assignment=assignment))
    except ValidationError as exc:
        return exc.messages[0]
    return ""


def page_context(request: HttpRequest, assignment: ReviewerAssignment, review: Review, **extra: Any) -> dict[str, Any]:
    user = request.user
    review.assignment = assignment
    is_reviewer = assignment.reviewer_id == user.pk
    campaign = assignment.campaign
    others_visible = sees_other_reviews(user, assignment, review if is_reviewer else None)
    data = queries.load_review(review, others_visible=others_visible, show_names=sees_all_reviews(user, campaign))
    closed = _closed_reason(assignment, review)
    deadline, extended = effective_deadline(campaign, services._deadline_school(assignment), Phase.REVIEW)
    context: dict[str, Any] = {
        "assignment": assignment,
        "campaign": campaign,
        "school": assignment.school,
        "review": review,
        "data": data,
        "result": data.result,
        "is_reviewer": is_reviewer,
        "can_edit": is_reviewer and not closed,
        "closed_reason": closed if is_reviewer else "",
        "deadline": deadline,
        "extended": extended,
        "evidence_next": review_url(assignment),
        "save_status": "",
    }
    context.update(extra)
    return context


def _review_or_none(request: HttpRequest, assignment: ReviewerAssignment) -> Review | None:
    """The review, created for the assigned reviewer on their first visit once the review
    phase has started and the school's self-assessment is submitted."""
    review = Review.objects.filter(assignment=assignment).first()
    if review is not None:
        return review
    if assignment.reviewer_id != request.user.pk or not is_at_or_after(assignment.campaign.phase, Phase.REVIEW):
        return None
    assessment = services.school_assessment(assignment)
    if assessment is None or not assessment.is_locked:
        return None
    return services.ensure_review(actor=request.user, assignment=assignment)


@login_required
def review_page(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment = get_assignment(request, assignment_id)
    review = _review_or_none(request, assignment)
    if review is None:
        return render(
            request, "reviews/review/not_ready.html", {"assignment": assignment, "campaign": assignment.campaign}
        )
    return render(request, "reviews/review/detail.html", page_context(request, assignment, review))


def _entry(review: Review, entry_id: int) -> ReviewEntry:
    return get_object_or_404(ReviewEntry.objects.select_related("node"), pk=entry_id, review=review)


@login_required
@require_POST
def entry_save(request: HttpRequest, assignment_id: int, entry_id: int) -> HttpResponse:
    assignment = get_assignment(request, assignment_id)
    review = get_object_or_404(Review, assignment=assignment)
    entry = _entry(review, entry_id)
    rule = entry_rule(entry.node)
    form = ReviewEntryForm(request.POST, rule=rule)
    error, status, saved = "", 200, None
    if not form.is_valid():
        error, status = form.first_error() or _("Dữ liệu gửi lên không hợp lệ."), 422
    else:
        try:
            saved = services.save_entry(
                actor=request.user, entry=entry, expected_version=form.cleaned_data["version"], **form.service_values()
            )
        except services.StaleReviewEntry as exc:
            error, status = exc.messages[0], 409
        except PermissionDenied as exc:
            error, status = str(exc) or _("Bạn không được sửa bài chấm này."), 403
        except ValidationError as exc:
            error, status = exc.messages[0], 422
    if not is_htmx(request):
        if error:
            messages.error(request, f"{entry.node.code}: {error}")
        else:
            messages.success(request, _("Đã lưu tiêu chí %(code)s.") % {"code": entry.node.code})
        return redirect(f"{review_url(assignment)}#rentry-{entry.pk}")
    context = page_context(request, assignment, review)
    context.update(row=context["data"].row_for(entry.pk), error=error, saved=saved, saved_at=timezone.localtime())
    return render(request, "reviews/review/_saved.html", context, status=status)


@login_required
def review_submit(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """GET: what is still missing and the confirmation; POST: submit and lock."""
    assignment = get_assignment(request, assignment_id)
    if assignment.reviewer_id != request.user.pk:
        raise Http404
    review = get_object_or_404(Review, assignment=assignment)
    if request.method == "POST":
        try:
            services.submit(actor=request.user, review=review)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("Đã nộp bài chấm chéo. Bài chấm đã khóa; bây giờ bạn xem được điểm của những người chấm khác."),
            )
            return redirect(review_url(assignment))
    return render(request, "reviews/review/submit.html", page_context(request, assignment, review))


@login_required
def declare_conflict(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """A reviewer declares a conflict of interest with a school of the campaign (the assigned
    school by default); the assignment, if any and not submitted, is removed."""
    assignment = get_assignment(request, assignment_id)
    if assignment.reviewer_id != request.user.pk and not is_campaign_secretariat(request.user, assignment.campaign):
        raise Http404
    campaign = assignment.campaign
    members = Membership.objects.filter(cluster_year_id=campaign.cluster_year_id).select_related("organization")
    schools = [
        (m.organization.pk, m.organization.name) for m in members if m.organization_id != assignment.reviewer_school_id
    ]
    form = ConflictForm(request.POST or None, schools=schools, initial={"school": assignment.school_id})
    if request.method == "POST" and form.is_valid():
        school = next(m.organization for m in members if m.organization.pk == int(form.cleaned_data["school"]))
        try:
            assignment_services.declare_conflict(
                actor=request.user,
                campaign=campaign,
                reviewer=assignment.reviewer,
                school=school,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi nhận xung đột lợi ích; Thường trực Cụm sẽ phân công người khác."))
            return redirect("reviews:mine")
    return render(
        request, "reviews/review/conflict.html", {"assignment": assignment, "campaign": campaign, "form": form}
    )
