"""The strawberry schema of Hefei's investment subgraph: ``C340100_Project``, ``Enterprise.c340100_projects``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any, TypeVar, cast

import strawberry
from strawberry.dataloader import DataLoader
from strawberry.schema.config import StrawberryConfig

from adapters.hefei_investment import InvestmentClient, InvestmentProject
from schema.scalars import SCALAR_MAP, USCC, Date, Money

_Resolver = TypeVar("_Resolver", bound=Callable[..., Any])


def resolver(description: str, name: str | None = None) -> Callable[[_Resolver], _Resolver]:
    """``strawberry.field`` for methods, typed (strawberry's decorator is untyped for mypy)."""
    return cast(Callable[[_Resolver], _Resolver], strawberry.field(name=name, description=description))


@dataclass
class HefeiContext:
    """Per request: the legacy client and the projects loader."""

    client: InvestmentClient
    projects: DataLoader[str, list[Project]]


Info = strawberry.Info[HefeiContext, None]


@strawberry.enum(name="C340100_ProjectStage", description="Stage of an investment project (项目阶段).")
class ProjectStage(Enum):
    NEGOTIATING = "NEGOTIATING"  # 在谈
    SIGNED = "SIGNED"  # 签约
    UNDER_CONSTRUCTION = "UNDER_CONSTRUCTION"  # 开工
    IN_PRODUCTION = "IN_PRODUCTION"  # 投产


@strawberry.federation.type(
    name="C340100_Project", keys=["code"], description="A project Hefei is attracting (招商项目)."
)
class Project:
    code: strawberry.ID = strawberry.field(description="Project number (项目编号), e.g. HF2024-0012.")
    name: str = strawberry.field(description="Project name (项目名称).")
    investment: Money | None = strawberry.field(description="Planned investment in yuan (投资额).")
    stage: ProjectStage
    signed_on: Date | None = strawberry.field(name="signedOn", description="Date the agreement was signed (签约日期).")
    uscc: strawberry.Private[str]

    @resolver("The investing enterprise.")
    def enterprise(self) -> Enterprise:
        return Enterprise(uscc=USCC(self.uscc))

    @classmethod
    def of(cls, project: InvestmentProject) -> Project:
        money = Money(project.investment_yuan) if project.investment_yuan is not None else None
        return cls(
            code=strawberry.ID(project.code),
            name=project.name,
            investment=money,
            stage=ProjectStage(project.stage),
            signed_on=project.signed_on,
            uscc=project.uscc,
        )


@strawberry.federation.type(keys=["uscc"], description="The province's enterprise, with Hefei's projects.")
class Enterprise:
    uscc: USCC

    @classmethod
    def resolve_reference(cls, uscc: str, **_: Any) -> Enterprise:
        return cls(uscc=USCC(uscc))

    @resolver("The enterprise's investment projects in Hefei.", name="c340100_projects")
    async def projects(self, info: Info) -> list[Project]:
        return await info.context.projects.load(self.uscc)


@strawberry.type
class Query:
    @resolver("Hefei's investment projects, optionally by stage.", name="c340100_projects")
    async def projects(self, info: Info, stage: ProjectStage | None = None) -> list[Project]:
        found = await info.context.client.projects(stage=stage.value if stage else None)
        return [Project.of(p) for p in found]


def projects_loader(client: InvestmentClient) -> DataLoader[str, list[Project]]:
    """One legacy call per request for every enterprise's projects (no N+1 on ``_entities``)."""

    async def load(usccs: list[str]) -> list[list[Project]]:
        found = await client.projects(usccs)
        return [[Project.of(p) for p in found if p.uscc == uscc] for uscc in usccs]

    return DataLoader(load_fn=load)


def build_schema() -> strawberry.federation.Schema:
    return strawberry.federation.Schema(
        query=Query,
        types=[Enterprise, Project],
        config=StrawberryConfig(scalar_map=SCALAR_MAP),
        federation_version="2.7",  # the version the provincial composer and the domain subgraphs use
    )
