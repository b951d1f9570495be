"""`ogi serve`: the web desk. Agencies self-check drafts and submit their final report by link; the
supervising office logs in, imports its roster, issues links, follows a live dashboard and downloads
what the CLI's `--out` writes — through the same engine and the same renderers.

Needs the `serve` extra (Starlette, uvicorn, python-multipart, argon2-cffi, psycopg); nothing here is
imported by `ogi check` or `import ogi`.
"""
