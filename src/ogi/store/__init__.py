"""One database for everything ogi keeps: the history of checked reports and the web desk's records.

SQLAlchemy 2 Core over SQLite (a file, the default) or PostgreSQL; the schema is created and upgraded by
Alembic migrations shipped in `ogi/store/migrations`, so an old file (a history database of ogi 0.1, or
a desk database of an earlier version) is brought up to date when it is opened. SQLAlchemy and Alembic
are imported only by the code paths that open a database.
"""
