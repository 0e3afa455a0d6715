"""The library's version, in one small module that anything may import without cycles.

``pyproject.toml`` reads it too (hatch's dynamic version), so this line is the only place to bump.
"""

__version__ = "0.1.0"
