"""The security tests' fixtures: `unprivileged` runs the broker side as an ordinary user."""

from helpers.unprivileged import unprivileged

__all__ = ["unprivileged"]
