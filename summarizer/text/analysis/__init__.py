"""Stage two, analysis: what a prepared ``Document`` mentions (``analyze``).

``analyze`` tags the text once (``jieba_setup`` with the project ``glossary``) and hands the
finders one shared view of it: people (``people``, names through ``romanize``), organizations and
places (``bodies``), brought together by ``entities``; then dates, numbers and keywords (``dates``,
``numbers``, ``keywords``). ``rank`` scores sentences for the offline engine's extracts.
It reads the ``Document`` that ``summarizer.text.repair`` produced and imports nothing from there.
"""

from summarizer.text.analysis.analyze import analyze

__all__ = ["analyze"]
