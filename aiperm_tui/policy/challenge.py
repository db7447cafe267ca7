"""Typed-confirmation challenge codes.

For a `typed` confirmation the operator must type a short code shown next to the
command, so a tired "yes" cannot approve `rm -rf /`. The code is derived from the exact
command text and the session: a changed command gets a different code, and a code from
one session is useless in another. The alphabet leaves out characters that are easy to
confuse (0/O, 1/I/L, 2/Z, 5/S, 8/B, U/V).
"""

from __future__ import annotations

import xxhash

ALPHABET = "ACDEFGHJKMNPQRTWXY34679"
LENGTH = 6


def challenge_code(command: str, session_id: str) -> str:
    """A 6-character code for `command` in `session_id`, e.g. `K7MX3P`."""
    value = xxhash.xxh3_64_intdigest(command.encode("utf-8", "surrogatepass"),
                                     seed=xxhash.xxh32_intdigest(session_id.encode(
                                         "utf-8", "surrogatepass")))
    out = []
    for _ in range(LENGTH):
        value, digit = divmod(value, len(ALPHABET))
        out.append(ALPHABET[digit])
    return "".join(out)


def matches(typed: str, command: str, session_id: str) -> bool:
    """Does what the operator typed match? Case and surrounding spaces do not matter."""
    return typed.strip().upper() == challenge_code(command, session_id)
