"""`lazy` patterns behave as the compiled pattern and compile only on first use."""

from __future__ import annotations

import re

import pytest

from aiperm_tui.policy import recache
from aiperm_tui.policy.lazyre import lazy


def test_nothing_is_compiled_before_the_first_use(monkeypatch: pytest.MonkeyPatch) -> None:
    compiled: list[str] = []
    real = recache.compile  # what lazy compiles with (the program from the cache, or re's)
    monkeypatch.setattr(
        recache, "compile", lambda p, f=0, own=False: compiled.append(p) or real(p, f, own=own)
    )
    pattern = lazy(r"^(a+)(?P<b>b)?$", re.I)
    assert compiled == []
    assert pattern.match("AAb") is not None and pattern.match("x") is None
    assert compiled == [r"^(a+)(?P<b>b)?$"]
    assert pattern.groups == 2 and pattern.groupindex == {"b": 2} and pattern.flags & re.I
    assert pattern.sub("x", "aa") == "x" and pattern.pattern == r"^(a+)(?P<b>b)?$"
    assert compiled == [r"^(a+)(?P<b>b)?$"]  # once
