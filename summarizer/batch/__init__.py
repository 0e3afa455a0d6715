"""Many articles at once (the package is split by job in the next commit)."""

from summarizer.batch.runner import *  # noqa: F403
from summarizer.batch.runner import InternalError, read_jsonl, read_folder  # noqa: F401
