"""The visual host key is OpenSSH's, picture for picture, and its parser refuses what is
not a SHA256 fingerprint with a ValueError, never another error."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from helpers.fuzz import FUZZ_DEADLINE
from helpers.sshd import SSH_KEYGEN, generate_key
from hypothesis import given, settings
from hypothesis import strategies as st

from aiperm_tui.ssh import fingerprint
from aiperm_tui.ssh.randomart import digest_of, randomart

pytestmark = pytest.mark.timeout(60)


@pytest.mark.parametrize("kind", ["ed25519", "ecdsa"])
def test_randomart_is_the_picture_ssh_keygen_draws(tmp_path: Path, kind: str) -> None:
    for n in range(3):
        key = generate_key(tmp_path / f"{kind}{n}", kind=kind)
        shown = subprocess.run(
            [SSH_KEYGEN, "-lv", "-f", f"{tmp_path / f'{kind}{n}'}.pub"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert randomart(fingerprint(key), key.get_name()) == "\n".join(shown.splitlines()[1:12])


@settings(deadline=FUZZ_DEADLINE, max_examples=300)
@given(st.text(max_size=80))
def test_anything_else_is_a_value_error(text: str) -> None:
    try:
        digest = digest_of(text)
    except ValueError:
        return
    assert len(digest) == 32 and text.startswith("SHA256:")
    assert len(randomart(text).splitlines()) == 11
