"""Reference-free checks, one module per kind: ``numbers``, ``dates``, ``names``,
``mentions`` (per-paragraph person counts), ``lengths``, ``coverage`` (sentences the source
does not support).

``summarizer.eval.grounding`` combines them over a whole translation.
"""
