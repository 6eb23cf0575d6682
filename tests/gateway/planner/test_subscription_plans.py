"""Subscription plans: the root field's subgraph gets the primary fetch, other subgraphs' fields run per event."""

from __future__ import annotations

import pytest
from graphql import parse

from gateway.errors import PlanningError
from gateway.planner import QueryPlanner, print_plan
from gateway.planner.plan import Fetch, Flatten, Parallel, Subscription
from gateway.supergraph import load_supergraph
from parkgraph import sdl as stored

SUPERGRAPH = load_supergraph(stored.SUPERGRAPH.read_text(encoding="utf-8"))


def _plan(query: str) -> Subscription:
    plan = QueryPlanner(SUPERGRAPH).plan(parse(query), None)
    assert isinstance(plan.node, Subscription)
    return plan.node


def test_registry_fields_of_an_alert_are_entity_fetches_after_the_primary() -> None:
    node = _plan(
        "subscription Alerts($city: String) { safetyAlertRaised(cityCode: $city) "
        "{ id level enterprise { uscc name } park { code name } } }"
    )
    assert node.primary.service_name == "safety" and node.primary.operation_kind == "subscription"
    assert node.primary.operation.startswith("subscription Alerts__safety__0($city:String){safetyAlertRaised")
    assert node.primary.variable_usages == ("city",)
    assert isinstance(node.rest, Parallel)
    paths = {(n.path, n.node.service_name) for n in node.rest.nodes if isinstance(n, Flatten)}
    assert paths == {(("safetyAlertRaised", "enterprise"), "registry"), (("safetyAlertRaised", "park"), "registry")}
    printed = print_plan(QueryPlanner(SUPERGRAPH).plan(parse("subscription { safetyAlertRaised { id } }"), None))
    assert printed == (
        "QueryPlan {\n  Subscription {\n    Primary: {\n"
        '      Fetch(service: "safety") {\n        subscription{safetyAlertRaised{id}}\n      }\n'
        "    }\n  }\n}"
    )


def test_a_subscription_answered_by_its_subgraph_alone_has_no_rest() -> None:
    node = _plan("subscription { environmentAlertRaised { id level enterprise { uscc } } }")
    assert isinstance(node.primary, Fetch) and node.primary.service_name == "environment"
    assert node.rest is None


def test_two_root_fields_cannot_be_one_subscription() -> None:
    # Validation refuses such a document first; the planner refuses it too rather than merge two streams.
    document = parse("subscription { safetyAlertRaised { id } environmentAlertRaised { id } }")
    with pytest.raises(PlanningError):
        QueryPlanner(SUPERGRAPH).plan(document, None)
