"""Reference-free checks, one module per kind: ``numbers``, ``dates``, ``names``, ``lengths``.

``summarizer.eval.grounding`` combines them over a whole translation.
"""
