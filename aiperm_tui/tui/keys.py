"""The user's keymap (`[keymap]` in the config), checked before the app starts, and the
help rows drawn from the live bindings.

Textual's `App.set_keymap` silently ignores an id it does not know and accepts any key
name, so a typo ("review.aprove", "ctrl+shft+a") would leave the operator with keys that
do nothing and no word why. `check_keymap` turns each such mistake into a `ConfigError`
naming the entry (exit 5), and refuses a keymap that gives one key to two actions of the
same screen, since only one of them could ever run.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from textual.binding import ActiveBinding, Binding, BindingType
from textual.keys import Keys, key_to_character

from aiperm_tui.errors import ConfigError

MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
NAMED_KEYS = frozenset(
    {k.value for k in Keys if "+" not in k.value}
    | {
        "space",
        "enter",
        "tab",
        "escape",
        "backspace",
        "delete",
        "insert",
        "home",
        "end",
        "pageup",
        "pagedown",
        "up",
        "down",
        "left",
        "right",
    }
    | {f"f{n}" for n in range(1, 25)}
)


def key_error(key: str) -> str | None:
    """Why `key` is not a key Textual can bind ("ctrl+x", "f2", "question_mark"), or None."""
    *mods, base = key.strip().split("+")
    bad = [m for m in mods if m not in MODIFIERS]
    if bad:
        return f"unknown modifier {bad[0]!r} (known: {', '.join(sorted(MODIFIERS))})"
    if not base:
        return "empty key name"
    if len(base) == 1 and base.isprintable() and not base.isspace():
        return None
    if base in NAMED_KEYS or key_to_character(base) is not None:
        return None
    return f"unknown key name {base!r}"


def _bindings(groups: Mapping[str, Iterable[BindingType]]) -> dict[str, dict[str, Binding]]:
    """Per screen (group), its bindings by id."""
    out: dict[str, dict[str, Binding]] = {}
    for group, bindings in groups.items():
        for binding in bindings:
            if isinstance(binding, Binding) and binding.id:
                out.setdefault(group, {})[binding.id] = binding
    return out


def _keys_of(value: str) -> list[str]:
    return [k.strip() for k in value.split(",")]


def check_keymap(keymap: Mapping[str, str], groups: Mapping[str, Iterable[BindingType]]) -> None:
    """Raise `ConfigError` for the first bad `[keymap]` entry: an unknown binding id, a
    key that is not a key, or a key left on two actions of one screen. `groups` maps a
    screen's name to its bindings (the app's own are in every group)."""
    by_group = _bindings(groups)
    known = sorted({i for ids in by_group.values() for i in ids})
    for binding_id, value in keymap.items():
        if not any(binding_id in ids for ids in by_group.values()):
            raise ConfigError(
                f"keymap.{binding_id}: unknown binding id (known: {', '.join(known)})"
            )
        for key in _keys_of(value):
            problem = key_error(key)
            if problem:
                raise ConfigError(f"keymap.{binding_id}: {key!r}: {problem}")
    for group, ids in by_group.items():
        owner: dict[str, str] = {}
        for binding_id, binding in ids.items():
            value = keymap.get(binding_id, binding.key)
            for key in _keys_of(value):
                other = owner.setdefault(key, binding_id)
                if other != binding_id:
                    raise ConfigError(
                        f"keymap: key {key!r} is bound to both {other} and "
                        f"{binding_id} on the {group} screen"
                    )


def help_rows(
    active: Mapping[str, ActiveBinding], describe: Mapping[str, str], display: Mapping[str, str]
) -> list[tuple[str, str]]:
    """(keys, what it does) for each action bound now, keys joined per action, in the
    order the bindings were declared; `describe` holds longer texts by action and
    `display` how a key is shown."""
    keys: dict[str, list[str]] = {}
    text: dict[str, str] = {}
    for key, active_binding in active.items():
        binding = active_binding.binding
        keys.setdefault(binding.action, []).append(display.get(key, key))
        text.setdefault(binding.action, binding.tooltip or binding.description)
    return [
        (" / ".join(shown), describe.get(action, text[action])) for action, shown in keys.items()
    ]
