"""Seeded approval cases (办件) of the one-stop online approval platform (行政审批).

A pure function of a :class:`Province`: the same seed gives the same cases.
The records keep the platform's own vocabulary (status codes from its code
table, ``yyyyMMddHHmmss`` timestamps in China Standard Time without a zone);
the mock in ``mocks/approvals`` renders them with pinyin field names.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import lru_cache

from mocks.data.province import SHOWCASE_USCC, Province

TIME_FORMAT = "%Y%m%d%H%M%S"

# 办理状态 code table (字典表) of the platform: code → label.
STATUSES: dict[str, str] = {
    "01": "已申请",
    "02": "已受理",
    "03": "审查中",
    "04": "补正材料",
    "05": "准予许可",
    "06": "不予许可",
    "07": "已撤回",
}
FINAL_STATUSES = frozenset({"05", "06", "07"})
# Which status changes the platform accepts (its workflow engine refuses the others).
TRANSITIONS: dict[str, frozenset[str]] = {
    "01": frozenset({"02", "06", "07"}),
    "02": frozenset({"03", "06", "07"}),
    "03": frozenset({"04", "05", "06"}),
    "04": frozenset({"03", "07"}),
    "05": frozenset(),
    "06": frozenset(),
    "07": frozenset(),
}


@dataclass(frozen=True, slots=True)
class ApprovalItem:
    """One item of the approval catalogue (事项清单)."""

    code: str  # 事项编码
    name: str  # 事项名称
    authority: str  # 受理机关 template: {city} / {park} are filled in per case


ITEMS: tuple[ApprovalItem, ...] = (
    ApprovalItem("000105001000", "企业投资项目备案", "{park}管理委员会"),
    ApprovalItem("000116003000", "建设工程规划许可证核发", "{city}自然资源和规划局"),
    ApprovalItem("000117004000", "建筑工程施工许可证核发", "{park}管理委员会"),
    ApprovalItem("000119002000", "建设项目环境影响评价文件审批", "{city}生态环境局"),
    ApprovalItem("000119017000", "排污许可证核发", "{city}生态环境局"),
    ApprovalItem("000132004000", "食品生产许可", "{city}市场监督管理局"),
    ApprovalItem("000135006000", "危险化学品经营许可", "{city}应急管理局"),
    ApprovalItem("000158001000", "特殊建设工程消防设计审查", "{city}住房和城乡建设局"),
    ApprovalItem("000107012000", "公共场所卫生许可", "{city}卫生健康委员会"),
    ApprovalItem("000143002000", "人力资源服务许可", "{city}人力资源和社会保障局"),
)
ITEMS_BY_CODE = {item.code: item for item in ITEMS}


@dataclass(frozen=True, slots=True)
class ApprovalRecord:
    """One case as the platform stores it."""

    case_no: str  # 申办流水号
    item_code: str
    item_name: str
    authority: str
    uscc: str
    applicant_name: str
    park_code: str
    city_code: str
    contact_name: str
    contact_phone: str
    description: str
    status: str  # code of STATUSES
    submitted_at: str  # yyyyMMddHHmmss, CST
    accepted_at: str | None
    completed_at: str | None


def authority_for(item: ApprovalItem, province: Province, park_code: str) -> str:
    """The accepting authority's name for an item filed in a park."""
    park = next(p for p in province.parks if p.code == park_code)
    city = next(c for c in province.cities if c.code == park.city_code)
    return item.authority.format(city=city.name, park=park.name)


@lru_cache(maxsize=8)
def generate_cases(province: Province) -> tuple[ApprovalRecord, ...]:
    """Every case of the province, ordered by submission time."""
    rng = random.Random(f"{province.seed}-approvals")
    drafts: list[tuple[datetime, ApprovalRecord]] = []
    for enterprise in province.enterprises:
        count = 7 if enterprise.uscc == SHOWCASE_USCC else rng.choice((0, 1, 1, 2, 2, 3, 4, 5))
        for index in range(count):
            item = rng.choice(ITEMS)
            # The showcase enterprise has one case in every status, so that filters always find something.
            status = f"0{index % 7 + 1}" if enterprise.uscc == SHOWCASE_USCC else _weighted_status(rng)
            submitted = datetime(2023, 1, 1, 8) + timedelta(minutes=rng.randint(0, 3 * 365 * 24 * 60))
            accepted = submitted + timedelta(hours=rng.randint(1, 72)) if status not in ("01", "07") else None
            completed = (
                (accepted or submitted) + timedelta(days=rng.randint(1, 30)) if status in FINAL_STATUSES else None
            )
            person = _contact(rng)
            drafts.append(
                (
                    submitted,
                    ApprovalRecord(
                        case_no="",
                        item_code=item.code,
                        item_name=item.name,
                        authority=authority_for(item, province, enterprise.park_code),
                        uscc=enterprise.uscc,
                        applicant_name=enterprise.name,
                        park_code=enterprise.park_code,
                        city_code=enterprise.city_code,
                        contact_name=person[0],
                        contact_phone=person[1],
                        description=f"{enterprise.name}申请{item.name}",
                        status=status,
                        submitted_at=submitted.strftime(TIME_FORMAT),
                        accepted_at=accepted.strftime(TIME_FORMAT) if accepted else None,
                        completed_at=completed.strftime(TIME_FORMAT) if completed else None,
                    ),
                )
            )
    drafts.sort(key=lambda pair: (pair[0], pair[1].uscc))
    return tuple(
        replace(record, case_no=case_number(record.city_code, stamp, serial))
        for serial, (stamp, record) in enumerate(drafts, start=1)
    )


def case_number(city_code: str, submitted: datetime, serial: int) -> str:
    """申办流水号: the city's division code, the submission date and a platform-wide serial."""
    return f"{city_code}{submitted:%Y%m%d}{serial:06d}"


def _weighted_status(rng: random.Random) -> str:
    # Most cases are finished; a realistic share is still open.
    return rng.choices(tuple(STATUSES), weights=(5, 6, 8, 3, 55, 8, 5))[0]


def _contact(rng: random.Random) -> tuple[str, str]:
    surname = rng.choice("王李张刘陈杨黄赵吴周")
    given = "".join(rng.choice("伟芳娜敏静丽强磊军洋") for _ in range(rng.randint(1, 2)))
    return surname + given, rng.choice(("139", "138", "186", "155")) + f"{rng.randint(0, 99999999):08d}"
