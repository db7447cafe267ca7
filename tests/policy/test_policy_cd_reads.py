"""A credential read through a relative name after `cd` on the same line, and the
subshells a `cd` cannot leave.

The engine keeps every folder the line may be in (analysis.py `Analysis.cwds`); a
relative name is classed in each of them (`cd ~/.ssh && cat id_rsa` reads a key), a
folder of the home is kept as `~/...` (`cd`, `cd ~/.aws`, `cd "$HOME/.kube"`), and a
`cd` inside `( )`, `$( )` or `<( )` moves only that subshell: `(cd /tmp && make) && ls`
lists where the line was; `eval`'s does move the line, a child shell's (`sh -c`) does
not. Holds at the engine level, for any Unix user (pure analysis).
"""

from __future__ import annotations

import pytest

from aiperm_tui.config import Config, HostConfig
from aiperm_tui.policy import PolicyEngine
from aiperm_tui.policy.analysis import Analysis

JAIL = "/srv/app"
ENGINE = PolicyEngine(Config(hosts={"dev": HostConfig(name="dev", jail_root=JAIL)}))

READS_AFTER_CD = [
    "cd ~/.ssh && cat id_rsa",
    "cd /etc && cat shadow",
    "pushd ~/.aws; cat credentials",
    'cd "$HOME/.kube" && head -50 config',
    "cd ${HOME}/.kube && head -50 config",
    "cd && cat .ssh/id_ed25519",
    "cd /srv || cd /etc; cat shadow",
    "cd /root/.ssh; cat id_ecdsa",
    "cd ~/.ssh && cat id_*",
    "cd ~/.ssh && cat < id_rsa",
    "cd /etc/ssl && base64 private/server.key",
    "(cd ~/.ssh && cat id_rsa)",
    "echo $(cd ~/.aws; cat credentials)",
    "cd ~ && cat .netrc",
    "cd ~root/.ssh && cat id_rsa",
    "eval 'cd /etc'; cat shadow",  # eval runs in this shell: its cd moves the line
]


@pytest.mark.timeout(30)
@pytest.mark.parametrize("cmd", READS_AFTER_CD)
def test_a_credential_read_after_cd_is_typed(cmd: str) -> None:
    for preset in ("read_only", "ops_safe"):
        d = ENGINE.decide(cmd, preset=preset)
        assert d.confirm == "typed", (preset, d)
        assert "secret.read" in {f.rule for f in d.findings}, (preset, d)


NOT_SECRETS = [
    "cd ~/.ssh && cat known_hosts",
    "cd ~/.ssh && ls -la",
    "cd ~/.ssh && cat id_rsa.pub",
    "cd /etc && cat passwd hostname",
    "(cd /etc) && cat shadow",  # the subshell's cd leaves the line where it was
    "echo $(cd /etc; pwd) && cat shadow",
    "cd ~/.aws && ls",
    "sh -c 'cd /etc'; cat shadow",  # a child shell's cd does not move the line
]


@pytest.mark.timeout(30)
@pytest.mark.parametrize("cmd", NOT_SECRETS)
def test_other_files_after_cd_are_not_credentials(cmd: str) -> None:
    d = ENGINE.decide(cmd, preset="read_only")
    assert "secret.read" not in {f.rule for f in d.findings}, d
    assert (d.decision, d.confirm) == ("allow", "none"), d


def _cwds_after(cmd: str) -> tuple[str | None, ...]:
    return Analysis(cmd, cwd=JAIL).run().cwds


@pytest.mark.timeout(30)
@pytest.mark.parametrize(
    ("cmd", "cwds"),
    [
        ("(cd /tmp && make)", (JAIL,)),
        ("(cd /tmp; (cd /etc)) ; true", (JAIL,)),
        ("x=$(cd /tmp && pwd)", (JAIL,)),
        ("diff <(cd /tmp && ls) <(ls)", (JAIL,)),
        ("(cd /tmp) && cd lib", (f"{JAIL}/lib", JAIL)),
        ("cd /tmp", ("/tmp", JAIL)),
        ("cd ~/.kube", ("~/.kube", JAIL)),
        ("cd", ("~", JAIL)),
        ("cd ~deploy/app", ("/home/deploy/app", JAIL)),
        ("cd ~$U/app", (None, JAIL)),
        ("eval cd /tmp", ("/tmp", JAIL)),
        ("bash -c 'cd /tmp'", (JAIL,)),
    ],
)
def test_where_the_line_is_after(cmd: str, cwds: tuple[str | None, ...]) -> None:
    assert _cwds_after(cmd) == cwds


@pytest.mark.timeout(30)
def test_inside_the_subshell_the_cd_counts() -> None:
    analysis = Analysis("(cd /tmp && touch x)", cwd=JAIL).run()
    touched = [t for h in analysis.hits for t in h.targets]
    assert {t.cwd for t in touched} == {"/tmp", JAIL}


def _jailed(cmd: str) -> tuple[str, str]:
    d = ENGINE.decide(cmd, host="dev", preset="dev_sandbox")
    return d.decision, d.layer


@pytest.mark.timeout(30)
def test_a_subshell_cd_does_not_make_the_outer_line_stricter() -> None:
    """Before: `(cd /tmp && make) && rm -rf build` was denied by the jail, as if the rm
    could run in /tmp; it runs where the line was."""
    assert _jailed("(cd /tmp && make) && rm -rf build") == _jailed("make && rm -rf build")
    assert _jailed("echo $(cd /tmp; pwd) && rm -rf build") == _jailed("rm -rf build")
    assert _jailed("make && rm -rf build")[1] != "jail"
    # without the subshell, or with the delete inside it, the jail still answers
    assert _jailed("cd /tmp && make && rm -rf build") == ("deny", "jail")
    assert _jailed("(cd /tmp && rm -rf build)") == ("deny", "jail")
    assert _jailed("(cd /tmp) ; cd /etc && rm -rf build") == ("deny", "jail")
