"""Passwords are stored as argon2 hashes (the configured hashers, not the tests' fast one)."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import identify_hasher

from thidua.accounts import services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_password_hashing():
    """Keep the configured hashers here (overrides the directory's fast one)."""


def test_passwords_are_stored_as_argon2_hashes(db):
    user = services.create_user(actor=None, username="moi", full_name="Người Mới", password="mat-khau-rat-dai-2026")

    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
    assert identify_hasher(user.password).algorithm == "argon2"
    assert "mat-khau-rat-dai-2026" not in user.password
    assert user.check_password("mat-khau-rat-dai-2026") is True
