"""The HJ 212-2017 code tables the platform accepts: system types (ST), commands (CN), pollutants and data flags.

A frame that names a code outside these tables is refused as
:class:`~adapters.environment.hj212.UnknownCode`: a data acquisition unit
configured for another standard (HJ 212-2005 codes such as ``011``) or a
mistyped factor code must be noticed, not stored under a guessed meaning.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Medium(enum.Enum):
    """What an outlet discharges (排放口类型)."""

    WATER = "water"  # 废水
    AIR = "air"  # 废气


@dataclass(frozen=True, slots=True)
class Pollutant:
    code: str  # HJ 212-2017 factor code, e.g. w01018
    name: str  # Chinese name as the standard gives it
    unit: str
    medium: Medium


POLLUTANTS: dict[str, Pollutant] = {
    p.code: p
    for p in (
        Pollutant("w00000", "废水流量", "L/s", Medium.WATER),
        Pollutant("w01001", "pH值", "", Medium.WATER),
        Pollutant("w01018", "化学需氧量", "mg/L", Medium.WATER),
        Pollutant("w21003", "氨氮", "mg/L", Medium.WATER),
        Pollutant("w21011", "总磷", "mg/L", Medium.WATER),
        Pollutant("w21001", "总氮", "mg/L", Medium.WATER),
        Pollutant("a00000", "废气流量", "m3/s", Medium.AIR),
        Pollutant("a01012", "烟气温度", "℃", Medium.AIR),
        Pollutant("a19001", "氧气含量", "%", Medium.AIR),
        Pollutant("a21026", "二氧化硫", "mg/m3", Medium.AIR),
        Pollutant("a21002", "氮氧化物", "mg/m3", Medium.AIR),
        Pollutant("a34013", "颗粒物", "mg/m3", Medium.AIR),
    )
}

# System types (ST): 21 surface water, 22 ambient air, 31 air pollution source, 32 water pollution source,
# 91 system interaction (acknowledgements).
SYSTEM_TYPES: dict[str, str] = {
    "21": "地表水质量监测",
    "22": "空气质量监测",
    "31": "大气环境污染源",
    "32": "地表水体环境污染源",
    "91": "系统交互",
}

# Commands (CN) the platform knows: data uploads, acknowledgements, and the settings a unit echoes back.
COMMANDS: dict[str, str] = {
    "1011": "提取现场机时间",
    "1012": "设置现场机时间",
    "1061": "提取实时数据间隔",
    "1062": "设置实时数据间隔",
    "2011": "实时数据",
    "2051": "分钟数据",
    "2061": "小时数据",
    "2031": "日历史数据",
    "9014": "数据应答",
    "9011": "请求应答",
    "9012": "执行结果",
}
DATA_COMMANDS = frozenset({"2011", "2051", "2061", "2031"})
REALTIME = "2011"
DATA_ACK = "9014"
INTERACTION = "91"


class DataFlag(enum.Enum):
    """The per-value data flag (数据标记, HJ 212-2017 §6.6.4): only N counts towards compliance."""

    NORMAL = "N"  # 在线监控(监测)仪器仪表工作正常
    STOPPED = "F"  # 排放源停运
    MAINTENANCE = "M"  # 维护
    MANUAL = "S"  # 手工输入的设定值
    FAULT = "D"  # 故障
    CALIBRATION = "C"  # 校准
    OVER_RANGE = "T"  # 超测上限
    COMMUNICATION = "B"  # 通讯异常

    @property
    def valid(self) -> bool:
        """Whether the value may be compared with the discharge limit (only normal operation counts)."""
        return self is DataFlag.NORMAL


DATA_FLAGS: dict[str, DataFlag] = {flag.value: flag for flag in DataFlag}
