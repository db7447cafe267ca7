"""Waiting in Pilot tests: let the app run until something holds, or fail the test."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from textual._context import visible_screen_stack
from textual.app import App
from textual.pilot import Pilot


async def until(pilot: Pilot[Any], condition: Callable[[], Any], timeout: float = 30.0) -> None:
    """Let the app run until `condition()` holds; an AssertionError after `timeout` s
    (generous: it only bounds how long a failing test takes, and a loaded CI box runs
    the app many times slower than an idle one)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the app")
        await pilot.pause(0.02)


async def wait_for(condition: Callable[[], Any], timeout: float, failure: str) -> None:
    """Like `until`, without Pilot's pause: for a wait that must not add one (when the
    test measures how long the app takes to answer) or that outlives the app (its
    exit). An AssertionError saying `failure` after `timeout` s."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(failure)
        await asyncio.sleep(0.005)


def screen_text(app: App[Any]) -> str:
    """The text on the terminal now, as Textual's compositor draws it (dialogs over the
    screen below them): what the operator can read, not what a widget holds."""
    visible_screen_stack.set(app._background_screens)
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())
