"""Building ``_entities`` representations from ``requires`` selections, and applying rewrites.

A representation is the part of an object that ``requires`` selects: its
``__typename``, key fields and ``@requires`` inputs. A ``null`` input is kept
as ``null`` (federation-notes §6.24); a field that is absent makes the object
unfetchable, which the executor reports as ``INVALID_ENTITY_REPRESENTATION``.
"""

from __future__ import annotations

from typing import Any

from gateway.executor.merge import IsSubtype
from gateway.planner.plan import FieldSel, FragmentSel, KeyRenamer, Rewrite, Selection, ValueSetter

_FRAGMENT_PREFIX = "... on "


class MissingInput(Exception):
    """An object lacks a field its representation needs (internal to the executor)."""

    def __init__(self, field_name: str) -> None:
        super().__init__(field_name)
        self.field_name = field_name


FlatKey = tuple[str, tuple[str, ...]]


def representation(
    obj: dict[str, Any], requires: tuple[Selection, ...], is_a: IsSubtype, flat: FlatKey | None = None
) -> dict[str, Any] | None:
    """The representation of ``obj``, or None when no part of ``requires`` applies to its type.

    ``flat`` is :func:`flat_key` of ``requires``, looked up once per fetch by the caller.
    Raises :class:`MissingInput` when ``__typename`` or a selected field is absent.
    """
    typename = obj.get("__typename")
    if typename is None:
        raise MissingInput("__typename")
    if flat is not None:
        # The common case, `... on T { __typename key… }` with leaf fields only: no recursion.
        condition, names = flat
        if typename != condition and not is_a(typename, condition):
            return None
        try:
            return {name: obj[name] for name in names}
        except KeyError as exc:
            raise MissingInput(str(exc.args[0])) from None
    selected = _select(obj, requires, is_a, {})
    return selected if selected else None


_FLAT: dict[tuple[Selection, ...], FlatKey | None] = {}


def flat_key(requires: tuple[Selection, ...]) -> FlatKey | None:
    """(type condition, field names) when ``requires`` is one fragment of leaf fields, else None (memoized)."""
    try:
        return _FLAT[requires]
    except KeyError:
        pass
    flat: FlatKey | None = None
    if len(requires) == 1 and isinstance(requires[0], FragmentSel):
        fragment = requires[0]
        if all(isinstance(sel, FieldSel) and not sel.selections and sel.alias is None for sel in fragment.selections):
            names = tuple(sel.name for sel in fragment.selections if isinstance(sel, FieldSel))
            if len(set(names)) == len(names):
                flat = (fragment.type_condition, names)
    if len(_FLAT) < 4096:  # plans are cached, so the distinct requires are few; bound it anyway
        _FLAT[requires] = flat
    return flat


def _select(
    obj: dict[str, Any], selections: tuple[Selection, ...], is_a: IsSubtype, out: dict[str, Any]
) -> dict[str, Any]:
    for sel in selections:
        if isinstance(sel, FieldSel):
            source = sel.alias or sel.name
            if source not in obj:
                raise MissingInput(sel.name)
            value = obj[source]
            if sel.selections and value is not None:
                value = _select_value(value, sel.selections, is_a)
            previous = out.get(sel.name)
            if type(previous) is dict and type(value) is dict:
                previous.update(value)  # the same field selected under two fragments: union of both
            else:
                out[sel.name] = value
        else:
            typename = obj.get("__typename")
            if type(typename) is str and is_a(typename, sel.type_condition):
                _select(obj, sel.selections, is_a, out)
    return out


def _select_value(value: Any, selections: tuple[Selection, ...], is_a: IsSubtype) -> Any:
    if type(value) is list:
        return [None if item is None else _select_value(item, selections, is_a) for item in value]
    if type(value) is dict:
        return _select(value, selections, is_a, {})
    return value


def apply_rewrites(value: Any, rewrites: tuple[Rewrite, ...], is_a: IsSubtype) -> None:
    """Apply ``ValueSetter``/``KeyRenamer`` rewrites to ``value`` in place (paths: keys or ``... on T``)."""
    for rewrite in rewrites:
        _rewrite(value, rewrite.path, rewrite, is_a)


def _rewrite(value: Any, path: tuple[str, ...], rewrite: Rewrite, is_a: IsSubtype) -> None:
    if not path:
        return
    if type(value) is list:
        for item in value:
            _rewrite(item, path, rewrite, is_a)
        return
    if type(value) is not dict:
        return
    head = path[0]
    if head.startswith(_FRAGMENT_PREFIX):
        typename = value.get("__typename")
        if type(typename) is str and is_a(typename, head[len(_FRAGMENT_PREFIX) :]):
            _rewrite(value, path[1:], rewrite, is_a)
        return
    if len(path) > 1:
        _rewrite(value.get(head), path[1:], rewrite, is_a)
    elif isinstance(rewrite, ValueSetter):
        value[head] = rewrite.set_value_to
    elif isinstance(rewrite, KeyRenamer) and head in value:
        value[rewrite.rename_key_to] = value.pop(head)
