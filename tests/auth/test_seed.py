"""Seeding the demo clients and users: idempotent, and a data folder seeded earlier gets today's demo scopes."""

from __future__ import annotations

from pathlib import Path

from auth.db import ClientRecord, Database, UserRecord
from auth.seed import DEMO_CLIENTS, DEMO_USERS, create_client, seed_demo


def test_seeding_again_brings_old_demo_scopes_up_to_date_and_leaves_real_clients_alone(tmp_path: Path) -> None:
    database = Database.connect(f"sqlite:///{tmp_path / 'auth.db'}")
    seed_demo(database)
    real_id, _ = create_client(database, name="芜湖市数据中心", scopes="graph:read", tenant="city:340200")
    with database.session() as session:  # as a data folder seeded before the write scopes existed
        client = session.get(ClientRecord, "demo-province")
        assert client is not None and "approvals:write" in client.scopes.split()
        client.scopes = "graph:read graph:write"
        user = session.get(UserRecord, "park-staff")
        assert user is not None
        user.scopes = "graph:read"
    seed_demo(database)
    seed_demo(database)  # idempotent
    expected = {c.client_id: c.scopes for c in DEMO_CLIENTS}
    with database.session() as session:
        assert session.query(ClientRecord).count() == len(DEMO_CLIENTS) + 2  # the front end and the real client
        for client_id, scopes in expected.items():
            record = session.get(ClientRecord, client_id)
            assert record is not None and record.scopes == scopes
        park_staff = session.get(UserRecord, "park-staff")
        assert park_staff is not None
        assert park_staff.scopes == next(u.scopes for u in DEMO_USERS if u.username == "park-staff")
        real = session.get(ClientRecord, real_id)
        assert real is not None and real.scopes == "graph:read"
    database.dispose()
