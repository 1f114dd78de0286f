from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from thidua.accounts import services
from thidua.accounts.demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from thidua.accounts.forms import RoleGrantForm, UserCreateForm
from thidua.accounts.models import RoleAssignment, User
from thidua.core.audit import entries_for
from thidua.core.forms import add_service_errors, apply_form
from thidua.core.text import search_key


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: object) -> dict[str, object]:
        context = super().get_context_data(**kwargs)
        if settings.DEMO_MODE:
            context["demo_accounts"] = DEMO_ACCOUNTS
            context["demo_password"] = DEMO_PASSWORD
        return context


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    assignments = RoleAssignment.objects.filter(user_id=request.user.pk or 0).select_related("organization", "cluster")
    return render(request, "accounts/profile.html", {"assignments": assignments})


_ASSIGNMENTS = Prefetch("role_assignments", queryset=RoleAssignment.objects.select_related("organization", "cluster"))


@login_required
@permission_required("accounts.manage_users", raise_exception=True)
def user_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    users = User.objects.select_related("organization").prefetch_related(_ASSIGNMENTS).order_by("username")
    if q:
        users = users.filter(username__icontains=q) | users.filter(organization__name_search__contains=search_key(q))
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html", {"page": page, "q": q})


@login_required
@permission_required("accounts.manage_users", raise_exception=True)
def user_create(request: HttpRequest) -> HttpResponse:
    form = UserCreateForm(request.POST or None)
    done = apply_form(request, form, lambda data: services.create_user(actor=request.user, **data))
    if done:
        messages.success(request, _("Đã tạo người dùng %(u)s.") % {"u": done.result.username})
        return redirect("accounts:user_detail", done.result.pk)
    return render(request, "accounts/user_form.html", {"form": form})


@login_required
@permission_required("accounts.manage_users", raise_exception=True)
def user_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    person = get_object_or_404(User.objects.select_related("organization"), pk=user_id)
    form = RoleGrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.grant_role(actor=request.user, user=person, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã phân quyền."))
            return redirect("accounts:user_detail", person.pk)
    assignments = person.role_assignments.select_related("organization", "cluster")
    return render(
        request,
        "accounts/user_detail.html",
        {"person": person, "assignments": assignments, "form": form, "entries": entries_for(person)[:50]},
    )


@login_required
@permission_required("accounts.manage_users", raise_exception=True)
@require_POST
def role_revoke(request: HttpRequest, user_id: int, assignment_id: int) -> HttpResponse:
    assignment = get_object_or_404(RoleAssignment, pk=assignment_id, user_id=user_id)
    services.revoke_role(actor=request.user, assignment=assignment, reason=request.POST.get("reason", ""))
    messages.success(request, _("Đã thu hồi phân quyền."))
    return redirect("accounts:user_detail", user_id)
