"""The jail under the dev_sandbox preset (issue 14): every path a line writes, deletes,
moves away or links through is judged where it really lands, as far as the text shows.

Classes: a move deletes at its source; a link (ln, ln -s, cp -s/-l, link, mount --bind,
bindfs) made on the line sends every later path through it to its target, and a link in
the jail that leads out of it is gated by the typed code; a `cd` that may fail or be
skipped leaves the line where it was; `git -C`/`make -C` work in that folder; an option
that names the file a tool writes (`sort -o`, `iconv -o`) is a write to that path.
"""

from __future__ import annotations

import pytest
from helpers.fuzz import FUZZ_DEADLINE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aiperm_tui.config import Config, HostConfig
from aiperm_tui.policy import PolicyEngine

JAIL = "/srv/app"
ENGINE = PolicyEngine(Config(hosts={"dev": HostConfig(name="dev", jail_root=JAIL)}))


def jailed(cmd: str) -> tuple[str, str, str]:
    d = ENGINE.decide(cmd, host="dev", preset="dev_sandbox")
    return d.decision, d.confirm, d.layer


# Writes, deletes and moves that land outside the jail: denied by the jail layer.
@pytest.mark.parametrize(
    "cmd",
    [
        # a move's source is a delete there
        "mv /etc/nginx/nginx.conf /srv/app/x",
        "mv -t /srv/app/in /var/lib/app/state.db",
        "mv ../other/config.yml ./config.yml",
        "rsync -a --remove-source-files /var/backups/ /srv/app/b/",
        # a symbolic link made on the line, then a write through it
        "ln -sfn /etc /srv/app/e; echo x > /srv/app/e/crontab",
        "ln -s ../../etc /srv/app/e && tee /srv/app/e/hosts < h",
        "ln -s /etc conf; cd conf; rm -f hosts.allow",
        "ln -s /var/www w; cp site.conf w/default",
        "ln -s /etc/cron.d /srv/app/c; bash -c 'echo job > /srv/app/c/x'",
        "ln -s /etc /srv/app/e; dd if=pw of=/srv/app/e/passwd",
        "sh -c 'ln -s /etc /srv/app/e'; echo x > /srv/app/e/crontab",
        # a hard link to an outside file: writing the link writes the file
        "ln /etc/crontab c; echo '* * * * * root id' >> c",
        "link /etc/sudoers s && echo 'x ALL=(ALL) NOPASSWD: ALL' >> s",
        # a tree of symbolic links, a bind mount
        "cp -rs /etc /srv/app/e; echo x > /srv/app/e/hosts",
        "mount --bind /etc /srv/app/m; echo x > /srv/app/m/hosts",
        "mount -o ro,bind /root /srv/app/r; rm -f /srv/app/r/.bashrc",
        "bindfs /usr/local /srv/app/u && rm -f /srv/app/u/bin/tool",
        # the working folder, from every form that changes it
        "cd /etc && rm -f nginx/nginx.conf",
        "cd /etc || cd /srv/app; rm -f hosts",
        "(cd /etc; rm -f x)",
        "pushd /etc; rm x",
        "env -C /etc rm -f x",
        "sudo -D /etc rm -f x",
        "sudo --chdir=/etc rm -f x",
        "systemd-run --working-directory=/etc rm -f x",
        "git --work-tree=/etc checkout -- .",
        "unzip -o a.zip -d /etc",
        "7z x a.7z -o/etc",
        "git -C /etc commit -am x",
        "make -C /etc install",
        "tar -C /etc -xf /srv/app/a.tar",
        "cd; rm -f .bashrc",
        "cd ~/x && rm -f y",
        # writers whose output file is an option's value
        "iconv -f utf8 -t ascii -o /etc/passwd x",
        "shuf -o /etc/hosts x",
        "sort -o /etc/x y",
        "tcpdump -c 5 -w /var/tmp/cap.pcap",
    ],
)
def test_outside_the_jail_is_denied(cmd: str) -> None:
    assert jailed(cmd)[0::2] == ("deny", "jail"), ENGINE.decide(cmd, "dev", "dev_sandbox")


# A link in the jail that leads out of it: later commands can write through it and the
# engine will not see where, so the link itself needs the typed code.
@pytest.mark.parametrize(
    "cmd",
    [
        "ln -s /etc /srv/app/e",
        "ln -sfn /etc/nginx conf",
        "ln -s ../.. up",
        "cp -s /etc/hosts /srv/app/hosts",
        "mount --bind /var/lib/mysql /srv/app/db",
        "ln -s $TARGET /srv/app/t",
    ],
)
def test_a_link_out_of_the_jail_is_typed(cmd: str) -> None:
    assert jailed(cmd) == ("allow", "typed", "jail"), ENGINE.decide(cmd, "dev", "dev_sandbox")


# Inside the jail, the same forms stay relaxed.
@pytest.mark.parametrize(
    "cmd",
    [
        "mv a b",
        "mv -t /srv/app/d a b",
        "cd sub && mv a b",
        "cd /srv/app/sub; rm x",
        "ln -s /srv/app/lib /srv/app/l; echo x > /srv/app/l/a",
        "ln -s lib/v2 current",
        "sort -o sorted.txt data.txt",
        "git -C /srv/app/sub status",
        "touch a b; ls -la",
    ],
)
def test_inside_the_jail_stays_relaxed(cmd: str) -> None:
    decision, confirm, _layer = jailed(cmd)
    assert decision == "allow" and confirm in ("none", "plan"), ENGINE.decide(cmd, "dev")


def test_a_path_through_a_link_is_judged_as_its_target_without_a_jail() -> None:
    """The link data flow is not only the jail's: a write through a link made on the
    line is judged as a write to the place it leads to, under any preset."""
    plain = PolicyEngine(Config())
    d = plain.decide("ln -sf /etc/cron.d /tmp/c; echo '* * * * * root sh' > /tmp/c/job")
    assert d.confirm == "typed" and "/etc/cron.d/job" in d.reason
    read = plain.decide("ln -s /etc/shadow s; cat s")
    assert read.confirm == "typed"
    assert any(f.rule == "fs.through_link" for f in read.findings)
    ran = plain.decide("ln -s /bin/rm x; ./x -rf /")
    assert ran.decision == "deny"


def test_install_with_a_setuid_mode_is_typed() -> None:
    plain = PolicyEngine(Config())
    assert plain.decide("install -m 4755 /bin/sh /tmp/x").confirm == "typed"
    assert plain.decide("install -o root -m u+s ./t /usr/local/bin/t").confirm == "typed"
    assert plain.decide("install -m 0755 build/app /tmp/app").confirm == "action"


def test_appending_to_authorized_keys_is_typed_like_any_credential_write() -> None:
    plain = PolicyEngine(Config())
    assert plain.decide("echo 'ssh-ed25519 AAAA k' >> ~/.ssh/authorized_keys").confirm == "typed"
    assert plain.decide("tee -a /home/deploy/.ssh/authorized_keys < k.pub").confirm == "typed"


# Words of the forms this file judges, mixed at random: the engine answers every line
# (never an engine error) in time, with or without the jail.
_WORDS = [
    "ln",
    "-s",
    "-t",
    "-T",
    "-sfn",
    "link",
    "cp",
    "-l",
    "mount",
    "--bind",
    "-o",
    "bind",
    "bindfs",
    "mv",
    "rsync",
    "--remove-source-files",
    "sort",
    "iconv",
    "-w",
    "tcpdump",
    "--output=",
    "cd",
    "pushd",
    "-",
    "~",
    "$X",
    "/etc",
    "e",
    "e/x",
    "..",
    "/",
    "/srv/app/e",
    "git",
    "-C",
    "make",
    "-C/etc",
    "--directory=/x",
    "IFS=,",
    "IFS=$(x)",
    "c=rm,-rf,/x",
    "$c",
    "set",
    "--",
    '"$@"',
    "a=(rm",
    "-rf)",
    '"${a[@]}"',
    "read",
    "-ra",
    "mapfile",
    "<<<",
    ";",
    "&&",
    "||",
    "|",
    "(",
    ")",
]


@settings(max_examples=300, deadline=FUZZ_DEADLINE, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=12))
@pytest.mark.timeout(120)
def test_the_engine_answers_any_mix_of_these_forms(words: list[str]) -> None:
    cmd = " ".join(words)
    for preset in ("dev_sandbox", "ops_safe"):
        d = ENGINE.decide(cmd, host="dev", preset=preset)
        assert "engine error" not in d.reason, (cmd, d)
