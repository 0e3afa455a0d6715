"""The ``summarizer`` command: argument parsing and printing only; each command is one library call.

Sub-command groups live in their own modules (``summarize``, ``eval``, ``batch``) and register here.
"""

from __future__ import annotations

import typer

from summarizer.cli import summarize as summarize_commands

app = typer.Typer(
    name="summarizer",
    help="Structured English summaries and translations of (mostly Chinese) news articles.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
summarize_commands.register(app)


def _register_optional_groups() -> None:
    """Eval and batch groups register themselves here once their modules exist."""
    from summarizer.cli import batch as batch_commands
    from summarizer.cli import eval as eval_commands
    from summarizer.cli import serve as serve_commands
    from summarizer.cli import worker as worker_commands

    eval_commands.register(app)
    batch_commands.register(app)
    serve_commands.register(app)
    worker_commands.register(app)


_register_optional_groups()


def main() -> None:
    app()
