"""Making hostile text safe to show.

Everything from the agent and from remote output is hostile: a terminal escape can
repaint the screen, a bidi override can make `rm -rf /` read as something else, a
zero-width space can hide a character. Before anything of theirs is displayed it goes
through `escape_control`, which keeps printable text, newlines and tabs and shows the
rest as visible escapes.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

# A line of remote output longer than this is shown in pieces: output without newlines
# (a binary dump, a progress bar drawn with \r) must not grow one line without bound.
MAX_LINE = 16 * 1024


class LineSplitter:
    """One output stream's bytes in, whole lines out (not yet escaped): UTF-8 decoded as
    it comes, so a character split between chunks stays whole and invalid bytes become
    U+FFFD; `\r\n` ends a line like `\n`; a line longer than MAX_LINE comes out in
    pieces. The output pane and the text replay both read output through it."""

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self._partial = ""

    def feed(self, data: bytes) -> list[str]:
        """The lines `data` completes (and full MAX_LINE pieces of an unfinished one)."""
        *ended, partial = (self._partial + self._decoder.decode(data)).split("\n")
        lines = [line.removesuffix("\r") for line in ended]
        while len(partial) > MAX_LINE:
            lines.append(partial[:MAX_LINE])
            partial = partial[MAX_LINE:]
        self._partial = partial
        return lines

    def rest(self) -> str:
        """What is left at the stream's end: the unfinished line, and a character cut
        off at the end as U+FFFD."""
        rest, self._partial = self._partial + self._decoder.decode(b"", final=True), ""
        return rest


# Bidi controls (embeddings, overrides, isolates, marks) and zero-width characters.
INVISIBLE = frozenset(
    "\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff"
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c\u180e\u00ad"
)

# A set, not a compiled character class: compiling one was ~0.3 ms of every `aiperm check`.
_UNSAFE = frozenset(
    "".join(map(chr, (*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0))))
    + "".join(INVISIBLE)
    + "\u2028\u2029"
)


def is_unsafe_char(ch: str) -> bool:
    """True for control, bidi, zero-width and other invisible format characters."""
    if ch in "\n\t":
        return False
    return ch in _UNSAFE or unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp")


def _escape(ch: str) -> str:
    code = ord(ch)
    if code == 0x1B:
        return "\\e"
    if code == 0x0D:
        return "\\r"
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


# Printable ASCII is always shown as it is: only the other characters are looked at one
# by one, so a long line (a damaged log's 50 MB agent line, a huge command) is escaped at
# the regex engine's speed instead of a Python call per character. Compiled (by `re`'s
# own cache) at the first text that is not all printable ASCII: `aiperm check` rarely
# shows one.
_NOT_PLAIN = "[^\x20-\x7e]"


def escape_control(text: str, *, keep_newlines: bool = True) -> str:
    """Show control, bidi and zero-width characters as visible escapes (`\\e`, `\\u202e`).

    Newlines and tabs are kept when `keep_newlines` (output panes); a one-line view of
    a command passes False so an embedded newline cannot fake a second line.
    """
    if text.isascii() and text.isprintable():  # nothing `_NOT_PLAIN` matches
        return text
    return re.sub(_NOT_PLAIN, _shown_in_pane if keep_newlines else _shown_on_one_line, text)


def _shown_in_pane(match: re.Match[str]) -> str:
    ch = match[0]
    return _escape(ch) if is_unsafe_char(ch) else ch


def _shown_on_one_line(match: re.Match[str]) -> str:
    ch = match[0]
    if ch == "\n":
        return "\\n"
    if ch == "\t":
        return "\\t"
    return _escape(ch) if is_unsafe_char(ch) else ch
