"""A hostile review of the thirteenth pass's new read conventions and tables (review13).

Each hole a hostile agent found in what this pass lets run unasked, or in the forms it
raises, closed by its class and asserted at its real level, with the near form that
stays as it was:

- a credential file the reader conventions and every reader could print unasked:
  cloud-init's copies of the user and vendor data and its sensitive instance data
  (`zztool cat /var/lib/cloud/instance/user-data.txt`, `cat
  /run/cloud-init/instance-data-sensitive.json`).
"""

from __future__ import annotations

import pytest
from helpers.policy_corpus import rules_of, verdict

from aiperm_tui.config import Config
from aiperm_tui.policy import PolicyEngine

ENGINE = PolicyEngine(Config())


# Credential files a reader printed unasked (fspaths: the path is the class).
@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    "cmd",
    [
        "cat /run/cloud-init/instance-data-sensitive.json",
        "cat /var/lib/cloud/instance/user-data.txt",
        "cat /var/lib/cloud/instances/i-0abc/user-data.txt",
        "head /var/lib/cloud/instance/vendor-data.txt.i",
        "grep -i pass /var/lib/cloud/instance/user-data.txt",
    ],
)
def test_cloud_init_s_user_data_is_a_credential(cmd: str) -> None:
    assert verdict(ENGINE, cmd) == "typed", (cmd, rules_of(ENGINE, cmd))
    assert "secret.read" in rules_of(ENGINE, cmd)


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    "cmd",
    [
        "cat /run/cloud-init/instance-data.json",
        "ls /var/lib/cloud/instance",
        "cat /var/lib/cloud/instance/boot-finished",
    ],
)
def test_cloud_init_s_other_files_still_read(cmd: str) -> None:
    assert verdict(ENGINE, cmd) == "none", (cmd, rules_of(ENGINE, cmd))
