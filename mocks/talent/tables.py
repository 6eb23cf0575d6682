"""The legacy tables of the talent database, as its vendor defined them.

Upper-case names, pinyin initials, dates as ``CHAR(8)`` strings, the salary
as free text, code tables (字典表) for education levels and occupations.
``WBLSH`` (外部流水号) is the external request number that data-exchange
partners put on their rows; it is unique, so a partner can write a row once.
"""

from __future__ import annotations

from sqlalchemy import CHAR, Column, Index, Integer, MetaData, String, Table

metadata = MetaData()

education_levels = Table(  # 学历字典 (GB/T 4658)
    "T_ZD_XL",
    metadata,
    Column("DM", String(2), primary_key=True),
    Column("MC", String(50), nullable=False),
    Column("SFYX", CHAR(1), nullable=False, server_default="1"),  # 是否有效
)

occupations = Table(  # 职业字典 (GB/T 6565)
    "T_ZD_ZY",
    metadata,
    Column("DM", String(20), primary_key=True),
    Column("MC", String(100), nullable=False),
    Column("FJDM", String(20)),  # 父级代码
    Column("SFYX", CHAR(1), nullable=False, server_default="1"),
)

enterprises = Table(  # 企业基本信息: the database's own copy of the registry
    "T_QY_JBXX",
    metadata,
    Column("QYDM", CHAR(18), primary_key=True),  # 统一社会信用代码
    Column("QYMC", String(200), nullable=False),
    Column("YQDM", String(20), nullable=False),  # 园区代码
    Column("XZQHDM", CHAR(6), nullable=False),  # 行政区划代码
    Index("IDX_QY_YQDM", "YQDM"),
)

demands = Table(  # 人才需求
    "T_RC_XQ",
    metadata,
    Column("XQID", Integer, primary_key=True, autoincrement=True),
    Column("QYDM", CHAR(18), nullable=False),
    Column("GWMC", String(100), nullable=False),  # 岗位名称
    Column("XQRS", Integer, nullable=False),  # 需求人数
    Column("XLYQ", String(2)),  # 学历要求 → T_ZD_XL.DM; NULL or '' = 不限
    Column("ZYDM", String(20), nullable=False),  # 职业代码 → T_ZD_ZY.DM
    Column("XZFW", String(50)),  # 薪资范围, e.g. '8000-12000' or '面议'
    Column("FBRQ", CHAR(8), nullable=False),  # 发布日期 YYYYMMDD
    Column("YXQZ", CHAR(8)),  # 有效期至 YYYYMMDD
    Column("ZT", CHAR(1), nullable=False, server_default="1"),  # 状态: 1 有效, 0 撤销/已招满
    Column("LXR", String(50)),  # 联系人
    Column("LXDH", String(30)),  # 联系电话
    Column("WBLSH", String(64), unique=True),  # 外部流水号
    Column("CJSJ", String(19)),  # 创建时间 'YYYY-MM-DD HH:MM:SS'
    Index("IDX_RC_XQ_QYDM", "QYDM"),
)
