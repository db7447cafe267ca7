"""Value classes for the modules `aiperm check` loads: dataclasses' behaviour, without
its cost at start-up.

`aiperm check` runs once per command from hooks, in a fresh interpreter. Importing
`dataclasses` (which imports `inspect`, `ast`, `dis`, `tokenize`) and making the ~25
dataclasses of the policy engine and the config cost ~20 ms of that process: dataclasses
writes each class's `__init__`, `__repr__`, `__eq__`, `__hash__`, `__setattr__` and
`__delattr__` as source text and compiles it, at every start. Here the fields are the
class's `__slots__` and each class writes its own `__init__` (compiled once, into the
.pyc, like the rest of the code); the rest is shared:

- `Record`: a mutable record (as `@dataclass`): equality by class and fields, a
  dataclass's repr, unhashable, copied and pickled by its fields;
- `Frozen`: an immutable one (as `@dataclass(frozen=True)`): hashable by its fields,
  and assigning or deleting a field raises `FrozenInstanceError` (an AttributeError);
  its `__init__` sets fields with `object.__setattr__`, as dataclasses' does;
- `replace(value, **changes)` and `fields(cls)`, as in dataclasses.

The one rule: `__init__` takes every field (the `__slots__`, of the class and its
bases), by the field's name, and only stores it (a default that is a new list or dict
is made in `__init__`). Its parameters give the fields' order (repr, copy, equality), so
`__slots__` may be sorted; a class whose `__init__` and `__slots__` name different
fields is refused when it is made. tests/foundation/test_values.py holds every value
class of the package to a dataclass's behaviour.
"""

from __future__ import annotations

from operator import attrgetter

TYPE_CHECKING = False  # typing is not imported at run time (~2 ms of every check)
if TYPE_CHECKING:
    from typing import Any, ClassVar, NoReturn, TypeVar

    V = TypeVar("V", bound="Record")
else:  # the names exist at run time, for imports; only mypy reads them
    V = object


class FrozenInstanceError(AttributeError):
    """Assigning to (or deleting) a field of a `Frozen` value."""


class Record:
    """A mutable value: its fields are its `__slots__`."""

    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ()
    _values: ClassVar[Any] = attrgetter("__class__")  # what equality and hash compare

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        code = getattr(cls.__init__, "__code__", None)  # None: object's (a base class)
        cls._fields = (
            () if code is None else code.co_varnames[1 : code.co_argcount + code.co_kwonlyargcount]
        )
        slots = {name for klass in cls.__mro__ for name in vars(klass).get("__slots__", ())}
        if set(cls._fields) != slots or "__slots__" not in vars(cls):
            raise TypeError(f"{cls.__qualname__}: __init__ must take exactly its __slots__")
        cls._values = attrgetter(*cls._fields or ("__class__",))

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            values = self._values
            return bool(values(self) == values(other))
        return NotImplemented

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{self.__class__.__qualname__}({shown})"

    def __reduce__(self) -> tuple[type[Record], tuple[Any, ...]]:
        """Copied and pickled by calling the class with its fields again."""
        return (self.__class__, tuple(getattr(self, name) for name in self._fields))


class Frozen(Record):
    """An immutable value: hashable, and its fields cannot be set after `__init__`."""

    __slots__ = ()

    def __hash__(self) -> int:
        return hash(self._values(self))

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> NoReturn:
        raise FrozenInstanceError(f"cannot delete field {name!r}")


def replace(value: V, /, **changes: Any) -> V:
    """A copy of `value` with `changes` to some of its fields (a TypeError for a name
    that is not one)."""
    for name in value._fields:
        if name not in changes:
            changes[name] = getattr(value, name)
    return value.__class__(**changes)


def fields(cls: type[Record]) -> tuple[str, ...]:
    """The names of `cls`'s fields, in order."""
    return cls._fields
