"""``summarizer summarize`` and ``summarizer normalize``: one article in, one result out."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from summarizer.api import summarize
from summarizer.batch.records import refuse_same_file
from summarizer.cli.common import (
    DEFAULT_MODEL_OPTIONS,
    EngineOption,
    ModelOptions,
    YearHintOption,
    handle_errors,
    note,
    takes_model_options,
)
from summarizer.config import HOW_TO_CONFIGURE
from summarizer.errors import InputFileError, OutputFileError
from summarizer.render import repairs_to_text, summary_to_json, summary_to_markdown
from summarizer.text import prepare


class OutputFormat(StrEnum):
    json = "json"
    markdown = "markdown"


class NormalizeFormat(StrEnum):
    text = "text"
    json = "json"


InputArgument = Annotated[
    str, typer.Argument(help="Article file (text or HTML, any common encoding), or - for stdin.")
]


def read_input(path: str) -> bytes:
    """The raw bytes of a file or stdin; decoding is the library's job."""
    if path == "-":
        return sys.stdin.buffer.read()
    file = Path(path)
    if not file.exists():
        raise InputFileError(f"input file not found: {path}")
    if file.is_dir():
        raise InputFileError(
            f"input is a directory, not a file: {path} (use `summarizer batch` for folders)"
        )
    try:
        return file.read_bytes()
    except OSError as error:
        raise InputFileError(f"cannot read {path}: {error.strerror}") from None


@handle_errors
@takes_model_options()
def summarize_command(
    input_path: InputArgument,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="Output format.")
    ] = OutputFormat.json,
    engine: EngineOption = "auto",
    options: ModelOptions = DEFAULT_MODEL_OPTIONS,
    year_hint: YearHintOption = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
) -> None:
    """Summarize and translate one article into structured English."""
    if output is not None:
        refuse_same_file(input_path, output)  # as batch does: never write over the article
        if not output.parent.is_dir():  # now, not after a paid model call
            raise OutputFileError(
                f"cannot write {output}: the folder {output.parent} does not exist"
            )
    raw = read_input(input_path)
    chosen = options.build_engine(engine, year_hint=year_hint)
    if chosen.name == "offline" and engine == "auto":
        note(
            "summarizer: no model configured, using the offline engine (extraction only, "
            f"no translation); to use a model, {HOW_TO_CONFIGURE}"
        )
    # The library's front door: one deadline per article, preparation included.
    result = summarize(
        raw, engine=chosen, max_input_chars=options.max_input_chars, year_hint=year_hint
    )
    rendered = (
        summary_to_markdown(result)
        if output_format is OutputFormat.markdown
        else summary_to_json(result) + "\n"
    )
    _emit(rendered, output)


@handle_errors
def normalize_command(
    input_path: InputArgument,
    output_format: Annotated[
        NormalizeFormat,
        typer.Option(
            "--format",
            "-f",
            help="text: only the normalized text on stdout; json: text, repairs and warnings.",
        ),
    ] = NormalizeFormat.text,
    report: Annotated[
        bool,
        typer.Option("--report", "-r", help="With text: list every repair and warning on stderr."),
    ] = False,
) -> None:
    """Print the repaired, normalized text (no model needed): `normalize FILE > clean.txt`.

    stdout gets exactly the normalized text; a one-line count of repairs goes to stderr (the full
    list with --report, or everything as JSON with --format json).
    """
    document = prepare(read_input(input_path))
    if output_format is NormalizeFormat.json:
        payload = {
            "text": document.text,
            "encoding": document.encoding,
            "script": document.script,
            "language": document.language,
            "repairs": [repair.model_dump() for repair in document.repairs],
            "warnings": [warning.model_dump() for warning in document.warnings],
        }
        _emit(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", None)
        return
    ends_line = document.text.endswith("\n") or not sys.stdout.isatty()
    _emit(document.text if ends_line else document.text + "\n", None)
    if report:
        sys.stderr.write(repairs_to_text(document))
    elif document.repairs or document.warnings:
        note(
            f"normalize: {len(document.repairs)} repair(s), {len(document.warnings)} warning(s); "
            "--report lists them on stderr, --format json gives everything"
        )


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        if not output.parent.is_dir():  # as batch: a mistyped folder is an error, not created
            raise OutputFileError(
                f"cannot write the output file {output}: the folder {output.parent} does not exist"
            )
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as error:
            raise OutputFileError(
                f"cannot write the output file {output}: {error.strerror}"
            ) from None


def register(app: typer.Typer) -> None:
    app.command("summarize")(summarize_command)
    app.command("normalize")(normalize_command)
