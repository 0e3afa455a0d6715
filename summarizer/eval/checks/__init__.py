"""Reference-free checks, one module per kind: ``numbers``, ``dates``, ``names``,
``mentions`` (per-paragraph person counts), ``lengths``, ``coverage`` (sentences the source
does not support).

``summarizer.eval.grounding`` combines them over a whole translation.
"""

#: Each check with the version of its behaviour: ``rN`` is the round of issue 10 that last changed
#: what it flags (``v1`` before the rounds were counted). A change of behaviour raises it, so that
#: ``summarizer.eval.signature`` keeps grounding figures of different checks apart.
CHECK_VERSIONS = {
    "validate": "v1",
    "numbers": "r10",
    "dates": "r10",
    "names": "r10",
    "mentions": "r9",
    "length": "r6",
    "coverage": "r7",
}
#: The grounding part of the score signature.
GROUNDING_CHECKS = "+".join(f"{check}@{version}" for check, version in CHECK_VERSIONS.items())
