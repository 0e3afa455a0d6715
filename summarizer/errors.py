"""The typed error hierarchy: every error class of summarizer lives here.

Every failure a user can meet is a ``SummarizerError`` subclass whose message says what happened
and what to do next. The CLI prints ``str(error)`` on one line and exits with ``error.exit_code``;
library callers catch the class they care about. Messages never contain API keys: they are built
from our own words plus redacted details (see ``summarizer.config.redact``).

The tree, with the exit code of each branch (a subclass keeps its parent's code unless marked)::

    SummarizerError ........................ 1
    ├── InputError ......................... 2
    │   ├── EmptyInputError
    │   │   └── NoArticleError               (an HTML page of navigation, footers... only)
    │   ├── UndecodableInputError
    │   ├── BinaryInputError
    │   ├── InputFileError
    │   ├── InputTooLargeError               (over max_input_chars)
    │   ├── PromptTooLongError               (a request that cannot fit the context window)
    │   ├── InvalidJSONError                 (JSON that cannot be used: syntax, depth, surrogate)
    │   ├── JSONLError                       (a line of a JSONL file)
    │   ├── RecordError                      (one batch record)
    │   │   ├── InvalidJSONLineError
    │   │   ├── MissingIdError
    │   │   ├── DuplicateIdError
    │   │   └── MissingTextError
    │   ├── GoldSetError                     (eval gold set)
    │   │   └── GoldSetNotBuiltError         (an evals/external set not built on this machine)
    │   ├── PredictionsError                 (eval predictions file)
    │   ├── RunDirError                      (eval run directory)
    │   └── PayloadTooLargeError             (a request body over the service's limit)
    ├── OutputFileError .................... 2
    ├── ConfigError ........................ 3
    │   └── NoModelConfiguredError
    ├── TransportError ..................... 4
    │   ├── EndpointUnreachableError
    │   ├── DeadlineExceededError
    │   ├── RateLimitedError
    │   │   └── RetryAfterTooLongError       (Retry-After passes the deadline; also a Deadline...)
    │   ├── ServerError
    │   ├── RequestRejectedError
    │   └── AuthenticationError ............ 3  (a key problem, like a config problem)
    ├── ModelOutputError ................... 5
    │   ├── OutputValidationError
    │   ├── TruncatedOutputError
    │   ├── RefusalError
    │   └── ContentFilterError
    ├── InternalError ..................... 70  (a bug in summarizer: EX_SOFTWARE, as the CLI
    │                                            gives any unexpected exception; a batch records
    │                                            it for that article and goes on)
    ├── GateError .......................... 1  (an eval --fail-under/--fail-on-regression gate)
    └── ServiceError ....................... 1  (an HTTP request refused; ``status`` is its code)
        ├── AuthRequiredError                401
        ├── InvalidKeyError                  401
        ├── ForbiddenError                   403
        ├── NotFoundError                    404
        └── QuotaExceededError               429  (``retry_after`` seconds)

    PayloadTooLargeError (an InputError, exit 2) answers 413. Other errors reach HTTP clients with
    the status ``summarizer.service.models.status_for`` gives their branch (input 400, config 422,
    deadline 504, transport and model output 502).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from summarizer.schema import AttemptRecord


class SummarizerError(Exception):
    """Base class of all errors raised on purpose by summarizer."""

    exit_code: int = 1
    #: A short stable name for reports, journals and batch output (``error.kind``).
    kind: str = "error"

    def __init__(self, message: str, *, attempts: list[AttemptRecord] | None = None) -> None:
        super().__init__(message)
        self.message = message
        #: The per-attempt ledger (tokens, latency, error class) of the calls made before failing.
        self.attempts: list[AttemptRecord] = list(attempts or [])
        #: Ids of the logged model calls made before failing (``summarizer logs show ID``).
        self.call_ids: list[str] = []

    def __str__(self) -> str:
        return self.message


class OfflineFallbackWarning(UserWarning):
    """``summarize()`` found no model configured and used the offline engine (no translation).

    Silence it with ``warnings.simplefilter("ignore", summarizer.OfflineFallbackWarning)``, or
    ask for the offline engine explicitly with ``engine="offline"``.
    """


# --- input


class InputError(SummarizerError):
    """The input cannot be summarized as given (missing, empty, binary, undecodable, too odd)."""

    exit_code = 2
    kind = "input"


class EmptyInputError(InputError):
    kind = "input.empty"


class NoArticleError(EmptyInputError):
    """An HTML page whose only text is boilerplate: navigation, footers, a login prompt."""

    kind = "input.no_article"


class UndecodableInputError(InputError):
    kind = "input.undecodable"


class BinaryInputError(InputError):
    kind = "input.binary"


class InputFileError(InputError):
    """The input file is missing or unreadable."""

    kind = "input.file"


class InputTooLargeError(InputError):
    """The article is longer than ``max_input_chars`` (refused before any work is done)."""

    kind = "input.too_large"


class PromptTooLongError(InputError):
    """A request would not fit the model's context window; refused before it is sent."""

    kind = "input.prompt_too_long"


# --- configuration


class ConfigError(SummarizerError):
    """The model endpoint or another setting is missing or contradictory."""

    exit_code = 3
    kind = "config"


class NoModelConfiguredError(ConfigError):
    kind = "config.no_model"


# --- transport


class TransportError(SummarizerError):
    """The endpoint could not be reached or kept failing after all transport retries."""

    exit_code = 4
    kind = "transport"


class EndpointUnreachableError(TransportError):
    kind = "transport.unreachable"


class DeadlineExceededError(TransportError):
    kind = "transport.deadline"


class RateLimitedError(TransportError):
    kind = "transport.rate_limited"


class RetryAfterTooLongError(RateLimitedError, DeadlineExceededError):
    """The server asked (``Retry-After``) to wait longer than the deadline leaves: failed at once,
    since retrying earlier would only be refused again. Both a rate-limit and a deadline error."""

    kind = "transport.rate_limited.retry_after"


class ServerError(TransportError):
    kind = "transport.server"


class AuthenticationError(TransportError):
    """401/403: retrying will not help; the key or permissions are wrong."""

    exit_code = 3
    kind = "transport.auth"


class RequestRejectedError(TransportError):
    """A 4xx other than the retryable ones: the request itself is wrong for this endpoint."""

    kind = "transport.rejected"


# --- model output


class ModelOutputError(SummarizerError):
    """The model answered, but the answer cannot be used."""

    exit_code = 5
    kind = "model_output"


class OutputValidationError(ModelOutputError):
    """The output still failed schema or semantic validation after all re-asks."""

    kind = "model_output.invalid"

    def __init__(
        self,
        message: str,
        *,
        problems: list[str] | None = None,
        attempts: list[AttemptRecord] | None = None,
    ) -> None:
        super().__init__(message, attempts=attempts)
        self.problems: list[str] = list(problems or [])


class TruncatedOutputError(ModelOutputError):
    """``finish_reason == "length"``: the answer was cut off; the same request won't fit again."""

    kind = "model_output.truncated"


class RefusalError(ModelOutputError):
    kind = "model_output.refusal"


class ContentFilterError(ModelOutputError):
    kind = "model_output.content_filter"


# --- batch


class RecordError(InputError):
    """One record of a batch input is unusable (missing id, duplicate id, empty text...)."""

    kind = "input.record"


class InvalidJSONLineError(RecordError):
    kind = "input.record.invalid_json"


class MissingIdError(RecordError):
    kind = "input.record.missing_id"


class DuplicateIdError(RecordError):
    kind = "input.record.duplicate_id"


class MissingTextError(RecordError):
    kind = "input.record.missing_text"


class InternalError(SummarizerError):
    """An unexpected exception inside an engine: recorded for that article, the batch goes on.

    Exit code 70 (``EX_SOFTWARE``), the code the CLI gives any exception it did not expect, so
    that a bug has one exit code whichever way it surfaces.
    """

    exit_code = 70
    kind = "internal"


class InvalidJSONError(InputError):
    """JSON text that cannot be used: not JSON, nested too deeply, or holding an unpaired
    surrogate escape; ``problem`` says which, for callers that add where it is."""

    kind = "input.bad_json"

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


class JSONLError(InputError):
    """One line of a JSONL file is not a UTF-8 JSON object; ``where`` and ``line`` say which."""

    kind = "input.jsonl"

    def __init__(self, where: str, line: int, problem: str) -> None:
        super().__init__(f"{where}: {problem}")
        self.where = where
        self.line = line
        self.problem = problem


# --- output


class OutputFileError(SummarizerError):
    """The output file cannot be opened, locked or written."""

    exit_code = 2
    kind = "output.file"


# --- eval


class GoldSetError(InputError):
    """A gold set is missing, malformed, or does not match its manifest's hash."""

    kind = "input.goldset"


class GoldSetNotBuiltError(GoldSetError):
    """A set built locally from public data (``evals/external``) has not been built here: its
    manifest is committed, its text is not. ``build`` is the command that builds it."""

    kind = "input.goldset.not_built"

    def __init__(self, message: str, *, name: str, build: str) -> None:
        super().__init__(message)
        self.name = name
        self.build = build


class PredictionsError(InputError):
    """A predictions file is missing or malformed."""

    kind = "input.predictions"


class RunDirError(InputError):
    """An eval run directory is missing or unreadable."""

    kind = "input.run"


class GateError(SummarizerError):
    """A ``--fail-under`` or ``--fail-on-regression`` gate failed (exit code 1)."""

    exit_code = 1
    kind = "eval.gate"


# --- service (``summarizer serve``): refusals of an HTTP request, each with its status code


class ServiceError(SummarizerError):
    """A request the HTTP service refuses; ``status`` is the HTTP status code it answers with."""

    kind = "service"
    status: int = 400


class AuthRequiredError(ServiceError):
    """No API key was sent and anonymous access is off."""

    kind = "auth.missing"
    status = 401


class InvalidKeyError(ServiceError):
    """The key is unknown, malformed or revoked (which one is not said, on purpose)."""

    kind = "auth.invalid"
    status = 401


class ForbiddenError(ServiceError):
    """A read-only key was used on a route that writes."""

    kind = "auth.forbidden"
    status = 403


class NotFoundError(ServiceError):
    kind = "not_found"
    status = 404


class PayloadTooLargeError(InputError):
    """The request body is over the service's size limit."""

    kind = "input.too_large"
    status = 413


class QuotaExceededError(ServiceError):
    """A key is over its requests- or tokens-per-minute quota; ``retry_after`` is in seconds."""

    kind = "quota.exceeded"
    status = 429

    def __init__(self, message: str, *, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after
