"""State behind small protocols (``base.py``): in-process and SQLite by default, Redis
and PostgreSQL to scale out."""
