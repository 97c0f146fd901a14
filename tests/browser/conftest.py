"""Browser tests: one local stack (`make run`) and one chromium for the whole session; each test gets a fresh
page and fails if the page logged a console error, threw, or a request failed."""
from __future__ import annotations

import pytest

from tests.support.browser import LocalStack, Watched, chromium


@pytest.fixture(scope="session")
def local_stack(tmp_path_factory):
    stack = LocalStack(tmp_path_factory.mktemp("localstack") / "localstack.log")
    yield stack
    stack.stop()


@pytest.fixture(scope="session")
def browser():
    with chromium() as found:
        yield found


@pytest.fixture
def watched(browser):
    """A page to drive; after the test, nothing may have gone wrong on it."""
    opened = Watched.open(browser, locale="id-ID")
    opened.page.set_default_timeout(90_000)  # the machine running the suite may be busy
    yield opened
    problems = list(opened.problems)
    opened.close()
    assert problems == [], problems
