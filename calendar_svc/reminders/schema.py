"""The reminders' schema in the shared database: its version and its migrations.

Opening the database, its SQLite settings and the key/value facts live in
:mod:`calendar_svc.db`, shared with the review and sources rooms.
"""

from __future__ import annotations

import logging

from sqlalchemy import Engine, MetaData, inspect
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.schema import CreateIndex, CreateTable

from ..db import DatabaseError, create_tables, get_meta, set_meta, set_meta_once
from . import models  # noqa: F401 - registers the reminder tables on the shared Base

log = logging.getLogger("calendar_svc.reminders")

#: Bump when the tables change, with a migration step in :func:`create_schema`.
#: 3: several subscriptions per address (the subscriber table is keyed by address, filter and
#: kind of mail, with a ``digest`` column), and merged deliveries (``delivery.merged_into``).
SCHEMA_VERSION = 3

#: Columns added since version 1 (the tables added, such as ``outgoing``, come from create_all).
_ADDED_COLUMNS = {
    2: [("subscriber", "confirm_nonce", "VARCHAR(32)"), ("subscriber", "generation", "INTEGER NOT NULL DEFAULT 0")],
    3: [("delivery", "merged_into", "INTEGER")],
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
        if target == 3:
            _several_subscriptions(engine)
    set_meta(engine, "schema_version", str(SCHEMA_VERSION))
    log.info("event=schema-migrated from=%s to=%s", version, SCHEMA_VERSION)




def _several_subscriptions(engine: Engine) -> None:
    """Version 3: an address may hold several subscriptions, so ``subscriber.email`` is no longer unique.

    Every row keeps its id, so the delivery log, the unsubscribe links in
    mailboxes and the generation counts stay valid. PostgreSQL alters the
    table in one locked transaction. SQLite cannot drop a constraint: the
    table is copied into the new shape with foreign keys off (dropping the
    old table must not cascade into the delivery log), all inside BEGIN
    IMMEDIATE, so a second process waits and then finds the work done.
    """
    if engine.dialect.name == "sqlite":
        _rebuild_sqlite_subscriber(engine)
        return
    with engine.begin() as connection:
        connection.exec_driver_sql("LOCK TABLE subscriber IN ACCESS EXCLUSIVE MODE")
        inspector = inspect(connection)
        if "digest" not in {c["name"] for c in inspector.get_columns("subscriber")}:
            connection.exec_driver_sql("ALTER TABLE subscriber ADD COLUMN digest VARCHAR(16) DEFAULT '' NOT NULL")
        constraints = inspector.get_unique_constraints("subscriber")
        for constraint in constraints:
            if constraint["column_names"] == ["email"]:
                connection.exec_driver_sql(f'ALTER TABLE subscriber DROP CONSTRAINT "{constraint["name"]}"')
        if not any(c["name"] == "subscription_once" for c in constraints):
            connection.exec_driver_sql("ALTER TABLE subscriber ADD CONSTRAINT subscription_once UNIQUE (email, filter, digest)")
        if not any(i["name"] == "ix_subscriber_email" for i in inspector.get_indexes("subscriber")):
            connection.exec_driver_sql("CREATE INDEX ix_subscriber_email ON subscriber (email)")


def _rebuild_sqlite_subscriber(engine: Engine) -> None:
    table = models.Subscriber.__table__
    shape = table.to_metadata(MetaData(), name="subscriber_v3")
    create = str(CreateTable(shape).compile(dialect=engine.dialect))
    indexes = [str(CreateIndex(index).compile(dialect=engine.dialect)) for index in table.indexes]
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("PRAGMA foreign_keys=OFF")  # no effect inside a transaction: before BEGIN
        cursor.execute("BEGIN IMMEDIATE")
        try:
            present = [row[1] for row in cursor.execute("PRAGMA table_info(subscriber)").fetchall()]
            if "digest" in present:  # another process migrated first
                cursor.execute("ROLLBACK")
                return
            cursor.execute("DROP TABLE IF EXISTS subscriber_v3")
            cursor.execute(create)
            columns = ", ".join(f'"{name}"' for name in present)
            cursor.execute(f'INSERT INTO subscriber_v3 ({columns}, digest) SELECT {columns}, \'\' FROM subscriber')
            cursor.execute("DROP TABLE subscriber")
            cursor.execute("ALTER TABLE subscriber_v3 RENAME TO subscriber")
            for statement in indexes:
                cursor.execute(statement)
            broken = cursor.execute("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise DatabaseError(f"migrating the subscriber table broke {len(broken)} references; nothing was changed")
            cursor.execute("COMMIT")
        except BaseException:
            cursor.execute("ROLLBACK")
            raise
    finally:
        raw.cursor().execute("PRAGMA foreign_keys=ON")
        raw.close()
