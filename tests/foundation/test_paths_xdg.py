"""aiperm's user folders: its own XDG lookup (which keeps platformdirs off the path of
`aiperm check`) gives platformdirs' answer, whatever the environment holds."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import platformdirs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aiperm_tui import paths

VARIABLES = ("HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "AIPERM_DATA_DIR")
# Values a user's environment may hold: unset (None), empty, blank, relative, absolute,
# with trailing or doubled slashes, with spaces.
VALUES = st.one_of(
    st.none(),
    st.sampled_from(["", " ", "rel", "rel/dir", "~", "/", "//x", "/x/", "/a b/ c", " /lead"]),
    st.text(alphabet="/ab. ~", max_size=8),
)


@contextmanager
def environment(values: dict[str, str | None]) -> Iterator[None]:
    """os.environ with `values` set (None: unset) for the block, restored after."""
    saved = {name: os.environ.get(name) for name in values}
    try:
        for name, value in values.items():
            _put(name, value)
        yield
    finally:
        for name, value in saved.items():
            _put(name, value)


def _put(name: str, value: str | None) -> None:
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value


def _answer(call: object) -> Path | str:
    """A folder, or the kind of error asking for it raised (no HOME to be found)."""
    try:
        return call()  # type: ignore[operator, no-any-return]
    except (RuntimeError, KeyError) as exc:
        return type(exc).__name__


# No per-example deadline: each example is microseconds of work, and what the test holds
# is the answer, not its speed; a deadline only failed it when a loaded machine paused
# the process between two clock readings. The 60 s timeout still stops a hang.
@pytest.mark.timeout(60)
@settings(deadline=None, max_examples=300)
@given(st.fixed_dictionaries({name: VALUES for name in VARIABLES[:4]}))
def test_each_folder_is_platformdirs_answer(values: dict[str, str | None]) -> None:
    with environment(values):
        assert _answer(paths.config_dir) == _answer(
            lambda: platformdirs.user_config_path(paths.APP)
        )
        assert _answer(paths.cache_dir) == _answer(lambda: platformdirs.user_cache_path(paths.APP))
        with environment({"AIPERM_DATA_DIR": None}):
            assert _answer(paths.data_dir) == _answer(
                lambda: platformdirs.user_data_path(paths.APP)
            )


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the lookup of Linux")
def test_the_usual_environment_is_answered_without_platformdirs() -> None:
    """An absolute HOME, with or without XDG variables: aiperm's own lookup answers."""
    for xdg in (None, "", "/srv/xdg"):
        with environment({"HOME": "/home/op", "XDG_CACHE_HOME": xdg}):
            expected = Path(xdg or "/home/op/.cache", "aiperm")
            assert Path(paths._xdg_home("XDG_CACHE_HOME", ".cache") or "") == expected
    with environment({"HOME": "relative", "XDG_CACHE_HOME": None}):
        assert paths._xdg_home("XDG_CACHE_HOME", ".cache") is None  # platformdirs decides
    with environment({"HOME": "/home/op", "XDG_CACHE_HOME": "relative"}):
        assert paths._xdg_home("XDG_CACHE_HOME", ".cache") is None
