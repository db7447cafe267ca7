"""aiperm: a terminal session broker between AI agents and your servers.

This module holds the version only, so that `aiperm --version` stays fast.
"""

__version__ = "0.1.0"
