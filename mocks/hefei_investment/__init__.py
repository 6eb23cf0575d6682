"""Hefei's investment-promotion system (合肥市招商引资项目管理系统), a city data centre's own legacy system.

Its quirks, as such systems have them: pinyin-initial field names (XMBH
项目编号, XMMC 项目名称, TYXYDM 统一社会信用代码, TZE 投资额 in 亿元 as a
string, JD 阶段 in Chinese, QYRQ 签约日期 as ``yyyyMMdd``), an envelope
``{"code": 200, "msg": "操作成功", "rows": [...], "total": n}``, and a batch
lookup by comma-separated codes (``GET /api/xm/list?tyxydm=a,b``).
"""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

PROJECTS: tuple[dict[str, Any], ...] = (
    {"XMBH": "HF2024-0012", "XMMC": "新能源汽车零部件生产基地", "TYXYDM": "91340100MA2N0XYZ1A", "TZE": "12.5",
     "JD": "开工", "QYRQ": "20240315"},
    {"XMBH": "HF2024-0047", "XMMC": "智能语音研发中心", "TYXYDM": "91340100MA2N0XYZ1A", "TZE": "3.2",
     "JD": "签约", "QYRQ": "20240902"},
    {"XMBH": "HF2025-0003", "XMMC": "光伏组件扩产项目", "TYXYDM": "91340100MA2N7QWE3B", "TZE": "8",
     "JD": "在谈", "QYRQ": ""},
)  # fmt: skip


def create_app(projects: tuple[dict[str, Any], ...] = PROJECTS) -> Starlette:
    """The mock system over ``projects``; counts its requests in ``app.state.calls``."""

    async def project_list(request: Request) -> JSONResponse:
        request.app.state.calls += 1
        wanted = {c for c in request.query_params.get("tyxydm", "").split(",") if c}
        stage = request.query_params.get("jd")
        rows = [p for p in projects if (not wanted or p["TYXYDM"] in wanted) and (not stage or p["JD"] == stage)]
        return JSONResponse({"code": 200, "msg": "操作成功", "rows": rows, "total": len(rows)})

    app = Starlette(routes=[Route("/api/xm/list", project_list, methods=["GET"])])
    app.state.calls = 0
    return app
