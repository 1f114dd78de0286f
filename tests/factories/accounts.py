from __future__ import annotations

import factory

from thidua.accounts.models import RoleAssignment, User

PASSWORD = "mat-khau-thu-nghiem-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Người dùng {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):  # noqa: N805 -- factory_boy's signature
        if create:
            obj.save()


def grant(user: User, role: str, **scope: object) -> RoleAssignment:
    return RoleAssignment.objects.create(user=user, role=role, **scope)
