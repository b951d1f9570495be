"""The tables (SQLAlchemy Core). Migrations create them; this module is what the code reads and writes.

Keep it in step with the newest migration: `tests/test_store.py` compares the two on a fresh database.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING)

# Every checked report's canonical data by agency and year (was the SQLite history file of ogi 0.1).
history_reports = Table(
    "history_reports", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("agency", Text, nullable=False),
    Column("year", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("source", Text, nullable=False),
    Column("format_version", String(16)),
    Column("level", String(16)),
    Column("title", Text),
    Column("published", String(10)),
    Column("tables_json", Text, nullable=False),
    Column("sections_json", Text, nullable=False),
    Column("preamble", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("checked_at", String(32), nullable=False),
    UniqueConstraint("agency", "year", "sha256", name="uq_history_reports_agency_year_sha256"),
    Index("ix_history_reports_agency_year", "agency", "year"),
)

# Settings the desk keeps in its database, so that every process serving it agrees (e.g. the signing key).
settings = Table(
    "settings", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

users = Table(
    "users", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("password_hash", Text, nullable=False),
    Column("role", String(16), nullable=False),  # staff | readonly
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("active", Boolean, nullable=False, default=True),
)

sessions = Table(
    "sessions", metadata,
    Column("id_hash", String(64), primary_key=True),  # sha256 of the cookie's value: a stolen table opens nothing
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)

# The roster of one reporting year: who must submit, by when, and the agency's submission link.
agencies = Table(
    "agencies", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("year", Integer, nullable=False),  # the data year being reported on
    Column("name", Text, nullable=False),
    Column("name_key", Text, nullable=False),  # roster.normalise_name(name)
    Column("level", String(16)),
    Column("jurisdiction", Text, nullable=False, default=""),
    Column("deadline", Date),
    Column("token", String(64), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("year", "name_key", name="uq_agencies_year_name_key"),
)

# Every version an agency submitted. Written (with the file's bytes already on disk) before the receipt
# is shown; checked afterwards, so a restart finds the unchecked ones and checks them.
submissions = Table(
    "submissions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("agency_id", Integer, ForeignKey("agencies.id", ondelete="RESTRICT"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("number", String(32), nullable=False, unique=True),  # the receipt's number
    Column("nonce", String(64), nullable=False),  # one per form shown: a form sent twice is one submission
    Column("file_name", Text, nullable=False),  # as the agency named it; shown escaped, never used as a path
    Column("size", BigInteger, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("kind", String(16), nullable=False),  # sniffed from the content
    Column("submitted_at", DateTime(timezone=True), nullable=False),
    Column("client", String(64), nullable=False, default=""),
    Column("state", String(16), nullable=False),  # received | checked
    Column("status", String(16)),  # pass | warn | fail | unreadable, once checked
    Column("errors", Integer),
    Column("warnings", Integer),
    Column("report_year", Integer),
    Column("published", Date),
    Column("checked_at", DateTime(timezone=True)),
    Column("result_json", Text),  # the JSON contract's submission object
    Column("result_blob", LargeBinary),  # the SubmissionResult for the renderers (zlib pickle; a cache)
    UniqueConstraint("agency_id", "version", name="uq_submissions_agency_id_version"),
    UniqueConstraint("agency_id", "nonce", name="uq_submissions_agency_id_nonce"),
    Index("ix_submissions_state", "state"),
)

# Who did what, when: submissions, logins, roster imports, links issued, downloads.
audit_log = Table(
    "audit_log", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", Text, nullable=False),
    Column("action", String(32), nullable=False),
    Column("agency", Text),
    Column("submission_number", String(32)),
    Column("detail", Text, nullable=False, default=""),
    Column("client", String(64), nullable=False, default=""),
)
