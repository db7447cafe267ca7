"""Exit codes and the errors that carry them.

The exit codes are an API: `aiperm run`, `aiperm ask` and `aiperm check` follow the
forced-command gate convention (docs/configuration.md), so scripts and agents can act on them.
Every error that reaches the CLI is an `AipermError`: it prints as one line and exits
with its code, never as a traceback.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes shared by every subcommand."""

    OK = 0
    DENIED = 1  # denied by policy (also: verify found tampering)
    REFUSED = 2  # confirmation refused, or no terminal to ask
    ENGINE = 3  # policy engine error
    BAD_JSON = 4  # malformed JSON input
    USAGE = 5  # usage, configuration or startup security error
    EXEC = 6  # execution failure: connection, or a command failing under fail_fast


class AipermError(Exception):
    """An error with a one-line message meant for the user and an exit code."""

    exit_code: ExitCode = ExitCode.USAGE

    def __init__(self, message: str, exit_code: ExitCode | None = None) -> None:
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code

    @property
    def message(self) -> str:
        return str(self)


class UsageError(AipermError):
    """Bad arguments or a bad configuration file."""

    exit_code = ExitCode.USAGE


class ConfigError(UsageError):
    """The configuration file is missing, unreadable or invalid (names the key)."""


class BadJSONError(AipermError):
    """Input that should be JSON is not, or is not of the expected shape."""

    exit_code = ExitCode.BAD_JSON


class SecurityError(AipermError):
    """A startup security check failed: unknown or changed host key, bad key file mode."""

    exit_code = ExitCode.USAGE


class ExecError(AipermError):
    """A command could not be run: connection refused, lost, or authentication failed."""

    exit_code = ExitCode.EXEC
