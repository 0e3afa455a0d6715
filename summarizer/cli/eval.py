"""Placeholder until the eval commands land (owned by the eval work)."""

import typer


def register(app: typer.Typer) -> None:
    return None
