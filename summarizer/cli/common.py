"""What every CLI command shares: the model option group, error handling and output streams.

Commands are thin: parse arguments, call one library function, print. ``handle_errors`` turns any
``SummarizerError`` into one line on stderr and its exit code, so no user ever sees a traceback
for a failure we anticipated.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import Annotated, Any, NoReturn, ParamSpec, TypeVar

import typer
from rich.console import Console

from summarizer.config import Capability, ServerName, redact
from summarizer.engines.base import EngineChoice
from summarizer.errors import ConfigError, InternalError, SummarizerError
from summarizer.extras import MissingExtraError

P = ParamSpec("P")
R = TypeVar("R")


#: Every model option shows under this heading in ``--help``, in every command that takes them.
MODEL_PANEL = "Model"

EngineOption = Annotated[
    EngineChoice,
    typer.Option(
        help="auto: a model when one is configured, else offline.",
        rich_help_panel=MODEL_PANEL,
    ),
]
ModelOption = Annotated[
    str | None,
    typer.Option(help="Model name (default: $SUMMARIZER_MODEL).", rich_help_panel=MODEL_PANEL),
]
BaseUrlOption = Annotated[
    str | None,
    typer.Option(
        help="OpenAI-compatible endpoint (default: $OPENAI_BASE_URL).", rich_help_panel=MODEL_PANEL
    ),
]
CapabilityOption = Annotated[
    Capability | None,
    typer.Option(
        help="Structured-output mode (default: auto, which steps down when rejected).",
        rich_help_panel=MODEL_PANEL,
    ),
]
PromptVersionOption = Annotated[
    str | None,
    typer.Option(
        help="Version of the summarize prompt (default: latest).", rich_help_panel=MODEL_PANEL
    ),
]
MaxReasksOption = Annotated[
    int | None,
    typer.Option(
        min=0,
        help="Re-asks with validation errors before giving up (default: 2).",
        rich_help_panel=MODEL_PANEL,
    ),
]
DeadlineOption = Annotated[
    float | None,
    typer.Option(
        "--deadline",
        "--timeout",
        min=0.001,
        help=(
            "Seconds for one article: every chunk, re-ask and retry included "
            "(default: $SUMMARIZER_DEADLINE, else 600)."
        ),
        rich_help_panel=MODEL_PANEL,
    ),
]
ServerOption = Annotated[
    ServerName | None,
    typer.Option(
        help=(
            "Kind of server, for how it takes structured output and its context window "
            "(default: $SUMMARIZER_SERVER, else auto: detected)."
        ),
        rich_help_panel=MODEL_PANEL,
    ),
]
ContextWindowOption = Annotated[
    int | None,
    typer.Option(
        min=256,
        help="The model's context window in tokens (default: the server's or profile's).",
        rich_help_panel=MODEL_PANEL,
    ),
]
ChunkCharsOption = Annotated[
    int | None,
    typer.Option(
        min=1,
        help="Translate articles longer than this many characters in chunks (default: 6000).",
        rich_help_panel=MODEL_PANEL,
    ),
]
MaxOutputTokensOption = Annotated[
    int | None,
    typer.Option(
        min=1,
        help="Cap on each answer's tokens (default: sized from what is asked).",
        rich_help_panel=MODEL_PANEL,
    ),
]
MaxInputCharsOption = Annotated[
    int | None,
    typer.Option(
        min=1,
        help=(
            "Refuse longer articles, in characters (default: $SUMMARIZER_MAX_INPUT_CHARS, "
            "else 2,000,000)."
        ),
    ),
]
FewShotOption = Annotated[
    bool | None,
    typer.Option(
        "--few-shot/--no-few-shot",
        help="Include the prompt's worked examples (default: as the prompt says).",
        rich_help_panel=MODEL_PANEL,
        show_default=False,
    ),
]


def model_options(
    *,
    capability: Capability | None,
    prompt_version: str | None,
    max_reasks: int | None,
    deadline: float | None,
    few_shot: bool | None,
    server: str | None = None,
    context_window: int | None = None,
    chunk_chars: int | None = None,
    max_output_tokens: int | None = None,
) -> dict[str, Any]:
    """The model options the user set, for ``get_engine(..., **options)`` (unset keep defaults)."""
    given = {
        "chunk_chars": chunk_chars,
        "max_output_tokens": max_output_tokens,
        "capability": capability,
        "prompt_version": prompt_version,
        "max_reasks": max_reasks,
        "deadline": deadline,
        "few_shot": few_shot,
        "server": server,
        "context_window": context_window,
    }
    return {name: value for name, value in given.items() if value is not None}


#: Human-facing messages go to stderr so that stdout stays clean for JSON/JSONL/Markdown.
stderr = Console(stderr=True, highlight=False, soft_wrap=True)

EXIT_INTERRUPTED = 130
#: An exception nobody anticipated is a bug: ``InternalError``'s code (70, ``EX_SOFTWARE``).
EXIT_UNEXPECTED = InternalError.exit_code
EXIT_OS_ERROR = 2


def note(message: str) -> None:
    """One informational line on stderr (never on stdout)."""
    stderr.print(message, markup=False)


def handle_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Map library errors to ``summarizer: error: <message>`` and the error's exit code."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise  # the command's own exit code, or typer's usage errors
        except SummarizerError as error:
            _fail(str(error), error.exit_code)
        except MissingExtraError as error:  # an optional dependency group is not installed
            _fail(str(error), ConfigError.exit_code)
        except KeyboardInterrupt:
            _fail("interrupted", EXIT_INTERRUPTED)
        except BrokenPipeError:
            sys.stderr.close()
            raise typer.Exit(1) from None
        except OSError as error:  # an output path we could not write, a full disk, ...
            where = f": {error.filename}" if error.filename else ""
            _fail(f"{error.strerror or error}{where}", EXIT_OS_ERROR)
        except Exception as error:
            if os.environ.get("SUMMARIZER_DEBUG"):
                raise
            _fail(
                f"internal error ({type(error).__name__}: {redact(str(error))}); "
                "this is a bug in summarizer, please report it "
                "(set SUMMARIZER_DEBUG=1 to see the traceback)",
                EXIT_UNEXPECTED,
            )

    return wrapper


def _fail(message: str, exit_code: int) -> NoReturn:
    first_line = " ".join(message.split()) or "failed"
    sys.stderr.write(f"summarizer: error: {first_line}\n")
    sys.stderr.flush()
    raise typer.Exit(exit_code)
