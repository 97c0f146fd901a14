import pytest

from tests.support import terraform


@pytest.fixture(scope="session")
def tf() -> terraform.Config:
    """terraform/*.tf parsed by python-hcl2 (its own venv, built by make test)."""
    return terraform.load()
