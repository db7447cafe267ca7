"""Folders the next build or install brings back: a project's build outputs and the
package managers' and compilers' caches (seventeenth pass, fp17).

A recursive delete is typed whatever it names (`toolbox.delete_severity`: it cannot be
undone), with one exception before this pass (one release of a deploy, which the next
deploy brings back). Deleting what a build regenerates is the same kind of change: `rm
-rf node_modules .next .turbo`, `rm -rf dist/ coverage/ target/debug/incremental`, `rm -rf
~/.cache/pip ~/.npm/_cacache ~/.gradle/caches/build-cache-1`, `git clean -fdX -- .next`.
Nothing of the project's own is lost: the next `npm ci`, `cargo build` or run fills them.

Narrow on purpose: a path through `..`, a pattern, a variable or a substitution, the home
folder or a cache root itself (`~/.cache`, `~/.gradle`), a folder that only contains such
a name (`rm -rf node_modules/..`), and the ambiguous output names (`dist`, `build`,
`target`, `coverage`, which a web server may serve from) anywhere but below the working
folder are not rebuildable here: they keep the typed code.
"""

from __future__ import annotations

from aiperm_tui.policy.fspaths import normalize_path
from aiperm_tui.policy.lazyre import lazy

# Folders a build, a test run or an install writes and fills again, by name, wherever they
# are: dependency trees, bundlers' and frameworks' caches, Python's and linters' caches.
_CACHES = frozenset(
    {
        "node_modules", ".next", ".nuxt", ".turbo", ".parcel-cache", ".svelte-kit",
        ".angular", ".nx", ".vite", ".eslintcache", "__pycache__", ".pytest_cache",
        ".mypy_cache", ".ruff_cache", ".tox", ".nox", ".hypothesis", ".nyc_output",
        ".dart_tool", ".zig-cache", "zig-cache",
    }
)  # fmt: skip
# Output names that may also be what a server serves (`/var/www/app/dist`): rebuildable
# only below the working folder (a relative path: the project's checkout).
# (`.cache` and `.gradle` too: in a home folder they are the cache roots, `_HOME_CACHE`)
_OUTPUTS = frozenset(
    {"dist", "build", "target", "coverage", "out", ".output", "_build", ".cache", ".gradle"}
)
# The system's own trees: `/usr/lib/node_modules` holds the global tools (npm itself)
_SYSTEM = ("/usr/", "/lib", "/bin", "/sbin", "/etc/", "/boot/")
# The tools' caches under a home folder (`~`, `/root`, `/home/USER`): one named cache
# below the cache root, never the root itself.
_HOME_CACHE = lazy(
    r"(?:~|/root|/home/[\w.-]+)/(?:\.cache/[\w.-]+|\.npm/_cacache|\.npm/_npx|"
    r"\.gradle/caches(?:/[\w.-]+)?|\.gradle/wrapper/dists|\.m2/repository|"
    r"\.cargo/registry|\.cargo/git|\.rustup/toolchains|\.rustup/downloads|"
    r"\.pnpm-store|\.local/share/pnpm/store|\.yarn/berry/cache|\.bun/install/cache|"
    r"go/pkg/mod/cache|\.cache)(?:/[\w.+-]+)*/?"
)
_UNSAFE = lazy(r"[*?\[\]$`{}\\'\"]|(?:^|/)\.\.?(?:/|$)")


def rebuildable(path: str) -> bool:
    """Is `path` a build output or cache folder the next build or install fills again?"""
    text = path.rstrip("/") or "/"
    if _UNSAFE.search(text.removeprefix("./")):
        return False
    if _HOME_CACHE.fullmatch(text) and not text.endswith("/.cache"):
        return True
    parts = [p for p in normalize_path(text).split("/") if p]
    if not parts or (text.startswith("~") and not text.startswith("~/")):
        return False  # `~user/...`: another account's home
    relative = not text.startswith(("/", "~"))
    if text.startswith(_SYSTEM):
        return False
    for i, part in enumerate(parts):
        if part in _CACHES or (relative and part in _OUTPUTS):
            # the folder itself or something inside it, never what holds it; a cache
            # named at the top of the filesystem (`/node_modules`) is no project's
            return relative or i >= 2
    return False
