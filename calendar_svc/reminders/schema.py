"""The reminders' schema in the shared database: its version and its migrations.

Opening the database, its SQLite settings and the key/value facts live in
:mod:`calendar_svc.db`, shared with the review and sources rooms.
"""

from __future__ import annotations

import logging

from sqlalchemy import Engine, inspect
from sqlalchemy.exc import OperationalError, ProgrammingError

from ..db import DatabaseError, create_tables, get_meta, set_meta, set_meta_once
from . import models  # noqa: F401 - registers the reminder tables on the shared Base

log = logging.getLogger("calendar_svc.reminders")

#: Bump when the tables change, with a migration step in :func:`create_schema`.
SCHEMA_VERSION = 2

#: Columns added since version 1 (the tables added, such as ``outgoing``, come from create_all).
_ADDED_COLUMNS = {
    2: [("subscriber", "confirm_nonce", "VARCHAR(32)"), ("subscriber", "generation", "INTEGER NOT NULL DEFAULT 0")],
}


def create_schema(engine: Engine) -> None:
    """Create the tables if missing and record the schema version; refuse a newer schema.

    Several workers may start at once against one database, so a lost race
    on creating a table or the version row is not an error.
    """
    create_tables(engine)
    version = get_meta(engine, "schema_version")
    if version is None:
        set_meta_once(engine, "schema_version", str(SCHEMA_VERSION))
        version = get_meta(engine, "schema_version")
    if int(version or SCHEMA_VERSION) > SCHEMA_VERSION:
        raise DatabaseError(
            f"the reminders database has schema version {version}, newer than this program's "
            f"({SCHEMA_VERSION}); upgrade calendar-svc"
        )
    if int(version or SCHEMA_VERSION) < SCHEMA_VERSION:
        _migrate(engine, int(version or SCHEMA_VERSION))


def _migrate(engine: Engine, version: int) -> None:
    """Add the columns of each later version; another process doing the same at once is no error."""
    for target in range(version + 1, SCHEMA_VERSION + 1):
        for table, column, ddl in _ADDED_COLUMNS.get(target, []):
            present = {c["name"] for c in inspect(engine).get_columns(table)}
            if column in present:
                continue
            try:
                with engine.begin() as connection:
                    connection.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN {column} {ddl}")
            except (OperationalError, ProgrammingError):
                if column not in {c["name"] for c in inspect(engine).get_columns(table)}:
                    raise
    set_meta(engine, "schema_version", str(SCHEMA_VERSION))
    log.info("event=schema-migrated from=%s to=%s", version, SCHEMA_VERSION)


