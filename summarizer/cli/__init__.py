"""The ``summarizer`` command: argument parsing and printing only; each command is one library call.

Sub-command groups live in their own modules (``summarize``, ``eval``, ``batch``, ``logs``,
``serve``) and register here. ``apply_conventions`` then gives every command the same help style:
``-h``/``--help``, arguments shown by name (``INPUT``), flags without a type, choices as choices.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from summarizer import calllog
from summarizer._version import __version__
from summarizer.cli import summarize as summarize_commands
from summarizer.cli.conventions import apply_conventions
from summarizer.config import env_switch
from summarizer.errors import ConfigError
from summarizer.eval.checks import lexicon as coverage_lexicon
from summarizer.text.analysis import lac_vote

app = typer.Typer(
    name="summarizer",
    help="Structured English summaries and translations of (mostly Chinese) news articles.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"summarizer {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            "-V",
            callback=_print_version,
            is_eager=True,
            help="Print the version and exit.",
        ),
    ] = False,
    log: Annotated[
        bool | None,
        typer.Option(
            "--log/--no-log",
            help="Log every model call to the call log (default: on unless $SUMMARIZER_LOG=0).",
            show_default=False,
        ),
    ] = None,
    log_path: Annotated[
        Path | None,
        typer.Option(
            "--log-path",
            metavar="FILE",
            help="Call log database (default: $SUMMARIZER_LOG_PATH, else the user data dir).",
        ),
    ] = None,
) -> None:
    """Structured English summaries and translations of (mostly Chinese) news articles."""
    if log is not None or log_path is not None:
        calllog.configure(enabled=log, path=log_path)
    try:  # a misspelt on/off variable fails every command up front, not deep in its first use
        if log is None:
            calllog.log_enabled()
        for name in (lac_vote.ENV_VAR, coverage_lexicon.ENV_VAR):
            env_switch(name, default=True)
    except ConfigError as error:
        typer.echo(f"summarizer: error: {error}", err=True)
        raise typer.Exit(ConfigError.exit_code) from None


summarize_commands.register(app)


def _register_optional_groups() -> None:
    """The other command groups (each module registers its own commands)."""
    from summarizer.cli import batch as batch_commands
    from summarizer.cli import eval as eval_commands
    from summarizer.cli import logs as logs_commands
    from summarizer.cli import serve as serve_commands
    from summarizer.cli import worker as worker_commands

    eval_commands.register(app)
    batch_commands.register(app)
    logs_commands.register(app)
    serve_commands.register(app)
    worker_commands.register(app)


_register_optional_groups()
apply_conventions(app)


def main() -> None:
    app(prog_name="summarizer")
