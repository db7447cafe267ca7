"""Allow `python -m aiperm_tui`."""

from aiperm_tui.cli import entry

entry()
