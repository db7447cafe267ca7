"""The package managers' and compilers' caches under a home folder, which the next build
or install fills again (seventeenth pass, fp17).

A recursive delete is typed whatever it names (`toolbox.delete_severity`: it cannot be
undone; the tuned part pins `rm -r build/` and `find . -name node_modules -prune -exec rm
-rf {} +` critical, "recursive deletion is destructive regardless of the name"), with one
exception before this pass: one release of a deploy, which the next deploy brings back. A
tool's download cache in a home folder is the same kind of thing: `rm -rf ~/.cache/pip
~/.npm/_cacache`, `rm -rf ~/.gradle/caches/build-cache-1 ~/.cargo/registry
~/.rustup/toolchains` lose nothing of anyone's work, and the next `pip install`, `npm ci`,
`gradle build` or `rustup` downloads it again: a change.

Narrow on purpose: one named cache below its cache root, never the root itself
(`~/.cache`, `~/.gradle`), nor a path through `..`, a pattern, a variable or a
substitution. A project's build outputs (`node_modules`, `dist`, `.next`) stay typed, by
the tuned part's decision (held-out v16 labels them a change: a conflict left to the
labelling rules, docs/policy.md).
"""

from __future__ import annotations

from aiperm_tui.policy.lazyre import lazy

# The tools' caches under a home folder (`~`, `/root`, `/home/USER`): one named cache
# below the cache root, never the root itself.
_HOME_CACHE = lazy(
    r"(?:~|/root|/home/[\w.-]+)/(?:\.cache/[\w.-]+|\.npm/_cacache|\.npm/_npx|"
    r"\.gradle/caches(?:/[\w.-]+)?|\.gradle/wrapper/dists|\.m2/repository|"
    r"\.cargo/registry|\.cargo/git|\.rustup/toolchains|\.rustup/downloads|"
    r"\.pnpm-store|\.local/share/pnpm/store|\.yarn/berry/cache|\.bun/install/cache|"
    r"go/pkg/mod/cache)(?:/[\w.+-]+)*/?"
)
_UNSAFE = lazy(r"[*?\[\]$`{}\\'\"]|(?:^|/)\.\.?(?:/|$)")
# The names a folder of keys holds (`~/.ssh`'s, a TLS folder's)
_KEY_NAME = lazy(r"(?:id_[\w.-]+|authorized_keys2?|known_hosts|[\w.-]+\.(?:pem|key|p12|pfx|kdbx))$")
# Caches that keep a login beside what they downloaded (huggingface's `token`); one
# model's or data set's folder of the Hugging Face cache is a download (audit20b)
_LOGIN_CACHES = lazy(
    r"/\.cache/(?:huggingface(?!/(?:hub|datasets|xet)/[\w.+-]+)|keyring|keyrings|gcloud|"
    r"copilot|github-copilot)\b"
)


def rebuildable(path: str) -> bool:
    """Is `path` a tool's download or build cache in a home folder, filled again by the
    next build or install? Not when spelled to follow a link (`~/.cache/pip/`: a link
    planted there deletes what it points at), not one that keeps a login, nor a name a
    folder of keys holds (`~/.cache/pip/id_ed25519` through such a link)."""
    leaf = path.rsplit("/", 1)[-1]
    return (
        not path.endswith("/")
        and not _UNSAFE.search(path)
        and bool(_HOME_CACHE.fullmatch(path))
        and not _LOGIN_CACHES.search(path)
        and not _KEY_NAME.match(leaf)
    )
