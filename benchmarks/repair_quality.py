"""How well ``prepare()`` finds and repairs damage it was not tuned on, and leaves intent alone.

Run: ``python benchmarks/repair_quality.py [--seeds 0 1 2] [--per-class 40] [--split held-out|tune|all]``.

Clean texts are the real articles in ``../shared/data`` (30 WMT22 documents, 40 Chinese news
articles). They are split tune/held-out by a hash of their id, decided before any figure was
looked at: ``held-out`` when the first byte of ``sha256("repair-split:" + id)`` is below 128. The
held-out split is reported first; each figure is the worst of the seeds.

Each seed picks sentences (8+ Han characters) from the split's documents and damages one sentence
per document copy, the way real accidents do:

* ``utf8_as_gbk``: the sentence's UTF-8 bytes shown as GBK (``鏂囩珷``).
* ``utf8_as_cp1252`` / ``utf8_as_latin1``: its UTF-8 bytes shown as Windows-1252 (the lenient
  form browsers use) or Latin-1 (C1 control characters included) (``æ–‡ç« ``).
* ``gbk_as_utf8``: its GBK bytes read as UTF-8: runs of U+FFFD, the text is lost. Detected means
  a ``text_lost`` warning over it (it cannot be repaired, only reported).
* ``gbk_shifted_short`` / ``gbk_shifted_long``: one GBK byte lost, so the decoder reads out of step
  until the next ASCII byte, shown with ``?`` where a byte is invalid (as in the seed). Short: the
  out-of-step run is 1-2 characters; long: 3 or more.
* ``conversion_ruby``: the document in traditional script (OpenCC ``s2t``) with the sentence's
  traditional-only characters annotated ``區(qū)``, as conversion sites print them. Detected means
  every annotation removed.

Intent (must be kept): ``teaching_ruby`` (every character of a simplified sentence annotated, as a
poem printed for learners), ``teaching_ruby_traditional`` (the same in traditional script), and
``reading_note`` (one or two polyphonic characters annotated, as a text explaining how a
character is read). Kept means every annotation is still in the prepared text.

Character accuracy of the damaged sentence: ``1 - edit distance / reference length``, before
(the damaged sentence against the clean one) and after (``prepare`` of the damaged document
against ``prepare`` of the clean one, over the stretch where they differ).
False repairs: repairs or damage warnings on the clean documents (all of them, both splits).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import statistics
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"

SPLIT_SALT = "repair-split:"


def is_held_out(identifier: str) -> bool:
    """The split, fixed before looking: first byte of the salted SHA-256 below 128."""
    return hashlib.sha256((SPLIT_SALT + identifier).encode("utf-8")).digest()[0] < 128
