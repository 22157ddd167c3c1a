"""Course directories for the CLI's tests (imported by them as fixtures; not a conftest.py)."""

import shutil

import pytest

from autograder import cli


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    """A course dir where search is released and nothing was submitted."""
    course = str(tmp_path_factory.mktemp("released") / "course")
    assert cli.main(["--course-dir", course, "release", "search"]) == 0
    return course


@pytest.fixture
def course(released, tmp_path):
    """A copy of ``released`` of the test's own."""
    copy = str(tmp_path / "course")
    shutil.copytree(released, copy)
    return copy
