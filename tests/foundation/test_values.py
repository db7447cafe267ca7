"""The value classes of `aiperm_tui.values` behave as the dataclasses they replace:
for every value class in the package, the same fields, repr, equality, hash,
immutability, copy, pickle and `replace` as a dataclass made from the same fields."""

from __future__ import annotations

import copy
import dataclasses
import importlib
import inspect
import pickle
import pkgutil
from pathlib import Path
from typing import Any

import pytest

import aiperm_tui
from aiperm_tui import values
from aiperm_tui.values import Frozen, FrozenInstanceError, Record


def value_classes() -> list[type[Record]]:
    """Every Record subclass defined in aiperm_tui's core modules (the TUI's too)."""
    root = Path(aiperm_tui.__file__).parent
    for info in pkgutil.walk_packages([str(root)], "aiperm_tui."):
        if not info.name.endswith("__main__"):
            importlib.import_module(info.name)
    found: list[type[Record]] = []
    pending = list(Record.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls is not Frozen and cls.__module__.startswith("aiperm_tui."):
            found.append(cls)
    return sorted(found, key=lambda c: (c.__module__, c.__qualname__))


CLASSES = value_classes()


def test_the_check_path_classes_are_values() -> None:
    names = {f"{c.__module__}.{c.__qualname__}" for c in CLASSES}
    assert {
        "aiperm_tui.policy.model.Decision",
        "aiperm_tui.policy.parse.Word",
        "aiperm_tui.config.Config",
    } <= names


def _twin(cls: type[Record]) -> type[Any]:
    """The dataclass `cls` replaces: the same name, fields and mutability."""
    twin = dataclasses.make_dataclass(
        cls.__name__, list(cls._fields), frozen=issubclass(cls, Frozen)
    )
    twin.__qualname__ = cls.__qualname__
    return twin


def _sample(cls: type[Record], seed: int) -> tuple[int, ...]:
    """Field values: distinct hashable ones per field (`__init__` only stores them)."""
    return tuple(seed * 100 + i for i in range(len(cls._fields)))


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__qualname__)
def test_a_value_class_behaves_as_its_dataclass(cls: type[Record]) -> None:
    init = list(inspect.signature(cls.__init__).parameters)[1:]
    assert tuple(init) == cls._fields  # every field, by name, in order
    twin = _twin(cls)
    one, other = _sample(cls, 1), _sample(cls, 2)
    value, same, different = cls(*one), cls(*one), cls(*other)
    assert repr(value) == repr(twin(*one))
    assert value == same and value != different and value != twin(*one)
    assert [getattr(value, f) for f in cls._fields] == list(one)
    if issubclass(cls, Frozen):
        assert hash(value) == hash(same)
        with pytest.raises(FrozenInstanceError):
            setattr(value, cls._fields[0], 0)
        with pytest.raises(AttributeError):
            delattr(value, cls._fields[0])
    else:
        with pytest.raises(TypeError):
            hash(value)
        setattr(same, cls._fields[0], -1)
        assert same != value
    assert copy.copy(value) == value == copy.deepcopy(value)
    assert pickle.loads(pickle.dumps(value)) == value
    changed = values.replace(value, **{cls._fields[-1]: -5})
    assert getattr(changed, cls._fields[-1]) == -5 and changed != value
    assert dataclasses.replace(twin(*one), **{cls._fields[-1]: -5}) == twin(*(*one[:-1], -5))
    with pytest.raises(TypeError):
        values.replace(value, no_such_field=1)


def test_init_and_slots_must_name_the_same_fields() -> None:
    with pytest.raises(TypeError, match="exactly its __slots__"):

        class Broken(Frozen):
            __slots__ = ("a", "b")

            def __init__(self, a: int) -> None:
                object.__setattr__(self, "a", a)


def test_a_list_default_is_new_for_each_value() -> None:
    from aiperm_tui.policy.parse import Simple

    first, second = Simple([], (0, 0)), Simple([], (0, 0))
    first.assigns.append(None)  # type: ignore[arg-type]
    assert second.assigns == []
