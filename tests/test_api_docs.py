"""The examples of the Python API page run, from the project's root, as a user's would."""

from __future__ import annotations

import doctest

import pytest

from project import ROOT

PAGE = ROOT / "docs" / "guide" / "api.rst"


def test_the_api_page_examples_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("SYSABI_CACHE", "")  # no cache written by the docs' examples
    failures, attempted = doctest.testfile(
        str(PAGE),
        module_relative=False,
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
        raise_on_error=False,
        verbose=False,
    )
    assert attempted > 15
    assert failures == 0
