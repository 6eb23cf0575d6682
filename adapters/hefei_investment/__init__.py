"""The adapter for Hefei's investment-promotion system: ``InvestmentClient`` and its ``InvestmentProject``."""

from adapters.hefei_investment.client import InvestmentClient, InvestmentProject, LegacyError

__all__ = ["InvestmentClient", "InvestmentProject", "LegacyError"]
