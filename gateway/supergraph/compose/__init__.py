"""Composition: subgraph SDLs → an Apollo-format supergraph, by Apollo Federation 2's rules.

A pipeline of small steps (:mod:`.pipeline`), each returning errors and hints
rather than raising. Composition problems are data
(:class:`~.codes.CompositionError`, :class:`~.codes.Hint` with Apollo's codes),
never exceptions. Exception tree (only for reading inputs, :mod:`.sources`)::

    ComposeInputError     a config file or a subgraph's SDL could not be read or fetched
"""

from gateway.supergraph.compose.codes import CompositionError, Hint
from gateway.supergraph.compose.pipeline import CompositionResult, SubgraphSource, compose

__all__ = ["CompositionError", "CompositionResult", "Hint", "SubgraphSource", "compose"]
