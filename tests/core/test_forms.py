"""apply_form: the one step of every form view, form → service → errors on the form."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.cache import SessionStore
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from thidua.core.forms import Accepted, apply_form


class NameForm(forms.Form):
    name = forms.CharField(max_length=10)


def request_for(method: str, data: dict[str, str] | None = None):
    factory = RequestFactory()
    request = factory.post("/", data or {}) if method == "POST" else factory.get("/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def messages_of(request) -> list[str]:
    return [str(message) for message in get_messages(request)]


def test_a_valid_post_calls_the_service_with_the_cleaned_data_and_says_so():
    request = request_for("POST", {"name": " Lan "})
    calls = []

    done = apply_form(request, NameForm(request.POST), lambda data: calls.append(data) or "saved", success="Đã lưu.")

    assert done == Accepted("saved")
    assert calls == [{"name": "Lan"}]
    assert messages_of(request) == ["Đã lưu."]


def test_a_service_that_returns_nothing_is_still_accepted():
    request = request_for("POST", {"name": "Lan"})

    done = apply_form(request, NameForm(request.POST), lambda data: None)

    assert done == Accepted(None)
    assert messages_of(request) == []


def test_a_get_never_calls_the_service():
    request = request_for("GET")

    done = apply_form(request, NameForm({"name": "Lan"}), lambda data: pytest.fail("called"))

    assert done is None


def test_an_invalid_form_never_calls_the_service():
    request = request_for("POST", {"name": "a name that is too long"})
    form = NameForm(request.POST)

    done = apply_form(request, form, lambda data: pytest.fail("called"), success="Đã lưu.")

    assert done is None
    assert list(form.errors) == ["name"]
    assert messages_of(request) == []


def test_a_refusal_goes_onto_the_form_by_field_and_on_top():
    request = request_for("POST", {"name": "Lan"})
    form = NameForm(request.POST)

    def refuse(data):
        raise ValidationError({"name": "Tên đã có.", "__all__": "Người khác vừa sửa."})

    done = apply_form(request, form, refuse, success="Đã lưu.")

    assert done is None
    assert form.errors == {"name": ["Tên đã có."], "__all__": ["Người khác vừa sửa."]}
    assert messages_of(request) == []
