"""What git does: which subcommands only read, which rewrite history, push, delete branches
or clean the work tree.

The judges register with `toolbox.handles`; `toolbox` loads this module the first time a
command it names is judged.
"""

from __future__ import annotations

import re

from aiperm_tui.policy.hits import Hit
from aiperm_tui.policy.lazyre import lazy
from aiperm_tui.policy.normalize import Cmd
from aiperm_tui.policy.parse import Word
from aiperm_tui.policy.toolbox import _flags, _table, handles, hit, level_of, option_write

TYPE_CHECKING = False  # typing is not imported at run time

if TYPE_CHECKING:
    from aiperm_tui.policy.analysis import Analysis


def _clean_dry_run(cmd: Cmd) -> bool:
    """`git clean -n`: the value of `-e`/`--exclude` is a pattern, never a flag
    (`git clean -ffdx -e -n` deletes everything but files named `-n`)."""
    value = False
    for a in cmd.args:
        t = a.text
        if value:
            value = False
        elif t == "--":
            return False
        elif t in ("--dry-run", "--dry-ru", "--dry-r", "--dry", "--dr"):
            return True
        elif t == "--exclude":
            value = True
        elif t.startswith("-") and not t.startswith("--") and len(t) > 1:
            for i, letter in enumerate(t[1:]):
                if letter == "n":
                    return True
                if letter == "e":
                    value = i == len(t) - 2  # `-e PATTERN`, or `-ePATTERN` glued
                    break
    return False


# `git remote add NAME URL`, `git remote set-url NAME URL` earlier on the line.
_REMOTE_SET = lazy(
    r"\bremote\s+(?:add|set-url)\s+(?:-\S+\s+)*(\S+)\s+([^\s;&|]+)|"
    r"\bremote\.([^.\s]+)\.(?:push)?url=([^\s;&|]+)"
)


_GIT_ADDRESS = lazy(r"^(\w[\w+.-]*://|[\w.-]+@[\w.-]+:|ext::|file://)")


def _push_address(target: str, line: str) -> str | None:
    """The address a push goes to when the line itself gives it: a URL as the remote, or
    a remote the line adds or re-points (`git remote add x URL && git push x --all`)."""
    if _GIT_ADDRESS.match(target):
        return target
    for m in _REMOTE_SET.finditer(line):
        if (m.group(1) or m.group(3)) == target:
            return (m.group(2) or m.group(4)).strip("'\"")
    return None


# `git config --unset KEY` names one key, as `git config KEY` (a read) does.
_CONFIG_WRITES = (
    "unset",
    "unset-all",
    "remove-section",
    "rename-section",
    "replace-all",
    "e",
    "edit",
)

# Branches a team shares: deleting one on the remote is typed, a topic branch a change.
# git completes a short destination as it resolves a name (`:heads/main` is refs/heads/main,
# `:tags/v1` a tag), the remote's HEAD is its default branch, gh-pages the published site;
# the environments' branches (staging, dev, live, uat, qa: rev17a) deploy when pushed.
_SHARED_REF = lazy(
    r"(?i)^(?:refs/)?(?:tags/|(?:heads/)?(?:main|master|trunk|develop|release\b|prod|production"
    r"|stable|v\d|gh-pages\b|head$|staging|stage$|dev$|live$|uat$|qa$|preprod|default$))"
)


def _deletes_shared(inner: Cmd, pos: list[str]) -> bool:
    """Whether a push deletes on the remote what others use: a shared branch or a tag
    (`--delete origin main`, `:main`, `:refs/tags/v1.2.0`), or names it cannot see
    (none given, a variable); `git push origin --delete feature/x` deletes a topic branch
    (a change, as `git branch -d` is), and `+REF` forces."""
    if any(p.startswith("+") for p in pos):
        return True
    deleted = [p[1:] for p in pos if p.startswith(":")]
    if inner.has("delete", "d"):
        deleted += pos[1:] if len(pos) > 1 else [""]
    return any(not ref or "$" in ref or _SHARED_REF.match(ref) for ref in deleted)


# A pathspec that names the whole work tree: `.`, `./`, `*`, the top by magic (`:/`,
# `:(top)`, `:/*`), or an exclusion alone (`:!README`, `:^x`, `:(exclude)x`: git reads the
# rest of the tree) (left17). None is a valid ref name, so `git checkout .` needs no `--`.
_WHOLE_TREE = lazy(r"(?::/|:\([^)]*\btop\b[^)]*\))?(?:\.|\./|\*)?|:[!^].*|:\([^)]*\bexclude\b.*")


def _leased_topic_push(inner: Cmd, pos: list[str]) -> bool:
    """`git push --force-with-lease[=fix/x:SHA] origin fix/x`: a topic branch's own push
    after a rebase, refused if the remote moved since it was fetched (fp17). Not with
    `--force`, `--mirror`, `--all`, `--tags` or `--prune`, a `+` refspec, no refspec
    (the configured ones), a shared branch (`_SHARED_REF`: main, release/*, a tag) or one
    named by a variable: those stay typed."""
    if inner.has("f", "force", "mirror", "prune", "all", "tags", "branches"):
        return False
    leases = [v for v in inner.option_values("force-with-lease") if v]
    refs = [r.rsplit(":", 1)[-1] for r in pos[1:]]
    leased = [v.split(":", 1)[0] for v in leases]
    return len(pos) >= 2 and _topic_refs_only([*refs, *leased])


def _topic_refs_only(refs: list[str]) -> bool:
    """Every ref named is a topic branch: none shared, none a pattern, `+` or variable,
    none outside `refs/heads/` (`refs/meta/config` is Gerrit's access rules), not the
    current branch by its `@` spelling (as `HEAD`, whatever branch it is)."""
    return bool(refs) and not any(
        not r
        or r.startswith(("+", "refs/"))
        or r == "@"
        or ".." in r  # `topic..main`: the range's right side, main, is what is named
        or any(c in r for c in "$`*?[")
        or "@{" in r
        or _SHARED_REF.match(r)
        for r in (r.removeprefix("refs/heads/") for r in refs)
    )


# `git -c remote.origin.push=refs/heads/x:refs/heads/main push origin x`: a push refspec
# configured on the line maps the ref named onto another (git's push refmap)
_PUSH_REFMAP = lazy(r"(?i)remote\.[^=]*\.push=")


# `git -c gc.reflogExpire=now gc --prune=2.weeks.ago`: the reflogs that keep a rewrite's
# old commits reachable are expired with the old objects
_GC_CONFIG = lazy(r"(?i)(?:^|-c)['\"]?gc\.")
# filter-repo's callbacks are Python run on every commit, blob or ref name (a
# `--refname-callback` renames the topic onto main); `--source`/`--target` rewrite
# another repository
_FILTER_ANYWHERE = lazy(r"--[\w-]*callback\b|--(?:source|target)\b")


def _configured(git_options: list[Word], setting: re.Pattern[str]) -> bool:
    """Does git's own `-c` (or `--config-env`) set `setting` for this command?"""
    return any(setting.search(w.text) or "config-env" in w.text for w in git_options)


def _refs_option(inner: Cmd) -> list[str]:
    """The refs `git filter-repo --refs A B ...` rewrites, every `--refs` given (none:
    every ref, so no topic branch alone)."""
    refs: list[str] = []
    taking = False
    for a in inner.argv:
        if a == "--refs" or a.startswith("--refs="):
            taking = a == "--refs"
            refs += [a.partition("=")[2]] if "=" in a else []
        elif a.startswith("-"):
            taking = False
        elif taking:
            refs.append(a)
    return refs


# `git gc --prune=DATE` older than a day (`2.weeks.ago` is gc's default): only objects no
# ref or reflog has reached for that long; `now`, `all` or hours drop recent work.
_OLD_PRUNE = lazy(r"--prune=['\"]?[1-9]\d*\.(?:days?|weeks?|months?|years?)\.ago['\"]?")


def _prunes_old_only(inner: Cmd) -> bool:
    prunes = [a for a in inner.argv if "prune" in a]
    return bool(prunes) and all(_OLD_PRUNE.fullmatch(a) for a in prunes)


@handles("git")
def _git(cmd: Cmd, an: Analysis) -> list[Hit]:
    args = cmd.args
    values = _flags(_table("git").positional_value_options)
    i = 0
    while i < len(args) and args[i].text.startswith("-"):  # git -C dir -c k=v ...
        i += 2 if args[i].text in values else 1
    rest = args[i:]
    if not rest:
        return []
    sub = rest[0].text
    # the subcommand's options read with git's value options (`push -o --dry-run` pushes)
    inner = Cmd("git", cmd.word, rest[1:], cmd.simple, value_opts=cmd.value_opts)
    pos = [a.text for a in inner.positional("m")]
    level = level_of("git", [sub, *pos[:1]])
    reads = level == "read"
    output = inner.option_value("output") if reads else None
    if output:  # `git log --output=FILE`, `git diff --output FILE`: a read that writes
        return option_write(cmd, output, f"git {sub} --output writes", an)
    if sub == "format-patch" and not inner.has("stdout", "h", "help"):
        # one patch file per commit written into the folder (or `-o DIR`): a change (left17)
        return hit(
            cmd, "git.format_patch", "medium", "git format-patch writes a patch file per commit"
        )
    if reads or inner.has("h", "help"):
        return []
    if level == "high":  # `git reflog expire`: the subcommand reads, its action does not
        what = _table("git").why(f"{sub} {pos[0]}" if pos else sub)
        return hit(cmd, f"git.{sub}", "high", f"git {sub}: {what}".rstrip(": "))
    if sub in ("branch", "tag", "remote", "stash", "config", "worktree", "notes", "submodule"):
        return _git_listing(cmd, sub, inner, pos)
    if sub == "push":
        # push's `-u` is --set-upstream, a flag (clone's takes a value): `-uf` forces
        inner = Cmd("git", cmd.word, rest[1:], cmd.simple, value_opts=cmd.value_opts - {"u"})
        pos = [a.text for a in inner.positional("m")]
        if inner.has("n", "dry-run"):
            return []
        if pos and (url := _push_address(pos[0], an.src)):
            return hit(
                cmd,
                "net.git_push_address",
                "high",
                f"git push sends the repository to {url}, an address written on the line "
                "rather than a remote already configured (its code and history leave)",
                "tree",
                suggest="git remote -v",
            )
        if (
            inner.has("f", "force", "mirror", "prune", "force-with-lease")
            and not (_leased_topic_push(inner, pos) and not _configured(args[:i], _PUSH_REFMAP))
        ) or _deletes_shared(inner, pos):
            return hit(
                cmd,
                "git.force_push",
                "high",
                "git push --force/--delete rewrites or removes history on the remote",
                "tree",
                suggest="git push --force-with-lease" if inner.has("f", "force") else "",
            )
        return hit(cmd, "git.push", "medium", "git push publishes commits", "tree")
    if sub == "reset" and inner.has("hard", "merge"):
        return hit(
            cmd,
            "git.reset_hard",
            "high",
            "git reset --hard throws away uncommitted work",
            "tree",
            suggest="git stash",
        )
    if sub == "clean":
        if _clean_dry_run(inner) or not inner.has("f", "force"):
            return []
        return hit(
            cmd,
            "git.clean",
            "high",
            "git clean -f deletes untracked files",
            "tree",
            suggest="git clean -n"
            + ("d" if inner.has("d") else "")
            + ("x" if inner.has("x") else ""),
        )
    if (
        sub in ("checkout", "restore")
        and (any(_WHOLE_TREE.fullmatch(p) for p in pos) or inner.has("f", "force"))
        and not (inner.has("S", "staged") and not inner.has("W", "worktree"))
    ):
        return hit(
            cmd,
            "git.discard",
            "high",
            f"git {sub} discards uncommitted changes",
            "tree",
            suggest="git diff",
        )
    if sub in ("filter-branch", "filter-repo", "update-ref", "gc", "prune", "replace") and (
        sub != "gc" or any("prune" in p for p in inner.argv)
    ):
        if (sub == "gc" and _prunes_old_only(inner) and not _configured(args[:i], _GC_CONFIG)) or (
            sub == "filter-repo"
            and _topic_refs_only(_refs_option(inner))
            and not any(_FILTER_ANYWHERE.match(a) for a in inner.argv)
        ):
            what = "prunes unreachable objects older than" if sub == "gc" else "rewrites"
            return hit(cmd, "git.rewrite_topic", "medium", f"git {sub} {what} what it names")
        return hit(cmd, "git.rewrite", "high", f"git {sub} rewrites or drops history", "tree")
    return hit(cmd, f"git.{sub}", "medium", f"git {sub}: changes the repository", "tree")


def _git_listing(cmd: Cmd, sub: str, inner: Cmd, pos: list[str]) -> list[Hit]:
    """git branch/tag/remote/stash/config: listing is a read, the rest a change."""
    if sub == "stash" and (not pos or pos[0] in ("list", "show")):
        return [] if pos else hit(cmd, "git.stash", "medium", "git stash sets work aside")
    if sub == "stash" and pos[0] in ("drop", "clear"):
        return hit(
            cmd,
            "git.stash_drop",
            "high",
            f"git stash {pos[0]} throws away stashed work",
            "tree",
            suggest="git stash list",
        )
    if sub == "config" and (
        inner.has("get", "list", "l", "get-all", "get-regexp", "show-origin")
        or (len(pos) <= 1 and not inner.has(*_CONFIG_WRITES))
    ):
        return []
    if sub == "remote" and (not pos or pos[0] in ("show", "get-url", "-v")):
        return []
    if (sub in ("branch", "tag") and inner.has("D")) or (
        sub == "branch" and inner.has("d", "delete") and inner.has("f", "force")
    ):
        return hit(
            cmd,
            f"git.{sub}_delete",
            "high",
            f"git {sub} -D deletes it even if unmerged",
            "single",
            suggest=f"git {sub} --list",
        )
    # `git tag -v NAME` verifies a tag's signature and `-n` prints annotations: reads
    listing = ("l", "list", "contains", "merged", "no-merged") + (
        ("a", "r", "v", "all", "remotes") if sub == "branch" else ("v", "verify", "n", "points-at")
    )
    if sub in ("branch", "tag") and (not pos or inner.has(*listing)):
        return []
    if sub in ("worktree", "notes", "submodule") and pos and pos[0] in ("list", "show", "status"):
        return []
    return hit(cmd, f"git.{sub}", "medium", f"git {sub}: changes the repository", "single")
