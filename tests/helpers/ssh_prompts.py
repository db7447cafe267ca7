"""Scripted `Prompts` for SSH tests: fixed answers, every question recorded."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class ScriptedPrompts:
    """Answers `trust_host` with `trust` and `passphrase` with the next of `passphrases`
    (None once they run out); `asked` keeps every call so tests can check what was shown."""

    trust: str = "refuse"
    passphrases: Iterable[str | None] = ()
    asked: list[tuple[str, tuple[Any, ...]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._answers = iter(self.passphrases)

    def passphrase(self, key_path: str) -> str | None:
        self.asked.append(("passphrase", (key_path,)))
        return next(self._answers, None)

    def trust_host(self, host: str, port: int, key_type: str, fingerprint: str) -> str:
        self.asked.append(("trust_host", (host, port, key_type, fingerprint)))
        return self.trust

    def questions(self, kind: str) -> list[tuple[Any, ...]]:
        return [args for name, args in self.asked if name == kind]
