"""``parkgraph audit verify``: checks the hash chain of the personal-data audit log."""

from __future__ import annotations

import argparse
import json
import sys


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("audit", help="the personal-data audit log")
    sub = parser.add_subparsers(dest="audit_command", required=True)
    verify = sub.add_parser("verify", help="check that no record was changed, removed or reordered")
    verify.add_argument("--database-url", default=None, help="default: the subgraphs' audit database")
    verify.set_defaults(run=run_verify)


def run_verify(args: argparse.Namespace) -> int:
    from subgraphs.common.audit import AuditLog

    log = AuditLog.from_env(args.database_url)
    try:
        report = log.verify()
    finally:
        log.close()
    print(json.dumps({"ok": report.ok, "records": report.records, "problems": report.problems}, ensure_ascii=False))
    if not report.ok:
        print(f"audit: the chain is broken at record {report.problems[0]}", file=sys.stderr)
        return 1
    return 0
