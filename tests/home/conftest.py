import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(fast_password_hashing):
    """Every test here hashes with a fast hasher; a module that tests hashing overrides this."""
