"""Prints a query plan in Apollo's text format, for snapshots and the dev-mode plan header."""

from __future__ import annotations

from gateway.planner.plan import (
    Condition,
    Fetch,
    FieldSel,
    Flatten,
    FragmentSel,
    KeyRenamer,
    Parallel,
    PlanNode,
    QueryPlan,
    Rewrite,
    Selection,
    Sequence,
    Subscription,
    ValueSetter,
)

_INDENT = "  "


def print_plan(plan: QueryPlan) -> str:
    if plan.node is None:
        return "QueryPlan {\n}"
    if isinstance(plan.node, Subscription):
        return "QueryPlan {\n" + _subscription(plan.node, 1) + "\n}"
    return "QueryPlan {\n" + _node(plan.node, 1) + "\n}"


def _subscription(node: Subscription, depth: int) -> str:
    # Apollo's layout: Primary holds the subscribing fetch, Rest what runs for every event.
    pad = _INDENT * depth
    inner = _INDENT * (depth + 1)
    parts = [f"{pad}Subscription {{", f"{inner}Primary: {{", _fetch(node.primary, depth + 2), f"{inner}}}"]
    if node.rest is not None:
        parts[-1] += ","
        parts += [f"{inner}Rest: {{", _node(node.rest, depth + 2), f"{inner}}}"]
    parts.append(f"{pad}}}")
    return "\n".join(parts)


def _node(node: PlanNode, depth: int) -> str:
    pad = _INDENT * depth
    if isinstance(node, Fetch):
        return _fetch(node, depth)
    if isinstance(node, Flatten):
        path = ".".join(node.path)
        return f'{pad}Flatten(path: "{path}") {{\n{_fetch(node.node, depth + 1)}\n{pad}}}'
    if isinstance(node, Sequence | Parallel):
        inner = ",\n".join(_node(child, depth + 1) for child in node.nodes)
        return f"{pad}{node.kind} {{\n{inner}\n{pad}}}"
    return _condition(node, depth)


def _condition(node: Condition, depth: int) -> str:
    pad = _INDENT * depth
    if node.if_clause is not None and node.else_clause is None:
        return f"{pad}Include(if: ${node.condition}) {{\n{_node(node.if_clause, depth + 1)}\n{pad}}}"
    if node.if_clause is None and node.else_clause is not None:
        return f"{pad}Skip(if: ${node.condition}) {{\n{_node(node.else_clause, depth + 1)}\n{pad}}}"
    parts = [f"{pad}Condition(if: ${node.condition}) {{"]
    if node.if_clause is not None:
        parts.append(f"{pad}{_INDENT}Then {{\n{_node(node.if_clause, depth + 2)}\n{pad}{_INDENT}}}")
    if node.else_clause is not None:
        parts.append(f"{pad}{_INDENT}Else {{\n{_node(node.else_clause, depth + 2)}\n{pad}{_INDENT}}}")
    parts.append(f"{pad}}}")
    return "\n".join(parts)


def _fetch(node: Fetch, depth: int) -> str:
    pad = _INDENT * depth
    lines = [f'{pad}Fetch(service: "{node.service_name}") {{']
    if node.requires:
        lines.append(_selections(node.requires, depth + 1) + " =>")
    if node.input_rewrites:
        lines.append(f"{pad}{_INDENT}inputRewrites: {_rewrites(node.input_rewrites)}")
    if node.output_rewrites:
        lines.append(f"{pad}{_INDENT}outputRewrites: {_rewrites(node.output_rewrites)}")
    lines.append(f"{pad}{_INDENT}{node.operation}")
    lines.append(f"{pad}}}")
    return "\n".join(lines)


def _selections(selections: tuple[Selection, ...], depth: int) -> str:
    pad = _INDENT * depth
    body = "\n".join(_selection(sel, depth + 1) for sel in selections)
    return f"{pad}{{\n{body}\n{pad}}}"


def _selection(sel: Selection, depth: int) -> str:
    pad = _INDENT * depth
    if isinstance(sel, FieldSel):
        if not sel.selections:
            return pad + sel.name
        return f"{pad}{sel.name} " + _selections(sel.selections, depth).lstrip()
    assert isinstance(sel, FragmentSel)
    return f"{pad}... on {sel.type_condition} " + _selections(sel.selections, depth).lstrip()


def _rewrites(rewrites: tuple[Rewrite, ...]) -> str:
    parts = []
    for rewrite in rewrites:
        path = ".".join(rewrite.path)
        if isinstance(rewrite, ValueSetter):
            parts.append(f'ValueSetter("{path}" = "{rewrite.set_value_to}")')
        else:
            assert isinstance(rewrite, KeyRenamer)
            parts.append(f'KeyRenamer("{path}" -> "{rewrite.rename_key_to}")')
    return "[" + ", ".join(parts) + "]"
