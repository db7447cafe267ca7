"""OpenSSH's "visual host key" (randomart) drawn from a SHA256 fingerprint.

People compare pictures better than 43 base64 characters: `ssh -o VisualHostKey=yes` and
`ssh-keygen -lv` print this drunken-bishop walk over the fingerprint's digest, so an
operator can hold the picture aiperm shows next to the one the server's administrator
got from `ssh-keygen -lv -f /etc/ssh/ssh_host_ed25519_key.pub`. The walk is OpenSSH's
(sshkey.c, `fingerprint_randomart`) step for step; a test compares it with ssh-keygen.
"""

from __future__ import annotations

import base64
import binascii

WIDTH, HEIGHT = 17, 9
SYMBOLS = " .o+=*BOX@%&#/^SE"
START, END = len(SYMBOLS) - 2, len(SYMBOLS) - 1

# the title OpenSSH puts in the top border, by key type (RSA's size is not in its name)
_TITLES = {
    "ssh-ed25519": "ED25519 256",
    "ecdsa-sha2-nistp256": "ECDSA 256",
    "ecdsa-sha2-nistp384": "ECDSA 384",
    "ecdsa-sha2-nistp521": "ECDSA 521",
    "ssh-rsa": "RSA",
    "ssh-dss": "DSA 1024",
}


def digest_of(fingerprint: str) -> bytes:
    """The raw SHA256 digest of an OpenSSH `SHA256:…` fingerprint; ValueError otherwise."""
    name, _, encoded = fingerprint.partition(":")
    if name != "SHA256" or not encoded:
        raise ValueError(f"not a SHA256 fingerprint: {fingerprint!r}")
    try:
        raw = base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True)
    except binascii.Error:
        raise ValueError(f"not a SHA256 fingerprint: {fingerprint!r}") from None
    if len(raw) != 32:
        raise ValueError(f"not a SHA256 fingerprint: {fingerprint!r}")
    return raw


def _walk(digest: bytes) -> list[list[int]]:
    field = [[0] * HEIGHT for _ in range(WIDTH)]
    x, y = WIDTH // 2, HEIGHT // 2
    for byte in digest:
        for _ in range(4):
            x = min(max(x + (1 if byte & 1 else -1), 0), WIDTH - 1)
            y = min(max(y + (1 if byte & 2 else -1), 0), HEIGHT - 1)
            if field[x][y] < START - 1:
                field[x][y] += 1
            byte >>= 2
    field[WIDTH // 2][HEIGHT // 2] = START
    field[x][y] = END
    return field


def _border(title: str) -> str:
    title = title[:WIDTH]
    left = (WIDTH - len(title)) // 2
    return "+" + "-" * left + title + "-" * (WIDTH - left - len(title)) + "+"


def randomart(fingerprint: str, key_type: str = "") -> str:
    """The 11-line picture of `fingerprint` (`SHA256:…`), titled with the key type."""
    field = _walk(digest_of(fingerprint))
    title = _TITLES.get(key_type, key_type.removeprefix("ssh-").upper())
    rows = ["|" + "".join(SYMBOLS[field[x][y]] for x in range(WIDTH)) + "|" for y in range(HEIGHT)]
    return "\n".join([_border(f"[{title}]" if title else ""), *rows, _border("[SHA256]")])
