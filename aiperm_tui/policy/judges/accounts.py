"""What the account and key commands do: users and groups (root-equivalent groups,
locked accounts), passwords, and keys and certificates (ssh-keygen, gpg, openssl, certbot).

The judges register with `toolbox.handles`; `toolbox` loads this module the first time a
command it names is judged.
"""

from __future__ import annotations

import re

from aiperm_tui.policy.hits import Hit
from aiperm_tui.policy.lazyre import lazy
from aiperm_tui.policy.normalize import Cmd
from aiperm_tui.policy.toolbox import ROOT_GROUPS, handles, hit

TYPE_CHECKING = False  # typing is not imported at run time

if TYPE_CHECKING:
    from aiperm_tui.policy.analysis import Analysis


_USER_HIGH = {
    "groupdel": "deletes a group",
    "chpasswd": "sets passwords in bulk",
    "newusers": "creates or changes accounts in bulk",
    "vipw": "edits the account database by hand",
    "vigr": "edits the group database by hand",
    "pwconv": "rewrites the shadow password files",
    "pwunconv": "rewrites the shadow password files",
    "grpconv": "rewrites the shadow group file",
}


_ROOT_GROUPS = lazy(r"\b(" + "|".join(sorted(ROOT_GROUPS)) + r")\b")


# The short options of each account tool that take a value (`usermod -L NAME` locks
# NAME: -L takes none, and `passwd -u root` unlocks root).
_ACCOUNT_VALUE_LETTERS = {
    "usermod": "cdefgGlpsuRPZ",
    "useradd": "bcdefgGkKpsuRPZ",
    "passwd": "nxwirR",
    "chage": "dEImMWR",
    "chsh": "sR",
    "groupadd": "gKpR",
    "groupmod": "gnpR",
    "gpasswd": "adMAR",
    "userdel": "RPZ",
}


@handles(
    "useradd",
    "userdel",
    "usermod",
    "groupadd",
    "groupdel",
    "groupmod",
    "gpasswd",
    "passwd",
    "chpasswd",
    "chage",
    "chsh",
    "chfn",
    "newusers",
    "visudo",
    "vipw",
    "vigr",
    "pwconv",
    "pwunconv",
    "grpconv",
    "newgrp",
    "pwck",
    "grpck",
    "faillock",
    "pam_tally2",
)
def _users(cmd: Cmd, an: Analysis) -> list[Hit]:
    name = cmd.name
    if (
        (name == "chage" and cmd.has("l", "list"))
        or (name == "passwd" and cmd.has("S", "status"))
        or (name == "visudo" and cmd.has("c", "check"))
        or (name in ("pwck", "grpck") and cmd.has("r"))
        or (name == "faillock" and not cmd.has("reset"))
        or (name == "useradd" and cmd.argv in (["-D"], ["--defaults"]))
    ):
        return []  # `useradd -D` alone prints the defaults (with another option, sets them)
    if name in ("visudo", "vipw", "vigr"):
        # an editor run on the sudo rules or the account database: what it writes is
        # never shown (`EDITOR=tee visudo` writes its input there)
        edited = {
            "visudo": "the sudo rules (who may become root)",
            "vipw": "the account database",
            "vigr": "the group database",
        }[name]
        return hit(cmd, f"user.{name}", "high", f"{name} edits {edited} in an editor")
    pos = [a.text for a in cmd.positional(_ACCOUNT_VALUE_LETTERS.get(name, "gGcdsuepfkK"))]
    why = _account_danger(cmd, pos)
    if why:
        return hit(
            cmd,
            f"user.{name}",
            "high",
            f"{name} {' '.join(pos)}: {why}".replace(" :", ":"),
            suggest=f"getent passwd {pos[-1] if pos else ''}".strip(),
        )
    return hit(
        cmd,
        f"user.{name}",
        "medium",
        f"{name} {' '.join(pos)}: changes accounts".replace(" :", ":"),
    )


def _sets_password_hash(cmd: Cmd) -> bool:
    """`-p HASH` given: a lock value (`!`, `*`, `!!`) sets no password; an empty one
    lets the account log in with none."""
    value = cmd.option_value("p", "password")
    return value is not None and (value == "" or value.strip("!*") != "")


def _account_danger(cmd: Cmd, pos: list[str]) -> str:
    """Why an account command needs a typed confirmation ('' when it is routine)."""
    name, text = cmd.name, " ".join(cmd.argv)
    if name in _USER_HIGH:
        return _USER_HIGH[name]
    if name == "userdel" and cmd.has(
        "r", "remove", "f", "force", "remove-home", "remove-all-files"
    ):
        return "deletes the account and its home folder and mail"
    if name == "passwd" and cmd.has("d", "delete"):
        return "removes the password (the account may log in without one)"
    if name == "passwd" and "root" in pos:
        return "sets root's password"
    if name in ("usermod", "useradd") and _sets_password_hash(cmd):
        return "sets a password hash directly (a password the line chose logs in)"
    if (
        name in ("usermod", "passwd")
        and "root" in pos
        and cmd.has("U", "unlock" if name == "usermod" else "u")
    ):
        return "unlocks root's password (password logins as root come back)"
    if (
        name in ("usermod", "gpasswd", "useradd")
        and (cmd.has("G", "a", "groups", "append") or name == "gpasswd")
        and not cmd.has("d", "delete")
        and (m := _ROOT_GROUPS.search(text))
    ):
        return f"membership of {m.group(1)} is root or root-equivalent"
    if (
        name in ("useradd", "usermod")
        and cmd.has("o", "non-unique")
        and re.search(r"(-u|--uid)[= ]?0\b", text)
    ):
        return "creates a second root account (uid 0)"
    if (
        name in ("usermod", "passwd", "chage", "chsh")
        and "root" in pos
        and (
            cmd.has("L", "l", "lock", "e", "expiredate", "E")
            or re.search(r"(nologin|/bin/false)\b", text)
        )
    ):
        return "locks root out or takes its shell away (the way back in may be gone)"
    if name == "userdel" and "root" in pos:
        return "deletes the root account"
    return ""


# `ssh-keygen -Y ACTION`'s actions that check a signature against allowed signers (fp17);
# `-Y sign` signs with a key, a change as any other use of it is.
_SIGNATURE_CHECKS = frozenset({"verify", "find-principals", "check-novalidate", "match-principals"})


def _checks_signature(cmd: Cmd) -> bool:
    """`ssh-keygen -Y find-principals -s SIG -f allowed_signers`: every `-Y` given names
    a check (the last one given is the one run; all are checked)."""
    argv = cmd.argv
    actions = [
        argv[i + 1] if a == "-Y" and i + 1 < len(argv) else a[2:]
        for i, a in enumerate(argv)
        if a.startswith("-Y")
    ]
    return bool(actions) and all(a in _SIGNATURE_CHECKS for a in actions)


@handles(
    "ssh-keygen",
    "ssh-copy-id",
    "ssh-add",
    "gpg",
    "openssl",
    "certbot",
    "update-ca-certificates",
    "keytool",
    "htpasswd",
)
def _crypto(cmd: Cmd, an: Analysis) -> list[Hit]:
    name, text = cmd.name, " ".join(cmd.argv)
    reads = {
        # `-r HOST` prints a key's SSHFP records (fingerprints, as `-l` does); `-L` prints
        # a certificate's principals and validity
        "ssh-keygen": (cmd.has("l", "L", "F", "y", "B", "Q", "r") or _checks_signature(cmd))
        and not cmd.has("R"),
        "ssh-add": cmd.has("l", "L"),
        "gpg": cmd.has(
            "list-keys",
            "k",
            "list-secret-keys",
            "K",
            "verify",
            "fingerprint",
            "list-sigs",
            "d",
            "decrypt",
            "print-md",
            "export",
            "list-public-keys",
            "check-sigs",
            "check-signatures",
            "export-ownertrust",
            "card-status",
            # a key file's keys or packets shown, nothing imported (sixteenth pass)
            "show-keys",
            "list-packets",
            "list-config",
        ),
        # `ca` the subcommand (not a file named `ca.pem`); `ocsp -port` is a responder
        "openssl": not re.search(
            r"\b(-out|genrsa|genpkey|req\s.*-new|-keyout)|(?:^|\s)(?:ca\b(?!\.)|-port\b)", text
        ),
        "certbot": cmd.sub() in ("certificates", "plugins", "show_account"),
        "keytool": cmd.has("list", "printcert"),
        # `-n` prints the entry it makes, no file is written (audit19a; `-v` stays a
        # change: a password oracle over the file, as devset11b labels it)
        "htpasswd": cmd.has("n") and not cmd.has("v"),
    }
    if reads.get(name, False):
        return []
    if name == "ssh-keygen" and cmd.has("R"):
        return hit(cmd, "ssh.known_hosts", "low", "removes a known_hosts entry", "single")
    if name == "htpasswd" and cmd.has("c") and not cmd.has("n"):
        return hit(
            cmd,
            "crypto.htpasswd_create",
            "high",
            "htpasswd -c writes a new password file over the old one: every other user's "
            "entry is lost",
            "single",
        )
    if name == "ssh-add" and cmd.has("D", "d"):
        return hit(cmd, "ssh.agent", "low", "removes keys from the agent", "single")
    return hit(
        cmd,
        f"crypto.{name}",
        "medium",
        f"{name}: creates or changes keys or certificates",
        "single",
    )
