"""The talent database's legacy tables, as far as this adapter reads and writes them.

The database belongs to another vendor; these definitions describe its
tables (they are not created from here). Column comments give the meaning.
"""

from __future__ import annotations

from sqlalchemy import CHAR, Column, Integer, MetaData, String, Table

metadata = MetaData()

education_levels = Table(  # 学历字典
    "T_ZD_XL", metadata, Column("DM", String(2), primary_key=True), Column("MC", String(50))
)
occupations = Table(  # 职业字典 (GB/T 6565), FJDM = parent code
    "T_ZD_ZY",
    metadata,
    Column("DM", String(20), primary_key=True),
    Column("MC", String(100)),
    Column("FJDM", String(20)),
)
enterprises = Table(  # the database's copy of the registry
    "T_QY_JBXX",
    metadata,
    Column("QYDM", CHAR(18), primary_key=True),
    Column("QYMC", String(200)),
    Column("YQDM", String(20)),  # 园区代码
    Column("XZQHDM", CHAR(6)),  # 行政区划代码
)
demands = Table(  # 人才需求
    "T_RC_XQ",
    metadata,
    Column("XQID", Integer, primary_key=True),
    Column("QYDM", CHAR(18)),  # 统一社会信用代码
    Column("GWMC", String(100)),  # 岗位名称
    Column("XQRS", Integer),  # 需求人数
    Column("XLYQ", String(2)),  # 学历要求; NULL or '' = 不限
    Column("ZYDM", String(20)),  # 职业代码
    Column("XZFW", String(50)),  # 薪资范围 (free text)
    Column("FBRQ", CHAR(8)),  # 发布日期 YYYYMMDD
    Column("YXQZ", CHAR(8)),  # 有效期至 YYYYMMDD
    Column("ZT", CHAR(1)),  # 1 有效, 0 撤销/已招满
    Column("LXR", String(50)),
    Column("LXDH", String(30)),
    Column("WBLSH", String(64)),  # 外部流水号, unique: our idempotency key goes here
    Column("CJSJ", String(19)),  # 创建时间
)
