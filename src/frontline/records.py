"""Fast construction of the frozen records the stages make by the thousand.

A frozen dataclass's ``__init__`` sets each field through ``object.__setattr__`` (its
own ``__setattr__`` refuses): about 0.1 µs a field, which adds up for the records made
for every sentence and every name of every article (a ``DatedSentence`` per sentence,
a ``Mention`` per place name). :func:`maker` returns a function that makes the same
object, field for field, through the slots' own setters, in half the time.

Only for frozen dataclasses with slots whose ``__init__`` does nothing but set the
fields: :func:`maker` refuses any other (a ``__post_init__``, a field left out of
``__init__``, a default factory), so that a record given such code later is never made
without it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["maker"]

T = TypeVar("T")


def maker(cls: type[T]) -> Callable[..., T]:
    """A function that takes the arguments ``cls(...)`` takes and makes what it makes.

    Parameters
    ----------
    cls : type
        A frozen dataclass with slots, every field an ``__init__`` parameter with at
        most a plain default, and no ``__post_init__``.

    Returns
    -------
    callable
        Positional and keyword arguments as ``cls``'s ``__init__`` (same names, order
        and defaults).

    Raises
    ------
    TypeError
        *cls* is not such a dataclass.

    Examples
    --------
    >>> @dataclasses.dataclass(frozen=True, slots=True)
    ... class Span:
    ...     start: int
    ...     end: int
    ...     label: str = ""
    >>> make = maker(Span)
    >>> make(1, 4) == Span(1, 4), make(1, 4, label="x")
    (True, Span(start=1, end=4, label='x'))
    """
    params = getattr(cls, "__dataclass_params__", None)
    if params is None or not params.frozen or "__slots__" not in vars(cls):
        raise TypeError(f"{cls.__name__} is not a frozen dataclass with slots")
    if hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__} has a __post_init__: make it with {cls.__name__}()")
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]  # (checked just above)
    names = [f.name for f in fields]
    signature = []
    scope: dict[str, Any] = {"_new": object.__new__, "_cls": cls}
    for f in fields:
        if not f.init or f.default_factory is not dataclasses.MISSING:
            raise TypeError(f"{cls.__name__}.{f.name} is not set by __init__ alone")
        scope[f"_set_{f.name}"] = vars(cls)[f.name].__set__  # the slot's own setter
        if f.default is dataclasses.MISSING:
            signature.append(f.name)
        else:
            scope[f"_default_{f.name}"] = f.default
            signature.append(f"{f.name}=_default_{f.name}")
    body = "".join(f"    _set_{n}(self, {n})\n" for n in names)
    source = f"def make({', '.join(signature)}):\n    self = _new(_cls)\n{body}    return self\n"
    exec(source, scope)  # (as dataclasses writes __init__ itself)
    make = scope["make"]
    make.__doc__ = f"``{cls.__name__}(...)``, made faster (see frontline.records.maker)."
    return make
