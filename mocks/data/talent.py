"""Seeded job demands (用工需求) of the talent and skilled-worker demand database (人才).

A pure function of a :class:`Province`. The records keep the database's own
conventions: education requirements as GB/T 4658 codes (often missing),
occupations as GB/T 6565 codes, the salary as free text (``"8000-12000"`` or
``"面议"``), dates as ``YYYYMMDD`` strings. ``mocks/talent`` writes them into
the legacy tables.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from mocks.data.province import SHOWCASE_USCC, Province

# 学历代码 (GB/T 4658-2006, the codes the database's 字典表 uses).
EDUCATION_LEVELS: tuple[tuple[str, str], ...] = (
    ("11", "博士研究生"),
    ("14", "硕士研究生"),
    ("20", "大学本科"),
    ("30", "大学专科"),
    ("40", "中等专科"),
    ("60", "普通高中"),
    ("70", "初中"),
    ("90", "其他"),
)

# 职业代码: a small subset of the occupational classification (GB/T 6565-2015), as the database's code table holds
# it: (code, name, parent code). Major groups (大类) have no parent.
OCCUPATIONS: tuple[tuple[str, str, str | None], ...] = (
    ("2", "专业技术人员", None),
    ("2-02-07-01", "机械设计工程技术人员", "2"),
    ("2-02-07-02", "机械制造工程技术人员", "2"),
    ("2-02-10-02", "计算机硬件工程技术人员", "2"),
    ("2-02-10-03", "计算机软件工程技术人员", "2"),
    ("2-02-10-04", "计算机网络工程技术人员", "2"),
    ("2-02-10-07", "信息安全工程技术人员", "2"),
    ("4", "社会生产服务和生活服务人员", None),
    ("4-02-06-01", "装卸搬运工", "4"),
    ("4-04-05-02", "网络与信息安全管理员", "4"),
    ("6", "生产制造及有关人员", None),
    ("6-18-01-01", "车工", "6"),
    ("6-18-01-02", "铣工", "6"),
    ("6-18-02-04", "焊工", "6"),
    ("6-31-01-03", "电工", "6"),
)
_JOB_OCCUPATIONS = tuple(code for code, _name, parent in OCCUPATIONS if parent is not None)
_TITLES: dict[str, tuple[str, ...]] = {
    "2-02-07-01": ("机械设计工程师", "结构工程师"),
    "2-02-07-02": ("工艺工程师", "制造工程师"),
    "2-02-10-02": ("硬件工程师", "嵌入式硬件工程师"),
    "2-02-10-03": ("Java开发工程师", "软件工程师", "算法工程师"),
    "2-02-10-04": ("网络工程师",),
    "2-02-10-07": ("信息安全工程师",),
    "4-02-06-01": ("仓库装卸工", "叉车搬运工"),
    "4-04-05-02": ("网络管理员",),
    "6-18-01-01": ("数控车工", "普车工"),
    "6-18-01-02": ("数控铣工",),
    "6-18-02-04": ("电焊工", "氩弧焊工"),
    "6-31-01-03": ("维修电工", "设备电工"),
}


@dataclass(frozen=True, slots=True)
class JobDemandRecord:
    """One row of the demand table, in the database's own conventions."""

    uscc: str
    title: str  # 岗位名称
    headcount: int  # 需求人数
    education_code: str | None  # 学历要求; None or "" both mean no requirement
    occupation_code: str  # 职业代码
    salary_text: str  # 薪资范围, free text
    posted_on: str  # 发布日期 YYYYMMDD
    valid_until: str | None  # 有效期至 YYYYMMDD; None = 长期有效 (no end)
    status: str  # "1" open, "0" withdrawn or filled
    contact_name: str
    contact_phone: str


@lru_cache(maxsize=8)
def generate_demands(province: Province) -> tuple[JobDemandRecord, ...]:
    """Every demand row of the province, in insertion order (the database numbers them so)."""
    rng = random.Random(f"{province.seed}-talent")
    rows: list[JobDemandRecord] = []
    for enterprise in province.enterprises:
        count = 5 if enterprise.uscc == SHOWCASE_USCC else rng.choice((0, 0, 1, 1, 2, 3, 4))
        for _ in range(count):
            occupation = rng.choice(_JOB_OCCUPATIONS)
            skilled = occupation.startswith(("4", "6"))
            education = rng.choice(("30", "40", "60", None, "")) if skilled else rng.choice(("11", "14", "20", "20"))
            posted = date(2024, 1, 1) + timedelta(days=rng.randint(0, 700))
            low = rng.randrange(4000, 15000, 500) if skilled else rng.randrange(8000, 30000, 1000)
            salary = "面议" if rng.random() < 0.15 else f"{low}-{low + rng.randrange(1000, 8000, 500)}"
            # About half the postings run until withdrawn (长期有效), so "open" demand exists whatever today is.
            days = rng.choice((90, 180, 365, None, None, None))
            rows.append(
                JobDemandRecord(
                    uscc=enterprise.uscc,
                    title=rng.choice(_TITLES[occupation]),
                    headcount=rng.randint(1, 30) if skilled else rng.randint(1, 8),
                    education_code=education,
                    occupation_code=occupation,
                    salary_text=salary,
                    posted_on=f"{posted:%Y%m%d}",
                    valid_until=f"{posted + timedelta(days=days):%Y%m%d}" if days else None,
                    status="1" if rng.random() < 0.8 else "0",
                    contact_name=rng.choice("王李张刘陈杨黄赵") + rng.choice(("经理", "女士", "先生", "主管")),
                    contact_phone=f"0551-{rng.randint(60000000, 69999999)}",
                )
            )
    return tuple(rows)
