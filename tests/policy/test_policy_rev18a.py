"""The eighteenth pass's lowerings reviewed (rev18a): each bypass class closed, as rows that
must be typed (fresh spellings, not the probe), beside the honest forms the lowering was
for, which must stay where they were (docs/policy.md, "Review of the eighteenth pass's
lowerings (eighteenth pass, rev18a)")."""

from __future__ import annotations

import re

import pytest
from helpers.policy_corpus import assert_level

from aiperm_tui.policy import PolicyEngine, lazyre

pytestmark = pytest.mark.timeout(60)

# A process's root seen through /proc is /, and enough `..` climb to / from any folder
# (siblings of left18's leading `//`): credential reads and critical writes so spelt.
THROUGH_PROC_AND_CLIMBING = [
    ("head -2 /proc/self/root/etc/gshadow", "typed"),
    ("less /proc/thread-self/root/etc/ssl/private/site.key", "typed"),
    ("cat /proc/$$/root/etc/shadow", "typed"),
    ("grep root /proc/1/task/1/root/etc/shadow", "typed"),
    ("tee -a /proc/self/root/etc/sudoers.d/ops < /tmp/rule", "typed"),
    ("cp ./preload /proc/1/root/etc/ld.so.preload", "typed"),
    ("cat /proc/self/cwd/../../../../etc/gshadow", "typed"),
    ("sed -n 1p ../../../../../../etc/shadow", "typed"),
    ("printf 'x\\n' >> ../../../../../etc/ld.so.preload", "typed"),
    ("cat /proc/self/root/etc/hostname", "none"),
    ("ls /proc/1/root/etc", "none"),
    ("cat ../../README.md", "none"),
    ("cat /proc/self/status", "none"),
    ("cp ../../dist/app.tar.gz /srv/releases/", "action"),
]

# aws ssm send-command judged by its shell commands only when the shell's document is the
# one document named (the CLI keeps the last of a repeated option).
SSM_DOCUMENT = [
    (
        "aws ssm send-command --document-name AWS-RunShellScript --document-name Ops-Root"
        " --instance-ids i-0abc --parameters 'commands=[\"hostname\"]'",
        "action",
    ),
    (
        "aws ssm send-command --document-name=AWS-RunShellScript --document-name=Ops-Root"
        " --targets Key=tag:env,Values=prod --parameters 'commands=[\"date\"]'",
        "action",
    ),
    (
        "aws ssm send-command --document-name AWS-RunShellScript --instance-ids i-0abc"
        ' --parameters \'commands=["hostname","date"]\'',
        "none",
    ),
]

# mysql's client command `system` is not case-sensitive (its long forms never are).
CLIENT_SHELL_ANY_CASE = [
    ("mariadb -e 'SYSTEM touch /etc/nologin'", "typed"),
    ("mysql -Nse $'select 1;\\nSystem id'", "typed"),
    ("printf 'SYSTEM id\\n' | mysql -u root", "typed"),
    ("psql -c 'ALTER SYSTEM SET maintenance_work_mem = ''1GB'''", "action"),
    ("mysql -e 'select system_user()'", "none"),
]

# mkswap of a file is a change only when the file is named for swap and a command on the
# line allocated it (an echo's words allocate nothing); the others are denied, as before.
SWAP_FILES = [
    ("echo fallocate /swapfile2; mkswap /swapfile2", "deny"),
    ("echo truncate -s 1G /srv/swap; mkswap /srv/swap", "deny"),
    ("fallocate -l 1G /srv/fx/swaps.db && mkswap /srv/fx/swaps.db", "deny"),
    ("truncate -s 1G /var/lib/mysql/swap_ibdata2 && mkswap /var/lib/mysql/swap_ibdata2", "deny"),
    ("sudo fallocate -l 8G /swapfile2 && sudo mkswap /swapfile2", "action"),
    ("(fallocate -l 1G /mnt/swap1) && mkswap /mnt/swap1", "action"),
    ("dd if=/dev/zero of=/var/swap.img bs=1M count=512 && mkswap /var/swap.img", "action"),
]

CASES = [*THROUGH_PROC_AND_CLIMBING, *SSM_DOCUMENT, *CLIENT_SHELL_ANY_CASE, *SWAP_FILES]


@pytest.mark.parametrize(("cmd", "confirm"), CASES)
def test_a_reviewed_form_is_judged_at_its_level(
    engine: PolicyEngine, cmd: str, confirm: str
) -> None:
    assert_level(engine, cmd, confirm)


@pytest.mark.parametrize(
    "pattern",
    [r"^(a)?b|(^|/)(?(1)c|d)", r"^(?P<n>a)|(^|/)(?(n)b|c)"],
)
def test_grouped_refuses_a_conditional_on_a_group(pattern: str) -> None:
    """Regrouping drops and renumbers groups: a conditional on one would change meaning."""
    with pytest.raises(ValueError):
        lazyre.grouped(pattern)


def test_a_verbose_pattern_is_not_regrouped() -> None:
    """A verbose pattern's comments may hold `|` and parentheses, which the cut reads."""
    with pytest.raises(ValueError):
        lazyre.lazy_predicate("^a # x|y (\n|^b", re.VERBOSE)
