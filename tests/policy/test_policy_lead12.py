"""The lead's fixes of the twelfth pass. A read form's wildcard names a thing, never a
verb (review12 found `civo instance reboot show` run unasked: `paas.read`'s `* * show`
took `reboot` for a noun); a Gradle listing takes only options that change what it
prints."""

from __future__ import annotations

import pytest
from helpers.policy_corpus import verdict

from aiperm_tui.config import Config
from aiperm_tui.policy import PolicyEngine

ENGINE = PolicyEngine(Config())


@pytest.mark.parametrize(
    "cmd",
    [
        "civo instance reboot show",
        "civo instance stop list",
        "civo kubernetes delete list",
        "confluent kafka restart list",
        "zli wipeall list",
        "duply purge status",
    ],
)
def test_a_verb_in_a_wildcard_slot_is_not_a_read(cmd: str) -> None:
    assert verdict(ENGINE, cmd) in {"action", "typed", "deny"}


@pytest.mark.parametrize(
    "cmd",
    [
        "civo instance list",
        "civo kubernetes show prod",
        "zli image list --config zot",
        "yc compute snapshot list",
        "confluent kafka topic list",
        "duply ledger status",
    ],
)
def test_a_noun_in_a_wildcard_slot_still_reads(cmd: str) -> None:
    assert verdict(ENGINE, cmd) == "none"


@pytest.mark.parametrize(
    "cmd",
    [
        "gradle tasks --write-locks",
        "gradle dependencies --update-locks org.x:y",
        "gradle tasks --project-cache-dir=/etc/cron.d",
        "./gradlew dependencies --write-verification-metadata sha256",
    ],
)
def test_a_gradle_listing_with_an_option_that_writes_is_gated(cmd: str) -> None:
    """review12: `gradle.listing` took any option, so these ran unasked."""
    assert verdict(ENGINE, cmd) in {"plan", "action", "typed", "deny"}


@pytest.mark.parametrize(
    "cmd", ["gradle tasks", "./gradlew tasks --all", "./gradlew -q --offline dependencies"]
)
def test_a_gradle_listing_with_printing_options_still_reads(cmd: str) -> None:
    assert verdict(ENGINE, cmd) == "none"
