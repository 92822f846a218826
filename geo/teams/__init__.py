"""Shared dashboards: users, roles, sessions, and the corrections analysts make."""
