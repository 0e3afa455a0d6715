"""What every CLI command shares: the model options, error handling and output streams.

Commands are thin: parse arguments, call one library function, print. ``handle_errors`` turns any
``SummarizerError`` into one line on stderr and its exit code, so no user ever sees a traceback
for a failure we anticipated.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import os
import sys
import typing
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Annotated, Any, NoReturn, ParamSpec, TypeVar

import typer
from rich.console import Console

from summarizer.config import Capability, ServerName, check_extra_body, redact
from summarizer.engines.base import Engine, EngineChoice
from summarizer.errors import ConfigError, InternalError, InvalidJSONError, SummarizerError
from summarizer.extras import MissingExtraError
from summarizer.jsonl import load_json

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
            "Seconds for one article, from reading its text to the last re-ask: preparation, "
            "chunks and retries included (default: $SUMMARIZER_DEADLINE, else 600)."
        ),
        rich_help_panel=MODEL_PANEL,
    ),
]
RequestTimeoutOption = Annotated[
    float | None,
    typer.Option(
        min=0.001,
        help=(
            "Seconds for one HTTP request to the model (default: 120); --deadline bounds the "
            "whole article."
        ),
        rich_help_panel=MODEL_PANEL,
    ),
]
TemperatureOption = Annotated[
    float | None,
    typer.Option(
        min=0,
        max=2,
        help="Sampling temperature (default: 0, for repeatable answers).",
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
ServerSlotsOption = Annotated[
    int | None,
    typer.Option(
        min=1,
        metavar="N",
        help=(
            "Requests the server works on at once; one more waits in its queue, the rest here "
            "(default: $SUMMARIZER_SERVER_SLOTS, else asked: llama-server's /props, 1 for "
            "llama-cpp-python, else found out from timeouts)."
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
        rich_help_panel=MODEL_PANEL,
    ),
]


ChunkPromptVersionOption = Annotated[
    str | None,
    typer.Option(
        help="Version of the prompt that translates a long article's chunks (default: latest).",
        rich_help_panel=MODEL_PANEL,
    ),
]
MaxConcurrentCallsOption = Annotated[
    int | None,
    typer.Option(
        min=1,
        help="Model calls one long article may have in flight at once, one per chunk (default: 4).",
        rich_help_panel=MODEL_PANEL,
    ),
]
MaxTransportAttemptsOption = Annotated[
    int | None,
    typer.Option(
        min=1,
        help=(
            "HTTP attempts per model call: retries after 429, 5xx and timeouts included "
            "(default: 6)."
        ),
        rich_help_panel=MODEL_PANEL,
    ),
]


def parse_extra_body(value: str) -> dict[str, Any]:
    """``--extra-body``'s value: a JSON object, inline or as ``@FILE``, checked as the library
    checks ``extra_body`` (no field the client sets, no credential); else a usage error."""
    text = value
    if value.startswith("@"):
        path = value[1:]
        try:
            with open(path, encoding="utf-8") as file:
                text = file.read()
        except OSError as error:
            raise typer.BadParameter(f"cannot read {path}: {error.strerror or error}") from None
        except UnicodeDecodeError:
            raise typer.BadParameter(f"{path} is not UTF-8 text") from None
    try:
        body = load_json(text)
    except InvalidJSONError as error:
        raise typer.BadParameter(error.problem) from None
    try:
        check_extra_body(body)
    except ConfigError as error:
        raise typer.BadParameter(error.message) from None
    return dict(body)


ExtraBodyOption = Annotated[
    dict[str, Any] | None,
    typer.Option(
        parser=parse_extra_body,
        metavar="JSON",
        help=(
            "Extra request fields for this server, a JSON object or @FILE: e.g. "
            '\'{"top_k": 20}\' (vLLM, llama.cpp), a llama.cpp "grammar", Qwen\'s '
            '"chat_template_kwargs". Sent with every model call; no credentials.'
        ),
        rich_help_panel=MODEL_PANEL,
    ),
]


def parse_year_hint(value: str) -> int:
    """``--year-hint``'s value: a four-digit year, else a usage error saying so (one line)."""
    from summarizer.api import checked_year_hint

    text = value.strip()
    try:
        year = checked_year_hint(int(text)) if text.isascii() and text.isdigit() else None
    except ConfigError:
        year = None
    if year is None:
        raise typer.BadParameter("not a four-digit year (e.g. 2024)")
    return year


YearHintOption = Annotated[
    int | None,
    typer.Option(
        parser=parse_year_hint,
        metavar="YEAR",
        help=(
            "The publication year, for dates written without one (12月13日, 明年); "
            "default: from full dates in the text, else those dates stay null."
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


@dataclass(frozen=True, slots=True)
class ModelOptions:
    """The model options of one command line, as one value (``None``: not given, default applies).

    Each field is one CLI option: its type is the option's only declaration (name, help, limits),
    and ``takes_model_options`` turns a command's ``options: ModelOptions`` parameter into these
    options, so every command that calls a model offers the same ones, worded the same way.
    """

    model: ModelOption = None
    base_url: BaseUrlOption = None
    capability: CapabilityOption = None
    prompt_version: PromptVersionOption = None
    chunk_prompt_version: ChunkPromptVersionOption = None
    max_reasks: MaxReasksOption = None
    deadline: DeadlineOption = None
    request_timeout: RequestTimeoutOption = None
    temperature: TemperatureOption = None
    few_shot: FewShotOption = None
    server: ServerOption = None
    server_slots: ServerSlotsOption = None
    context_window: ContextWindowOption = None
    chunk_chars: ChunkCharsOption = None
    max_output_tokens: MaxOutputTokensOption = None
    max_concurrent_calls: MaxConcurrentCallsOption = None
    max_transport_attempts: MaxTransportAttemptsOption = None
    extra_body: ExtraBodyOption = None
    max_input_chars: MaxInputCharsOption = None

    def engine_options(self) -> dict[str, Any]:
        """The engine options the user set, for ``get_engine(..., **options)``: the others keep
        the engine's defaults (the endpoint and ``max_input_chars`` are not engine options)."""
        return {
            name: getattr(self, name)
            for name in ENGINE_OPTION_FIELDS
            if getattr(self, name) is not None
        }

    def build_engine(self, choice: EngineChoice, *, year_hint: int | None = None) -> Engine:
        """The engine these options configure (``choice`` as ``--engine`` takes it), made with
        ``year_hint`` (``--year-hint``) when given."""
        from summarizer.api import get_engine

        extra: dict[str, Any] = {"year_hint": year_hint} if year_hint is not None else {}
        chosen = get_engine(
            choice, model=self.model, base_url=self.base_url, **self.engine_options(), **extra
        )
        warn_unused_model_options(self, chosen.name)
        return chosen


def warn_unused_model_options(options: ModelOptions, engine_name: str) -> None:
    """One stderr line naming the model-only options given to the offline engine, which has no
    use for them (it honours only --deadline): they would otherwise be dropped without a word."""
    from summarizer.engines.offline import ignored_options, ignored_options_note

    unused = ignored_options(options.engine_options())
    if engine_name == "offline" and unused:
        flags = ["--" + name.replace("_", "-") for name in unused]
        note(f"summarizer: warning: {ignored_options_note(flags)}")


#: A command line that gives no model option (the default of a command's ``options``).
DEFAULT_MODEL_OPTIONS = ModelOptions()

#: Where a model is: what even the Batch API's ``submit`` and ``status`` need.
ENDPOINT_FIELDS = ("model", "base_url")
#: What ``get_engine`` takes as ``**options``.
ENGINE_OPTION_FIELDS = tuple(
    field.name
    for field in dataclasses.fields(ModelOptions)
    if field.name not in (*ENDPOINT_FIELDS, "max_input_chars")
)


def takes_model_options(
    *, omit: Collection[str] = ()
) -> Callable[[Callable[..., R]], Callable[..., R]]:
    """Give a command the model options as CLI options, and its ``options`` parameter as one value.

    Typer reads a command's parameters from its signature: the ``options: ModelOptions`` parameter
    is replaced there by one parameter per field (in place, so help and usage keep their order),
    and the wrapper gathers them back into a ``ModelOptions``. Fields in ``omit`` are left to the
    command (the eval matrix takes ``--model`` as a repeatable axis); they stay ``None``.
    """
    declared = typing.get_type_hints(ModelOptions, include_extras=True)
    unknown = set(omit) - {field.name for field in dataclasses.fields(ModelOptions)}
    if unknown:
        raise TypeError(f"not ModelOptions fields: {', '.join(sorted(unknown))}")
    taken = [field for field in dataclasses.fields(ModelOptions) if field.name not in omit]

    def decorate(command: Callable[..., R]) -> Callable[..., R]:
        signature = inspect.signature(command, eval_str=True)
        place = signature.parameters.get("options")
        if place is None or place.annotation is not ModelOptions:
            raise TypeError(f"{command.__name__} needs an `options: ModelOptions` parameter")
        parameters: list[inspect.Parameter] = []
        for parameter in signature.parameters.values():
            if parameter is not place:
                parameters.append(parameter)
                continue
            parameters.extend(
                inspect.Parameter(
                    field.name, place.kind, default=field.default, annotation=declared[field.name]
                )
                for field in taken
            )
        names = [field.name for field in taken]

        @functools.wraps(command)
        def wrapper(*args: Any, **kwargs: Any) -> R:
            given = {name: kwargs.pop(name) for name in names if name in kwargs}
            return command(*args, options=ModelOptions(**given), **kwargs)

        wrapper.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
        wrapper.__annotations__ = {
            parameter.name: parameter.annotation for parameter in parameters
        } | {"return": signature.return_annotation}
        return wrapper

    return decorate


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
