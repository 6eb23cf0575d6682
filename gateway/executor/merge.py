"""Deep merge of subgraph results into the response tree (federation-notes §4.3).

Objects merge key by key, lists of equal length element by element, other
values overwrite, except that a concrete ``__typename`` is never replaced by
the name of one of its abstract types (an ``@interfaceObject`` subgraph answers
``"Media"`` for what is really a ``Book``). Values are inserted by reference,
not copied: merging is on the hot path, and the tree is only read afterwards.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

IsSubtype = Callable[[str, str], bool]  # (concrete, abstract) -> concrete is a possible type of abstract


def deep_merge(target: dict[str, Any], source: dict[str, Any], is_subtype: IsSubtype) -> None:
    """Merge ``source`` into ``target`` in place."""
    for key, value in source.items():
        current = target.get(key)
        if current is None:
            target[key] = value
        elif type(value) is dict:
            if type(current) is dict:
                deep_merge(current, value, is_subtype)
            else:
                target[key] = value
        elif type(value) is list:
            if type(current) is list and len(current) == len(value):
                _merge_lists(current, value, is_subtype)
            else:
                target[key] = value
        elif key == "__typename":
            if current != value and not (type(current) is str and type(value) is str and is_subtype(current, value)):
                target[key] = value
        else:
            target[key] = value


def _merge_lists(target: list[Any], source: list[Any], is_subtype: IsSubtype) -> None:
    for index, value in enumerate(source):
        current = target[index]
        if type(value) is dict and type(current) is dict:
            deep_merge(current, value, is_subtype)
        elif type(value) is list and type(current) is list and len(current) == len(value):
            _merge_lists(current, value, is_subtype)
        elif value is not None or current is None:
            target[index] = value
