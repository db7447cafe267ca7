"""Terminal input that cannot take the keyboard away from the operator.

Textual's Linux driver decodes what the terminal sends with a strict UTF-8 decoder; one
invalid byte (a paste from a Latin-1 terminal, binary output pasted back, a multiplexer
glitch) raises in its input thread, which ends the app with a traceback, the session
closed as "interrupted" (Textualize/textual#6456, open at Textual 8.2). aiperm promises
that nothing stops the broker answering the keyboard, so the driver is given a decoder
that replaces invalid bytes with U+FFFD instead: a bad byte becomes one "�" typed.
"""

from __future__ import annotations

import codecs
import functools
from collections.abc import Callable


def tolerate_invalid_utf8() -> None:
    """Make Textual's Linux driver decode terminal input with errors="replace" (it asks
    its module's `getincrementaldecoder` for the decoder class each time an app starts)."""
    try:
        from textual.drivers import linux_driver
    except ImportError:  # no termios: not the Linux driver's platform
        return
    linux_driver.getincrementaldecoder = _replacing  # type: ignore[attr-defined,assignment]


def _replacing(encoding: str) -> Callable[[], codecs.IncrementalDecoder]:
    return functools.partial(codecs.getincrementaldecoder(encoding), errors="replace")
