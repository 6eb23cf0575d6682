"""Traffic settings: rates, per-class limits, client overrides, cache declarations, env overrides, refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from gateway.plugins.settings import RateLimit, SettingsError, load_settings, settings_from_dict


@pytest.mark.parametrize(
    ("text", "rate", "burst"),
    [("100/s", 100.0, 100.0), ("600/min", 10.0, 600.0), ("5/10s", 0.5, 5.0), ("3600/hour", 1.0, 3600.0)],
)
def test_rates(text: str, rate: float, burst: float) -> None:
    assert RateLimit.parse(text) == RateLimit(rate, burst)


def test_file_and_environment(tmp_path: Path) -> None:
    config = tmp_path / "gateway.yaml"
    config.write_text(
        """
classes:
  third_party: {rate_limit: "60/min", limits: {max_cost: 500, max_batch: 1}}
clients:
  partner: {class: third_party, safelist_only: true}
cache:
  types: {Enterprise: 300}
  invalidate: {renameEnterprise: Enterprise}
""",
        encoding="utf-8",
    )
    settings = load_settings(config, {"PARKGRAPH_RATE_LIMITS": "class.anonymous=10/s:20,client.partner=2/s"})
    third_party = settings.classes["third_party"]
    assert third_party.rate_limit == RateLimit(1.0, 60.0)
    assert (third_party.limits.max_cost, third_party.limits.max_batch) == (500, 1)
    assert third_party.limits.max_depth == 32  # unset limits keep the defaults
    assert settings.classes["anonymous"].rate_limit == RateLimit(10.0, 20.0)
    assert settings.clients["partner"].safelist_only
    assert settings.clients["partner"].rate_limit == RateLimit(2.0, 2.0)
    assert settings.cache.invalidate == {"Mutation.renameEnterprise": ("Enterprise",)}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"classes": {"a": {"rate_limit": "fast"}}}, "invalid rate limit"),
        ({"classes": {"a": {"limits": {"max_deepness": 3}}}}, "unknown limit"),
        ({"clients": {"x": {"class": "nope"}}}, "unknown class"),
        ({"cache": {"types": {"T": "long"}}}, "number of seconds"),
    ],
)
def test_invalid_settings_are_refused_at_startup(raw: dict[str, object], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        settings_from_dict(raw)
