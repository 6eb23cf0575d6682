-- Runs once when the PostgreSQL volume is created (docker-entrypoint-initdb.d).
-- ParkGraph's own state (OAuth clients, audit log, schema registry) lives in the database "parkgraph";
-- the talent legacy system is somebody else's database on the same server, so it gets its own.
CREATE DATABASE talent_legacy OWNER parkgraph;
