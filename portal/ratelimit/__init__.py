"""Atomic per-key limits stored in the database (see ``services``)."""
