"""Themes: TOML files mapped onto `textual.theme.Theme`.

The shipped themes live in `themes/*.toml` at the repository root, which the wheel
carries as `aiperm_tui/themes`; the package folder is searched first, then the
repository's. A theme file holds the `Theme` fields (`name`, `dark`, `primary`, …) and
an optional `[variables]` table of CSS variables. The config's `theme =` names one of
them by its `name` (or any of Textual's built-in themes); the command palette can switch.
"""

from __future__ import annotations

import tomllib
from dataclasses import fields
from pathlib import Path
from typing import Any

from textual.color import Color, ColorParseError
from textual.theme import BUILTIN_THEMES, Theme

from aiperm_tui.errors import ConfigError

_PACKAGE_DIR = Path(__file__).resolve().parent.parent / "themes"
_REPO_DIR = Path(__file__).resolve().parent.parent.parent / "themes"
_FIELDS = {f.name for f in fields(Theme)} - {"ansi"}
_COLORS = (
    "primary",
    "secondary",
    "warning",
    "error",
    "success",
    "accent",
    "foreground",
    "background",
    "surface",
    "panel",
    "boost",
)


def theme_dirs() -> list[Path]:
    """Where the shipped themes are, package folder first."""
    return [d for d in (_PACKAGE_DIR, _REPO_DIR) if d.is_dir()]


def theme_from_toml(path: Path) -> Theme:
    """Read one theme file; a bad file is a `ConfigError` naming it and the key."""
    try:
        data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read theme: {exc}") from None
    unknown = set(data) - _FIELDS
    if unknown:
        raise ConfigError(f"{path}: unknown theme key {sorted(unknown)[0]!r}")
    data.setdefault("name", path.stem)
    if "primary" not in data:
        raise ConfigError(f"{path}: a theme needs at least `primary`")
    _check_colors(path, data)
    try:
        return Theme(**data)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{path}: bad theme: {exc}") from None


def _check_colors(path: Path, data: dict[str, Any]) -> None:
    """Textual parses a theme's colours only when it is applied, mid-run; a typo must
    stop aiperm before it starts, naming the key."""
    variables = data.get("variables", {})
    if not isinstance(variables, dict):
        raise ConfigError(f"{path}: variables: expected a table")
    checks = [(k, data[k]) for k in _COLORS if k in data]
    checks += [
        (f"variables.{k}", v)
        for k, v in variables.items()
        if isinstance(v, str) and v.startswith("#")
    ]
    for key, value in checks:
        try:
            Color.parse(value)
        except (ColorParseError, TypeError):
            raise ConfigError(f"{path}: {key}: not a colour: {value!r}") from None


def load_themes() -> dict[str, Theme]:
    """The shipped themes by name; the package copy wins over the repository's."""
    themes: dict[str, Theme] = {}
    for folder in reversed(theme_dirs()):
        for path in sorted(folder.glob("*.toml")):
            theme = theme_from_toml(path)
            themes[theme.name] = theme
    return themes


def resolve_theme(name: str, themes: dict[str, Theme]) -> str:
    """Check the config's theme name before the app starts (exit 5 on a typo)."""
    if name in themes or name in BUILTIN_THEMES:
        return name
    known = ", ".join(sorted(themes))
    raise ConfigError(
        f"theme: unknown theme {name!r} (shipped themes: {known}; "
        "Textual's built-in themes work too)"
    )
