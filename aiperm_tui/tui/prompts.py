"""The SSH layer's `Prompts`, answered by modals in the app.

`SSHPool` calls `passphrase` and `trust_host` from the thread that is connecting. Each
call pushes a modal on the UI thread and blocks that worker thread (never the UI) on a
future until the operator answers. When the app is shutting down every waiting future
gets the safe answer (refuse the host, skip the key), so no thread hangs on exit.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future
from typing import Any, Literal

from textual.app import App
from textual.screen import ModalScreen

from aiperm_tui.tui.modals import HostKeyModal, PassphraseModal

Trust = Literal["once", "always", "refuse"]


class TuiPrompts:
    """Implements `aiperm_tui.ssh.Prompts` with modals; safe to call from any thread."""

    def __init__(self, app: App[Any] | None = None) -> None:
        self.app = app
        self._lock = threading.Lock()
        self._waiting: dict[Future[Any], Any] = {}  # future -> answer on shutdown
        self._closed = False

    def attach(self, app: App[Any]) -> None:
        """The app that shows the modals (the pool is built before the app)."""
        self.app = app

    def _ask(self, modal: ModalScreen[Any], fallback: Any) -> Any:
        future: Future[Any] = Future()
        app = self.app
        with self._lock:
            if self._closed or app is None:
                return fallback
            self._waiting[future] = fallback

        def show() -> None:
            app.push_screen(modal, callback=lambda answer: _settle(future, answer))

        try:
            app.call_from_thread(show)
            return future.result()
        except RuntimeError:  # the app is not running (any more)
            return fallback
        finally:
            with self._lock:
                self._waiting.pop(future, None)

    def passphrase(self, key_path: str) -> str | None:
        """The passphrase typed for `key_path`, or None to skip that key."""
        answer: str | None = self._ask(PassphraseModal(key_path), None)
        return answer

    def trust_host(self, host: str, port: int, key_type: str, fingerprint: str) -> Trust:
        """The operator's verdict on an unknown host key."""
        answer = self._ask(HostKeyModal(host, port, key_type, fingerprint), "refuse")
        return answer if answer in ("once", "always") else "refuse"

    def close(self) -> None:
        """Release every thread still waiting for an answer (app shutdown)."""
        with self._lock:
            self._closed = True
            waiting = list(self._waiting.items())
        for future, fallback in waiting:
            _settle(future, fallback)


def _settle(future: Future[Any], answer: Any) -> None:
    if not future.done():
        future.set_result(answer)
