"""Stage one, repair: from raw bytes or text to a clean, segmented ``Document`` (``prepare``).

Decoding (``decode``), markup removal and article extraction (``html``), mis-decoding repair
(``codepage_mojibake`` for UTF-8 read as a single-byte code page, ``mojibake`` for the GBK
accidents), pinyin annotation removal (``pinyin``), script conversion (``script``) and Unicode
clean-up (``normalize``) each yield ``edits``; ``prepare`` applies them in order and splits the
result into paragraphs and sentences (``segment``). ``lexicon`` holds the character statistics
they share.
Nothing here imports ``summarizer.text.analysis``: repair runs before analysis and never needs it.
"""

from summarizer.text.repair.prepare import prepare

__all__ = ["prepare"]
