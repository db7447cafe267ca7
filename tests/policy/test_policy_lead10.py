"""The lead's fixes of the tenth pass: a read subcommand whose report is written to a
file named by an output option is a write of that file (judged by the file's class), and
an output option's format value stays a read."""

from __future__ import annotations

import pytest
from helpers.policy_corpus import verdict

from aiperm_tui.config import Config
from aiperm_tui.policy import PolicyEngine

ENGINE = PolicyEngine(Config())


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("cmd", "expected"),
    [
        # the path an output option names is written, whatever tool's read it is
        ("tailscale status -o /etc/cron.d/ts", "typed"),
        ("tailscale status --output=/etc/profile.d/x.sh", "typed"),
        ("helm list --output /tmp/releases.txt", "action"),
        ("tailscale status -o /dev/null", "none"),
        # a format is not a file
        ("tailscale status --json", "none"),
        ("helm list -o yaml", "none"),
        ("helm list --output json", "none"),
    ],
)
def test_a_reads_output_file_is_written(cmd: str, expected: str) -> None:
    assert verdict(ENGINE, cmd) == expected, cmd
