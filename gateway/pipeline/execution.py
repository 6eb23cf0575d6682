"""The execution layer: runs a plan against the subgraphs, then shapes the client's response."""

from __future__ import annotations

from gateway.executor import TypeOracle, execute_plan
from gateway.pipeline.types import ExecutionRequest, ExecutionResponse
from gateway.subgraph.types import SubgraphService


class ExecutionLayer:
    """``ExecutionRequest -> ExecutionResponse``; never raises because a subgraph failed."""

    def __init__(self, subgraphs: SubgraphService, types: TypeOracle) -> None:
        self.subgraphs = subgraphs
        self.types = types

    async def __call__(self, request: ExecutionRequest) -> ExecutionResponse:
        executed = await execute_plan(
            request.plan,
            variables=request.variables,
            context=request.context,
            subgraphs=self.subgraphs,
            types=self.types,
        )
        program = request.prepared.program
        data = program.shape(executed.data, request.variables, executed.errors, executed.explained)
        return ExecutionResponse(data, executed.errors)
