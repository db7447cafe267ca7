"""Typed-confirmation challenge codes.

For a `typed` confirmation the operator must type a short code shown next to the
command, so a tired "yes" cannot approve `rm -rf /`. The code is an HMAC-SHA256 of the
exact command text and the session, keyed with a secret the broker draws at start and
keeps only in memory (`new_secret`). The key is what makes it a challenge: the session
id is public (discovery file, folder names), so an unkeyed hash would let the agent
compute the code and coach the operator into typing it. A changed command gets a
different code, and a code from one session or one broker run is useless in another.
The alphabet leaves out characters that are easy to confuse (0/O, 1/I/L, 2/Z, 5/S,
8/B, U/V).
"""

from __future__ import annotations

ALPHABET = "ACDEFGHJKMNPQRTWXY34679"
LENGTH = 6
SECRET_BYTES = 32


def new_secret() -> bytes:
    """A fresh random key for one broker's codes; never written anywhere."""
    import secrets  # here and below: `aiperm check` imports this module, and hashlib
    # (OpenSSL, ~3 ms of a hook's start-up) only the broker needs

    return secrets.token_bytes(SECRET_BYTES)


def challenge_code(command: str, session_id: str, secret: bytes) -> str:
    """A 6-character code for `command` in `session_id` under `secret`, e.g. `K7MX3P`."""
    import hashlib
    import hmac

    sid = session_id.encode("utf-8", "surrogatepass")
    # length-prefixed, so no (session, command) pair can be shifted into another
    message = len(sid).to_bytes(4, "big") + sid + command.encode("utf-8", "surrogatepass")
    value = int.from_bytes(hmac.new(secret, message, hashlib.sha256).digest()[:8], "big")
    out = []
    for _ in range(LENGTH):
        value, digit = divmod(value, len(ALPHABET))
        out.append(ALPHABET[digit])
    return "".join(out)


def matches(typed: str, command: str, session_id: str, secret: bytes) -> bool:
    """Does what the operator typed match? Case and surrounding spaces do not matter."""
    import hmac

    expected = challenge_code(command, session_id, secret).encode()
    return hmac.compare_digest(typed.strip().upper().encode("utf-8", "surrogatepass"), expected)
