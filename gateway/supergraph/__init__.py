"""The supergraph: loading an Apollo supergraph SDL, its API schema and join metadata."""

from gateway.supergraph.load import load_supergraph
from gateway.supergraph.model import FieldInGraph, Key, SubgraphInfo, Supergraph, TypeInGraph

__all__ = ["FieldInGraph", "Key", "SubgraphInfo", "Supergraph", "TypeInGraph", "load_supergraph"]
