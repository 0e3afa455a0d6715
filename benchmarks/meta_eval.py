"""Meta-evaluation of the reference-free checks: do they catch known errors in human translations?

    python benchmarks/meta_eval.py [--per-kind 5] [--seeds 1,2,3] [--aggregate-only]
        [--splits fresh-9,fresh-8,fresh-7,fresh-6,fresh-5,fresh-4,fresh-3,fresh-2,fresh,held-out,
        tune]

Takes the human reference translations shipped in the gold sets (both WMT22 references of the 30
documents of ``wmt22-zhen`` and ``wmt22-zhen-more``, and the seed article's reference) as if they
were outputs for their Chinese sources, plants one known error per copy, and measures, per error
kind, the share of copies on which ``summarizer.eval.grounding.check_translation_grounding`` raises
a flag that the untouched reference did not raise. The false-alarm rate is the share of untouched
references with any flag.

Error kinds: a number changed, a date changed (its day), a date's month changed (its day kept), the
second day of a date range changed to a number stated elsewhere in the document, a person's name
swapped (for another person of the same document, else an invented name) or misspelled (two letters
swapped), a paragraph dropped, an unsupported sentence inserted (a sentence taken from another
document), a sentence left untranslated (the Chinese sentence instead of its translation). The
planted errors are chosen by position and a seeded random generator, never by whether a check can
see them.

Splits, printed in this order: ``fresh-9`` (the 20 news documents of ``wmt19-zhen-fresh-9``:
WMT19 zh-en news documents of 5 to 20 segments with one human reference, A, the tenth round's blind
data, the next in the hash order of the entity splits ``held-out-9`` to ``held-out-11``, chosen by a
rule committed before any of their text was read; see its PROVENANCE.md), ``fresh-8`` (the 21 news
documents of ``wmt17-zhen-fresh-8``: the
WMT17 zh-en news documents of 5 to 30 segments that ``fresh-7`` left, the next in the same hash
order, with references A and B, the ninth round's blind data, chosen by a rule committed before any
of their text was read; see its PROVENANCE.md), ``fresh-7`` (the 35 news documents of
``wmt17-zhen-fresh-7``: WMT17
zh-en news documents with two human references, A the WMT17 reference and B Microsoft's Human
Parity translation, the eighth round's blind data, cut into documents by a structural rule and
chosen by a hash rule committed before any of their text was read; see its PROVENANCE.md),
``fresh-6`` (the 33 news documents of ``wmt20-zhen-fresh-6``: 33 more
WMT20 zh-en news documents with references A and B, the seventh round's blind data, the next in the
same hash order past ``fresh-4``, ``held-out-6``, ``fresh-5`` and ``held-out-7``, all held out,
chosen by a rule committed before any of their text was read and never read; see its
PROVENANCE.md), ``fresh-5`` (the 40 news documents of ``wmt20-zhen-fresh-5``: 40 more
WMT20 zh-en news documents with references A and B, the next in the same hash order past ``fresh-4``
and ``held-out-6``, all held out, chosen by a rule committed before any of their text was read and
never read; see its PROVENANCE.md), ``fresh-4`` (the 40 news documents of ``wmt20-zhen``, the WMT20
zh-en news test set with two human references, A and B, all held out, chosen by a hash rule and
never read; see its PROVENANCE.md), ``fresh-3`` (the 38 news documents of ``wmt23-zhen``, the WMT23
zh-en general test set with one human reference, all held out, document ids from the WMT23 MQM
ratings; see its PROVENANCE.md), ``fresh-2`` (the 103 documents of ``wmt21-zhen``, the WMT21 zh-en
news test set with one human reference, all held out, cut into documents by a fixed headline
rule; see its PROVENANCE.md), ``fresh`` (the 8 documents of ``wmt22-zhen-fresh``, all held
out, never read by anyone on the project before their first run here), ``held-out``, ``tune``.
``--splits`` computes only the splits named (the others' planted errors stay the same: each
``fresh-9``, ``fresh-8``, ``fresh-7``, ``fresh-6``, ``fresh-5``, ``fresh-4``, ``fresh-3`` and
``fresh-2`` reference draws its errors from a generator of its own, seeded by seed, kind and
reference, and no other split takes inserted sentences from a ``fresh-9`` document, so adding
``fresh-9`` changed no other split's copies, as adding ``fresh-8`` did not).
The documents of the other sets are split by a hash of their id, as recorded in
``evals/splits.json`` (both references of a document stay together, so no source sentence is in
both splits). Checks may be
designed and tuned on the ``tune`` split (16 WMT documents plus the seed article, which the unit
tests also use); the ``held-out`` split (14 WMT documents) is only for reporting, and is printed
first. Thresholds written before the split existed (the length factors in
``summarizer.eval.checks.lengths``) were chosen on all references, so held-out numbers for them are
optimistic. The sentence-coverage check's first held-out run raised one false alarm (a "December 11
... named ... went viral" sentence of xinhua 104000/A); it was then changed once (Snowball stems
beside prefixes, month and number words left to the date and number checks), so its held-out
numbers are no longer fully unseen.

Issue 10 (2026-11-30): 15 more documents (``wmt22-zhen-more``) were split by the same rule before
anyone read them (``evals/splits.json``); the checks were then changed looking at the tune split
only. The first held-out run after that (seeds 1,2,3) detected >= 95% of every error kind with
copies there on the worst seed except inserted sentences (94.3% worst seed, 96.4% pooled; no
held-out reference writes a date range), with raw false alarms on 5/28 held-out references = 17.9%
(before the changes: 6/28 = 21.4%, and 61.9% of month changes caught). Reading those flags then led
to two more changes, so the held-out false-alarm figure after them is no longer blind: a digit
ordinal read as a day only before punctuation, "and", "to", "day" or "of this month" (not "the 2nd
on-water service area"), and 本月6日 read as a bare day. After them: 2/28 = 7.1%, both the same
sentence of xinhua 103991 (A and B), where the translators restore the subject 吉佳丽 ("Ji Jiali")
that the Chinese leaves out; the name-mention check (``checks.mentions``) allows a returning name
only for a pronoun, by design, and was left so.

Issue 10, fresh set (2026-12-01): the first run on ``wmt22-zhen-fresh`` (16 references, 222
paragraphs), before any check changed and with ``--aggregate-only`` so that no single flag was
read, gave on the worst of seeds 1,2,3: numbers 91.4% (pooled 93.3% of 210), dates 96.9% (of
96), months 93.8% (pooled 97.9% of 96), range ends 50.0% (pooled 83.3% of 6), names swapped and
misspelled 100% (of 144 each), dropped paragraphs and untranslated sentences 100% (of 240 each),
inserted sentences 91.2% (pooled 94.6% of 240); false alarms raw 4/16 references = 25.0%. Those
are the blind figures; the checks changed after them, designed on the tune split only: numbers
counted per aligned paragraph, a Chinese-calendar date lending no month and a bare day within a
week of its full date kept in that month, misspelled surnames before one-syllable given names,
and word coverage (sentences only single characters' glosses cover) for inserted sentences.
The first run after them (no longer blind for fresh or held-out) showed three regressions of
those tune-designed rules, which were then repaired or withdrawn looking at these flags: a
restored-subject allowance for names (it picked the wrong antecedent and lost held-out name
swaps: withdrawn), 各培训１名 repeated as "1 music, 1 art and 1 PE teacher" (a number given to
each of several things may be repeated), and 毛里求斯10日 read as January 10 because the
document also names a coming 1月10日 (a bare day now takes the month of a full date of its own
paragraph or of the dateline only). Reading the fresh flags also verified four of them as real
errors of the references (``VERIFIED_TRUE_ERRORS``). After that (worst of seeds 1,2,3): fresh
numbers 98.6%, dates 96.9%, months 100%, inserted sentences 96.2%, names 100%, false alarms 1/16
= 6.2% without verified true errors (4/16 raw), the remaining one a length outlier on a freely
rendered idiom (风水轮流转); held-out inserted sentences 97.9%, name swaps 96.8%, false alarms
2/28 (Ji Jiali, above); tune every kind >= 96.9%, 0/33. Fresh's range-end kind has 6 copies,
all from xinhua 103949, whose references both end the range on the 12th where the source says
10日: the one copy missed is the one where the planted change turned that 12 into the source's
10, removing the reference's error instead of adding one.

Issue 10, WMT21 set (2026-12-01): the first run on ``wmt21-zhen`` (split ``fresh-2``: 103
references A, 1,948 paragraphs; documents cut by its fixed headline rule), with the checks of
commit ``e58d84e`` unchanged and ``--splits fresh-2 --seeds 1,2,3 --aggregate-only`` so that no
single flag was read before the figures were recorded, gave on the worst seed (copies detected /
copies): numbers 98.7% (449/455), dates 99.6% (231/232), months 99.1% (230/232), range ends
88.9% (8/9; 27 copies over 3 seeds, pooled 96.3%), names swapped 97.8% (262/268), misspelled
98.1% (258/263), dropped paragraphs and untranslated sentences 100% (513/513 each), inserted
sentences 99.0% (508/513); false alarms raw 60/103 references = 58.3%, 132/1948 paragraphs =
6.8% (145 distinct flags: 58 number, 31 sentence, 25 length, 13 name.misspelled, 10 date, 8
name.unsupported). Its documents are longer than WMT22's (19 paragraphs on average), so the
per-reference rate is not comparable with the other splits'; the per-paragraph one is. The
flags were read afterwards and classified, without changing any check: 17 are real errors of
reference A (16 listed in ``VERIFIED_TRUE_ERRORS``; the 17th, the year of line-0418's repeated
dateline, shares its key with a false alarm and is left counted), 0 come from the boundary rule
(no flag depends on another article's text), 128 are false alarms of the checks: a year the
translator adds to a dateline or date (21), numbers rendered another way (mu to hectares, 半年
as "six months", 2千, 八十年代 as "1980s", 全天候 as "24/7", 60亿 written "6 billon", "Thirty
two": 24), a day or month restored or repeated from context (8), times and decimals misread
("17:07 of July", "20: 00", "28.4mg": 4), capitalised words read as names ("The Beijing",
"In Ningxia", "Lv Ling", the English name 董继玲 uses: 15), faithful but free or longer
renderings (length 25, sentence coverage 31, several of them sentence splits at "a.m.", ".com" or
a closing quote). Without the verified errors: 58/103 references = 56.3%,
119/1948 paragraphs = 6.1%.

Issue 10, WMT21 halves (2026-12-01): before any flag was read again, the 103 WMT21 documents
were cut by the project's hash rule (``fresh_2_split``: first SHA-256 byte of the id even ->
design half ``fresh-2-tune``, 57 documents, 1,097 paragraphs; odd -> report half
``fresh-2-held``, 46 documents, 851 paragraphs). ``--splits fresh-2`` names both. The report
half is not perfectly blind: the helper who recorded the blind figures above classified all 145
flags in aggregate. The checks were then changed looking only at flags of the design half and
of ``tune``: a year added to a date where the paragraph writes none, the same number written
another way (2千, 半年, 八十年代, "three decades", 亩/斤/公里/公斤 converted), clock times read as
hours and minutes (minutes checked against the source's), 当日 restored as its date, a bare
day's month only from full dates before it and from a real dateline, function words, months
and exonyms not read as names, ``pysbd`` sentences, coverage judged by whether a paragraph has
room for an added sentence, and the length factors set from the design half's 99.9% quantile
(``--length-factors``). Before -> after, worst of seeds 1,2,3, false alarms without verified
errors: report half numbers 99.0 -> 96.5%, months 98.0 -> 98.0%, name swaps 95.9 -> 95.9%,
misspellings 97.5 -> 96.7%, inserted 97.8 -> 98.3%, false alarms 25/46 -> 18/46 references
(raw 62/851 -> 32/851 paragraphs); design half numbers 98.4 -> 97.3%, months 100 -> 98.5%,
inserted 98.9 -> 97.5%, false alarms 33/57 -> 7/57 (70/1097 -> 12/1097 paragraphs). On the
other splits two regressions: held-out months 100 -> 90.5% (38/42; not investigated, so as
not to design on held-out data; the bare-day month rules are the suspects) and fresh false
alarms 1/16 -> 3/16 ("1960s", read as a number since the "s" suffix is parsed); tune inserted
sentences 96.9 -> 95.1% (the length factors were raised).

Issue 10, round 4 (2026-12-01): designed on the flags of ``fresh-2-tune`` and ``tune`` only
(8 references of the design half flagged, none on tune); no flag of ``fresh-2-held``, ``fresh``
or ``held-out`` was read. Changes: the much-longer length signature allows for paragraph size
(squared deviation of the ratio = 0.405 / expected words + 0.0219, fitted on the design half;
a paragraph is flagged beyond 4.5 standard deviations, above every design paragraph), a stray
full stop is no sentence, a bare day that nothing before it dates takes the month of a full
date of the same day, else of the dates the document reports but not of a scheduled event's
(原定于今年12月31日), else an open month, a year the
translation adds to two or more yearless dates, always the same, is the report's year, 上下册
is "Volumes 1 & 2", a misspelt scale ("6 billon") is still a scale, a pair running on into a
word neither pinyin nor English ("Lei Yue Mun") is a romanized place, ü is also written v or yu
("Lv", "Lyu"), and a clock time's hour must be an hour the source writes on either clock (the
two range-end misses of the design half were hours "changed" into a day or month). Design
half: false alarms 8/57 -> 1/57 references (14/1097 -> 3/1097 paragraphs raw); the one left is a
dateline year (2020) where the document says 2019 elsewhere. Also added: 昨天 / 今日 / 明天
written out as the exact date the dateline gives, decade pairs (六七十年代 = "the 1960s and
1970s", a general rule, though the closing note's mention of a "1960s" false alarm on ``fresh``
prompted it, so ``fresh`` is not blind to it) and 一半 as 50%. The held-out splits were then run
once, with ``--seeds 1,2,3 --aggregate-only`` (no flag read): ``fresh-2-held`` false alarms
18/46 -> 17/46 references (32 -> 28 of 851 paragraphs), every kind still >= 95% worst seed but
name swaps 95.9 -> 95.1% (117/123); ``fresh`` 3/16 -> 0/16; ``held-out`` 2/28 unchanged. The
design half went 8/57 -> 1/57, so what is left on the report half are classes the design half
does not show; they were not looked for there.

Issue 10, WMT23 set (2026-12-01): the first run on ``wmt23-zhen`` (split ``fresh-3``: 38 WMT23
news documents, 751 paragraphs, built after round 4 and never read), with ``--splits fresh-3
--seeds 1,2,3 --aggregate-only`` so that no flag was read. Every kind >= 95% at the worst seed
(lowest: name swaps 96.2%, 51/53; inserted sentences 96.3%, 183/190); false alarms 17/38
references = 44.7% raw, none verified (33/751 paragraphs = 4.4%). The code of ``main`` before
round 4, on the same planted copies: the same detection, 17/38 references (34/751 paragraphs).
So round 4 changed one flagged paragraph on blind data.

Issue 10, round 5 (2026-12-01): ``fresh-2-held`` became design data. Its flags on untouched
references were read for the first time, recorded and classified before any rule changed
(``evals/external/wmt21-zhen/false_alarms_review.md``): 17 of 46 references had a false alarm, of
kinds the design half does not show. One more flag was verified as a real error of the
reference (line-0799's "14:20" for 北京时间14时40分). ``fresh-3`` stayed blind (only its
aggregate lines were read). Changes, each a kind of practice with a test in
``tests/eval/test_grounding_round5.py``:
- numbers: approximate numbers (五六百, 四五, 十七八; not a month pair 七八月), 半 with a unit
  (0.5) and 两个半 (2.5), 90后
  ("the 1990s"), 全天候 ("24/7", "24-hour"), 里 in kilometres or miles, "Thirty two", and a unit
  glued to a number ("820,000kw" was read as 820);
- dates: 当天 in a paragraph that dates nothing itself, written out as the date named last
  before it, and 今天 written out beside its own date; a year the document states is one with
  年 or in a numeric date (2020-07-26; 2000公里 is no year);
- names: Wade-Giles with its passport forms and Hong Kong Cantonese romanization
  (``cantonese-romanisation``) read from a known surname on, and the official English names of
  ethnic groups ("Ximeng Va");
- sentences: "No.3" ends no sentence; coverage: the parts of a middle-dot foreign name
  (凯莉安·康威) cover capitalized words.
A restored-subject allowance (the person the paragraph before names first) was tried and
withdrawn: it removed the 1488 and held-out Ji Jiali flags but let name swaps pass (worst seed
tune 94.1%, fresh-2-held 93.5%, fresh-3 90.6%). Final run, ``--seeds 1,2,3 --aggregate-only``,
false alarms without verified errors (references; raw paragraphs), before -> after:
``fresh-3`` 17/38 -> 17/38 (33 -> 32 of 751), ``fresh-2-held`` 17/46 -> 2/46 (28 -> 12 of
851), ``held-out`` 2/28 -> 2/28, ``fresh`` 0/16 -> 0/16, ``fresh-2-tune`` 1/57 -> 1/57,
``tune`` 0/33 -> 0/33. Lowest detection at the worst seed, all unchanged: ``fresh-3`` name
swaps 96.2%, ``fresh-2-held`` name swaps 95.1%, ``fresh-2-tune`` numbers 97.7%, ``held-out``
months 95.2%, ``tune`` inserted 95.1%; every kind >= 95% except ``fresh``'s range ends (2
copies a seed, the known reference error of xinhua 103949). One kind moved: ``fresh-2-held``
numbers 97.0 -> 96.5% (line-1383's "July 16 2020" changed to another year: the document states
no year, so the report's year is open, as the rule intends). The design kinds did not carry over
to the blind ``fresh-3`` references (17/38, one paragraph fewer).

Issue 10, WMT20 set (2026-12-01): the first run on ``wmt20-zhen`` (split ``fresh-4``: 40
WMT20 newstest2020 news documents, 587 paragraphs, two independent references each, chosen by a
hash rule and never read), on main at ``eb1684a`` after every round-5 check had landed, with
``--splits fresh-4 --seeds 1,2,3 --aggregate-only``. Worst seed: numbers 98.1%, dates 100%,
name swaps 95.7%, misspellings 99.3%, dropped 100%, inserted 97.5%, untranslated 100%, but
**months changed 78.8% (41/52): missed**; false alarms 24/80 references = 30.0% raw, none
verified (36/1174 paragraphs = 3.1%).
Then fresh-4 was read for that one question (its missed month changes only): WMT20 strips
datelines, so the source gives bare days (26日) and a translation's month comes from outside the
text. ``check_restored_months`` (the restored months must fit one report) took it to 88.5%
(46/52) at the worst seed with no new false alarm on any split; the copies still missed change
the only restored month of a document whose source states no month at all.

Issue 10, round 6, names and sentence lengths (2026-12-01): ``fresh-3`` and ``fresh-4`` became
design data. Every flag of the name, mention, length and coverage checks on their untouched
references was read against the Chinese before any rule changed: 33 distinct flags, 8 real
reference errors (fresh-3 7, fresh-4 1) and 25 false alarms (fresh-3 6, fresh-4 19). Changes,
each with a test in ``tests/eval/test_grounding_round6_names.py`` or ``..._lengths.py``: a name
reads across the space a byline puts between its characters (颜 欢); a pair after "Hong Kong" is
no "Kong Lu"; "Co" and "Ltd" are no name parts; a three-word romanized name ("Ko Suk Tan" for
柯淑丹) is the source's; a paragraph whose Chinese has no pronoun and names nobody (by the
English mentions and by jieba's person tags) may name once the person the paragraph before names
last, if a verb of saying follows that name there (a restored subject: the guard on the Chinese
side keeps a swap that removes the paragraph's own person from passing, and the speaker rule
keeps a swap to the wrong antecedent from passing; without the speaker rule held-out name swaps
fell to 93.5%); a paragraph (not a headline) with more sentences than its source, every one of
which renders it (coverage >= 0.60 and >= 0.40 by words), is a split sentence, no length outlier
by the more-sentences signature. Flags cleared: fresh-3 4 (Yan Huan, Suk Tan, Shanshan Co, Zhao
Chunshan), fresh-4 7 (two names after Hong Kong, five split paragraphs); raw false alarms
fresh-3 17/38 -> 15/38, fresh-4 24/80 -> 21/80 (with the reference errors verified this round
set aside: 14 -> 12 and 18 -> 15). Worst seed after the changes
(``--seeds 1,2,3 --aggregate-only``, every split): every kind as before but name swaps
fresh-3 96.2 -> 96.3% (52/54: the spaced byline name is now a verified name, 3 more copies),
misspellings fresh-3 100 -> 98.1% (53/54: a misspelt spaced byline name is read as no
misspelling, since the near-name look-up does not skip the space), inserted sentences held-out
97.1 -> 96.4% (135/140); lowest per split: fresh-4 months 88.5% (known), fresh-3 name swaps
and inserted sentences 96.3%, fresh-2-held name swaps 95.1%, fresh-2-tune numbers 97.7%,
fresh range ends 50% (known), held-out months 95.2%, tune inserted sentences 95.1%. No split
gained a flagged paragraph.
Left: sentence-coverage flags on free renderings of idioms and split sentences (fresh-4
reference B of 6285, 6344, 6390, 6621, 102700) that look like the planted inserted sentences by
every measure the check has; long explanatory renderings (102700 A and B, 6390 B); a headline
rendered as a full sentence (102560 B: a sentence appended to a headline looks the same); a
word-spun sentence of fresh-3 280872.

Issue 10, round 6, numbers and dates (2026-12-01): ``fresh-3`` and ``fresh-4`` became design
data. Every flag on their untouched references was recorded and classified before any rule
changed (commit ``a0680ae``: ``evals/external/wmt23-zhen/false_alarms_review.md`` and
``…/wmt20-zhen/…``), and 31 of them verified against the Chinese as real errors of the
references (8 on ``fresh-4``, 23 on ``fresh-3``; ``VERIFIED_TRUE_ERRORS``, where a flag whose text
is a whole fetched sentence is keyed by a SHA-256 prefix). Without them: ``fresh-4`` 18/80,
``fresh-3`` 14/38 references. The number and date checks then changed by kind, each with a test
in ``tests/eval/test_grounding_round6_numbers.py``: spaces inside a Chinese date
(5 月 14 日), 万 and 千 parts (7万8千), 1亿2千万, fractions as percentages, 近半, 一万六七千,
九二共识, a scale after a hyphen or written once for a range ("4 to 6 million"), a number with
a scale word rounded to three or more figures ("19.93 million" for 1993.03万), 同比 written out
as the year before a year the paragraph and the English state, 反之 written out with its
number, a count named again with the same noun ("the four areas"), 立体 as
"three-dimensional", 北京时间 as "GMT+8"; fresh-3's months rose 98.0 -> 100% (spaces). A first
version let any round number be a rounding ("1340" for 1339, "2020" for 2018) and cost number
detection on every split (``fresh-2-held`` 96.5 -> 94.9% worst seed); rounding now needs a scale
word, and the missed number copies are then the same as before the round on ``fresh-4``,
``fresh-3``, ``fresh-2-held``, ``fresh-2-tune`` and ``tune`` (all three seeds). False alarms
without verified errors, before -> after: ``fresh-4`` 18/80 -> 12/80 (raw paragraphs 36 -> 29
of 1,174), ``fresh-3`` 14/38 -> 5/38 (32 -> 19 of 751); every other split unchanged. What is
left of numbers and dates on ``fresh-4``: background the translators added (102700's "one, two
or three points" and "fourth quarter"), a year added to an agreement's name that the document
never states ("the 2015 nuclear deal"), and a count of listed items (102568/A); none can be
licensed from the source without letting changed numbers pass. The months of ``fresh-4``
(88.5% worst seed) stay: the 18 copies missed change the only restored month of documents
whose source states no month (their anniversaries and "earlier this month" name none either).
Final run (``--seeds 1,2,3 --aggregate-only``, all splits): every detection figure as at the
round's start except ``fresh-3`` months 98.0 -> 100%; lowest at the worst seed ``fresh-4``
months 88.5% (then name swaps 95.7%), ``fresh-3`` name swaps 96.2%, ``fresh-2-held`` name swaps
95.1%, ``fresh-2-tune`` numbers 97.7%, ``fresh`` range ends 50% (2 copies, the known reference
error), ``held-out`` months 95.2%, ``tune`` inserted 95.1%.

Issue 10, round 6, blind first run of ``fresh-5`` (2026-12-01; the 40 WMT20 documents of
``wmt20-zhen-fresh-5``, 80 references, 1,072 paragraphs, chosen by the rule of commit ``6106883``
and read by nobody): after every round-6 check had landed (main at ``3a6a4f9``),
``--seeds 1,2,3 --aggregate-only``. Worst seed: numbers 99.1%, dates 100%, months 94.6% (70/74:
missed by a hair), range ends 100% (2/2), name swaps 99.2%, misspellings 100%, dropped paragraphs
100%, inserted sentences 98.2%, untranslated sentences 100%. False alarms raw 22/80 references
(27.5%), 36/1,072 paragraphs (3.4%); none is verified either way, since reading them would spend the
split (on ``fresh-4`` 6 of the 24 raw flagged references held only real reference errors). The
checks of the round's start (``5a226a0``), run by the same script on the same copies: raw 26/80
(32.5%), 46 paragraphs, the same detection. The design kinds of fresh-3 and fresh-4 carried over
only a little.

Issue 10, round 8 (2026-12-01): ``fresh-6`` became design data; every flag on its untouched
references was classified before any rule changed (``evals/external/wmt20-zhen-fresh-6/
false_alarms_review.md``, commit ``012aad7``; 3 real reference errors added below). Only
false-alarm classes seen on two of ``fresh-4``, ``fresh-5``, ``fresh-6`` were worked on, and the
month gap ``fresh-6`` showed. After each split, a line gives the strong-evidence view
(``grounding.strong_evidence``: weak length and coverage flags count only where a second check
agrees in the paragraph) beside the default any-flag decision; it is not the default, since it
loses planted insertions on every split (worst seed 81.6-91.3% against 95.1-98.3%).

False alarms are reported raw and, separately, with the flags listed in ``VERIFIED_TRUE_ERRORS``
set aside: flags on untouched references that a person checked and found to be real errors of the
human translation. They are printed with their reason, never silently dropped.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from summarizer.errors import GoldSetNotBuiltError
from summarizer.eval.checks.lengths import length_ratios
from summarizer.eval.checks.names import pinyin_index
from summarizer.eval.goldset import Example, load_set
from summarizer.eval.grounding import (
    check_translation_grounding,
    dates_en,
    strong_evidence,
    verified_names,
)

TARGET_DETECTED = 0.95
TARGET_FALSE_ALARMS = 0.05
INVENTED_NAMES = ("Liu Zhiqiang", "Sun Hongmei", "Guo Wenbin", "Ma Xiaoling", "Zhou Dehai")
#: The two halves of the WMT21 set, by the project's hash rule (``fresh_2_split``).
FRESH_2_SPLITS = ("fresh-2-held", "fresh-2-tune")
#: The WMT23 news documents: blind data, every one held out.
FRESH_3 = "fresh-3"
#: The WMT20 news documents (``wmt20-zhen``, references A and B): blind data, every one held out.
FRESH_4 = "fresh-4"
#: 40 more WMT20 news documents (``wmt20-zhen-fresh-5``): the sixth round's blind data.
FRESH_5 = "fresh-5"
#: 33 more WMT20 news documents (``wmt20-zhen-fresh-6``): the seventh round's blind data.
FRESH_6 = "fresh-6"
#: 35 WMT17 news documents (``wmt17-zhen-fresh-7``): the eighth round's blind data.
FRESH_7 = "fresh-7"
#: 21 more WMT17 news documents (``wmt17-zhen-fresh-8``): the ninth round's blind data.
FRESH_8 = "fresh-8"
#: 20 WMT19 news documents, one reference each (``wmt19-zhen-fresh-9``): the tenth round's blind
#: data.
FRESH_9 = "fresh-9"
SPLITS = (
    FRESH_9,
    FRESH_8,
    FRESH_7,
    FRESH_6,
    FRESH_5,
    FRESH_4,
    FRESH_3,
    *FRESH_2_SPLITS,
    "fresh",
    "held-out",
    "tune",
)
SPLITS_FILE = Path(__file__).resolve().parents[1] / "evals" / "splits.json"
#: The gold sets whose human references are planted with errors.
SETS = ("wmt22-zhen", "wmt22-zhen-more")
#: Blind documents: every one is split ``fresh`` (its ``extra.split``), none is in splits.json.
FRESH_SET = "wmt22-zhen-fresh"
#: Blind documents with one reference (A): every one is split ``fresh-2``.
FRESH_2_SET = "wmt21-zhen"
#: Blind news documents with one reference (refA): every one is split ``fresh-3``.
FRESH_3_SET = "wmt23-zhen"
#: Blind news documents with two references (A and B): every one is split ``fresh-4``.
FRESH_4_SET = "wmt20-zhen"
#: Blind news documents with two references (A and B): every one is split ``fresh-5``.
FRESH_5_SET = "wmt20-zhen-fresh-5"
#: Blind news documents with two references (A and B): every one is split ``fresh-6``.
FRESH_6_SET = "wmt20-zhen-fresh-6"
#: Blind news documents with two references (A and B): every one is split ``fresh-7``.
FRESH_7_SET = "wmt17-zhen-fresh-7"
#: Blind news documents with two references (A and B): every one is split ``fresh-8``.
FRESH_8_SET = "wmt17-zhen-fresh-8"
#: Blind news documents with one reference (A): every one is split ``fresh-9``.
FRESH_9_SET = "wmt19-zhen-fresh-9"
#: Splits whose references draw their planted errors from a generator of their own.
OWN_GENERATOR = (FRESH_9, FRESH_8, FRESH_7, FRESH_6, FRESH_5, FRESH_4, FRESH_3, *FRESH_2_SPLITS)

#: (document id, flag code, flagged text) -> why the flag is a real error of the human reference.
VERIFIED_TRUE_ERRORS: dict[tuple[str, str, str], str] = {
    ("wmt22.zh-en.chinese.macao.5817", "name.misspelled", "Chen Kaixin"): (
        "source paragraph 19 names 陈凯先, whose pinyin is Chen Kaixian; both human references "
        "write 'Chen Kaixin' (each also writes Chen Kaixian in the same sentence)"
    ),
}
_CONFERENCE_DAYS = (
    "source paragraph 2 dates the conference 12月8日至10日 (December 8 to 10); both human "
    "references end the range on the 12th"
)
VERIFIED_TRUE_ERRORS.update(
    {
        ("wmt22.zh-en.xinhua-zh-01.103949", "date.unsupported", "December 8 to 12"): (
            _CONFERENCE_DAYS
        ),
        ("wmt22.zh-en.xinhua-zh-01.103949", "date.unsupported", "December 8-12"): (
            _CONFERENCE_DAYS
        ),
        ("wmt22.zh-en.xinhua-zh-01.103949", "number.unsupported", "21st"): (
            "source paragraph 3 names 党的二十大, the 20th National Congress; reference A writes "
            "'the 21st National Congress'"
        ),
        ("wmt22.zh-en.xinhua-zh-01.103896", "number.unsupported", "108.5 million"): (
            "source paragraph 1 states 10.85万吨 (108,500 tons); reference B writes '108.5 million "
            "tons' (reference A: 108,500 tons)"
        ),
    }
)
_B_REPEATS_LINE_3 = (
    "reference B's paragraph 4 repeats its paragraph 3 (the Dongcheng 5% / 380 / 10% sentence) "
    "and leaves source line 4 (凡具有体育、艺术、科技特长...) untranslated: a misaligned reference"
)
_DONGCHENG = "By taking Dongcheng District as an example, the entrance proportion of pupils wi"
VERIFIED_TRUE_ERRORS.update(
    {
        ("wmt22.zh-en.xinhua-zh-01.104117", code, text): _B_REPEATS_LINE_3
        for code, text in (
            ("number.unsupported", "5"),
            ("number.unsupported", "10"),
            ("number.unsupported", "380"),
            ("length.outlier", _DONGCHENG),
            ("sentence.unsupported", _DONGCHENG),
        )
    }
)

#: Real errors of reference A of the WMT21 set, read after its blind run (2026-12-01). Only
#: paragraph 2 of line-0418 is a repeat of paragraph 1; its dateline year "2020" is left out on
#: purpose, because the same flag text in paragraph 1 is a false alarm.
_WMT21 = "wmt21.zh-en.line-"
_REPEATED_0418 = (
    "reference A's paragraph 2 repeats its paragraph 1 (the dateline and first sentence) and "
    "leaves source line 3 (针对此，银川市采取...) untranslated: a misaligned reference"
)
VERIFIED_TRUE_ERRORS.update(
    {
        (f"{_WMT21}0418", "number.unsupported", "26th"): _REPEATED_0418,
        (f"{_WMT21}0418", "date.unsupported", "July 26th"): _REPEATED_0418,
        (f"{_WMT21}0418", "name.unsupported", "Ai Fumei"): _REPEATED_0418,
        (f"{_WMT21}0771", "number.unsupported", "43"): (
            "source paragraph 5 counts 54例无症状感染者 (54 asymptomatic cases); reference A: 43"
        ),
        (f"{_WMT21}0771", "number.unsupported", "26th"): (
            "source paragraph 8 dates the notices 25日 (the 25th); reference A: 'On the 26th'"
        ),
        (f"{_WMT21}0799", "number.unsupported", "6th"): (
            "source paragraph 26 says the flood formed 26日 (the 26th); reference A: 'July 6th'"
        ),
        (f"{_WMT21}0799", "date.unsupported", "July 6th"): (
            "source paragraph 26 says the flood formed 26日 (the 26th); reference A: 'July 6th'"
        ),
        (f"{_WMT21}0799", "date.unsupported", "20 of July"): (
            "source paragraph 1 gives 北京时间14时40分 (14:40 Beijing time); reference A writes "
            "'14:20 of July 26' (the check reads it as a date, but the time is wrong)"
        ),
        (f"{_WMT21}0799", "number.unsupported", "14:20"): (
            "source paragraph 1 gives 北京时间14时40分 (14:40 Beijing time); reference A writes "
            "'14:20 of July 26' (since round 4 the check reads it as a clock time)"
        ),
        (f"{_WMT21}0983", "number.unsupported", "203 million"): (
            "source paragraph 8 states 2030万元 (20.3 million yuan); reference A: 203 million"
        ),
        (f"{_WMT21}1018", "number.unsupported", "65"): (
            "source paragraph 3: guest stays fell 63% (接待人次同比下降63%); reference A: 65%"
        ),
        (f"{_WMT21}1513", "number.unsupported", "1982"): (
            "source paragraph 6: the chorus was founded 于1983年; reference A: 'In 1982'"
        ),
        (f"{_WMT21}0590", "name.misspelled", "Cheng Guangming"): (
            "source paragraph 10 names 陈光明 (Chen Guangming, as A writes him elsewhere)"
        ),
        (f"{_WMT21}0724", "name.misspelled", "Zhao Yaomin"): (
            "source paragraph 1 names the reporter 赵雅敏, pinyin Zhao Yamin"
        ),
        (f"{_WMT21}1018", "name.unsupported", "Yang Zhoukui"): (
            "source paragraph 1 names the reporter 杨召奎, pinyin Yang Zhaokui"
        ),
        (f"{_WMT21}1488", "name.unsupported", "Liu Qitao"): (
            "source paragraph 2 names the director 邱礼涛 (Qiu Litao, known as Herman Yau)"
        ),
        (f"{_WMT21}1732", "name.misspelled", "Wuhan Jinyitan"): (
            "source paragraph 6 names 武汉金银潭医院, pinyin Jinyintan"
        ),
    }
)


#: Real errors of the WMT20 (``fresh-4``) and WMT23 (``fresh-3``) references, read and checked
#: against the Chinese in round 6 (2026-12-01), before any rule changed
#: (``evals/external/wmt20-zhen/false_alarms_review.md``, ``…/wmt23-zhen/…``). A flag whose text
#: is a whole sentence of the fetched set is keyed by ``sha256:`` and the first 16 hex digits of
#: the SHA-256 of its text, so that no fetched prose is committed.
_WMT20 = "wmt20.zh-en."
_WMT23 = "wmt23.zh-en.news_"
_WMT23_DOUBLED_280802 = (
    "reference A's paragraph 1 states its whole content twice (the dateline, the PMI, the "
    "export figures and January 2023 repeated)"
)
_WMT23_MERGED_280781 = (
    "reference A's paragraph 15 also carries source paragraph 16's figures (given again in its "
    "paragraph 16), with a wrong scale: 1954万 is 19.54 million"
)
_WMT23_ADDED_19813 = (
    "source paragraph 21 says only that anger over the delayed aid may affect the election; "
    "reference A adds a sentence on how voters will judge the government's response"
)
VERIFIED_TRUE_ERRORS.update(
    {
        (f"{_WMT20}chinanews.com.102574", "number.unsupported", "329,200"): (
            "source paragraph 15: 卫生填埋329.29万吨 (3,292,900 tons); reference B: 329,200 tons"
        ),
        (f"{_WMT20}chinanews.com.102645", "number.unsupported", "2020"): (
            "source paragraph 12 names 下届2022年大选 (the next, 2022 election); reference B: 'the "
            "2020 presidential campaign'"
        ),
        (f"{_WMT20}xinhua-zh-01.6285", "number.unsupported", "120,000"): (
            "source paragraph 25: 120万亩 (1.2 million mu); reference A: 120,000 mu"
        ),
        (f"{_WMT20}chinanews.com.102864", "name.unsupported", "Zhu Xudongfa"): (
            "source paragraph 21 names the soldier 朱旭东方; 方 is fang, so 'Xudongfa' reads no "
            "characters of the source"
        ),
        (f"{_WMT20}xinhua-zh-01.6343", "number.unsupported", "906"): (
            "source paragraph 8: a 960亩 rice base; reference A: 906 mu (reference B: 960)"
        ),
        (f"{_WMT20}chinanews.com.102560", "date.unsupported", "June 26"): (
            "the dateline is 9月27日电, so paragraph 7's 26日 is September 26; reference B: June 26"
        ),
        (f"{_WMT20}xinhua-zh-01.6572", "number.unsupported", "198 billion"): (
            "source paragraph 4: 19980亿美元 (1.998 trillion dollars); reference A: 198 billion"
        ),
        (f"{_WMT23}chinanews.com.280744", "number.unsupported", "2017"): (
            "source paragraph 9 says 去年 (last year) in a report of an EU summit where 冯德莱恩 "
            "speaks as president of the Commission (in office since December 2019); reference "
            "A: 'in 2017'"
        ),
        **{
            (f"{_WMT23}chinanews.com.280781", "number.unsupported", text): _WMT23_MERGED_280781
            for text in ("19,540 million", "6,130 million", "14,200 million", "2022")
        },
        **{
            (f"{_WMT23}chinanews.com.280802", code, text): _WMT23_DOUBLED_280802
            for code, text in (
                ("name.unsupported", "Zhao Bo"),
                ("name.unsupported", "Huang Yang"),
                ("number.unsupported", "2023"),
                ("number.unsupported", "3"),
                ("number.unsupported", "five"),
                ("number.unsupported", "seven"),
            )
        },
        (f"{_WMT23}chinanews.com.280872", "date.unsupported", "October 10"): (
            "the dateline is 2月11日电 and the news is of 10日, February 10; reference A: "
            "October 10"
        ),
        (f"{_WMT23}chinanews.com.280872", "number.unsupported", "5G"): (
            "reference A's paragraph 7 repeats its paragraph 6 (5G testing and standards) and "
            "leaves source paragraph 7 (new base stations, download speeds) untranslated"
        ),
        (f"{_WMT23}chinanews.com.280933", "number.unsupported", "19th"): (
            "source paragraph 4 names 中共二十大, the 20th National Congress; reference A: 19th"
        ),
        (
            f"{_WMT23}hunan_ribao-zh.11308",
            "english.untranslated",
            "translation.paragraphs_en[0]",
        ): "reference A's headline leaves the site name 华声在线 in Chinese",
        (f"{_WMT23}hunan_ribao-zh.11308", "name.unsupported", "Li Shuofeng"): (
            "source paragraph 2 names the editor 李絮枫; 絮 is xu (Li Xufeng)"
        ),
        (f"{_WMT23}international_times-zh.9293", "number.unsupported", "189 billion"): (
            "source paragraph 4: 18.9亿新元 (1.89 billion Singapore dollars); reference A: 189 "
            "billion"
        ),
        (f"{_WMT23}jingji_guancha_bao-zh-01.22022", "name.unsupported", "Liu Yichan"): (
            "source paragraph 14 names 刘亦千; 千 is qian (Liu Yiqian)"
        ),
        (f"{_WMT23}rfi-chinese.19798", "number.unsupported", "1"): (
            "stray characters at the end of reference A's headline (a backquote and '1')"
        ),
        (f"{_WMT23}rfi-chinese.19798", "number.unsupported", "25 million"): (
            "source paragraph 9: 250万 (2.5 million); reference A: 25 million"
        ),
        (f"{_WMT23}rfi-chinese.19801", "number.unsupported", "1999"): (
            "reference A's paragraph 16 repeats its paragraph 15 (the 1999 interview) and leaves "
            "source paragraph 16 (born in 1928) untranslated"
        ),
        (f"{_WMT23}rfi-chinese.19813", "length.outlier", "sha256:a05811138fac6278"): (
            _WMT23_ADDED_19813
        ),
        (f"{_WMT23}rfi-chinese.19813", "sentence.unsupported", "sha256:218b1807e45166ce"): (
            _WMT23_ADDED_19813
        ),
    }
)


#: Real errors of the ``fresh-5`` references (the second WMT20 set), read and checked against the
#: Chinese in round 7 (2026-12-01), before any rule changed
#: (``evals/external/wmt20-zhen-fresh-5/false_alarms_review.md``).
_FRESH_5_SHARES = "jingji_guancha_bao-zh-01.230"
VERIFIED_TRUE_ERRORS.update(
    {
        (f"{_WMT20}chinanews.com.102714", "number.unsupported", "2020"): (
            "source paragraph 3 says 到2022年 (twice 2022); reference B writes 'by 2020' twice"
        ),
        (f"{_WMT20}xinhua-zh-01.6608", "number.unsupported", "19th"): (
            "source paragraph 4 names 党的十八大, the 18th National Congress; reference B: 19th"
        ),
        (f"{_WMT20}xinhua-zh-01.6319", "name.misspelled", "Cui Ainin"): (
            "source paragraph 5 names 崔爱民; 民 is min (Cui Aimin, as reference A writes)"
        ),
        (f"{_WMT20}{_FRESH_5_SHARES}", "number.unsupported", "82.835 million"): (
            "source paragraph 2: 8218.35万股 (82.1835 million shares); reference A: 82.835 million"
        ),
        (f"{_WMT20}{_FRESH_5_SHARES}", "number.unsupported", "390300"): (
            "source paragraph 5: 39.43万股 (394,300 shares); reference A: 390300"
        ),
        (f"{_WMT20}{_FRESH_5_SHARES}", "number.unsupported", "42.08"): (
            "source paragraph 8 gives 42.80% and 21.78%; reference B: 42.08% and 21.87%"
        ),
        (f"{_WMT20}{_FRESH_5_SHARES}", "number.unsupported", "21.87"): (
            "source paragraph 8 gives 42.80% and 21.78%; reference B: 42.08% and 21.87%"
        ),
        (f"{_WMT20}{_FRESH_5_SHARES}", "number.unsupported", "56.223 million"): (
            "source paragraph 13: 5623.24万元 (56.2324 million yuan); reference B: 56.223 million"
        ),
        (f"{_WMT20}chinanews.com.102737", "number.unsupported", "30"): (
            "source paragraph 6 gives the silver coin 直径40毫米 (40 mm); reference B: '30mm'"
        ),
    }
)
#: Real errors of the ``fresh-6`` references (the third WMT20 set), read and checked against the
#: Chinese in round 8, before any rule changed
#: (``evals/external/wmt20-zhen-fresh-6/false_alarms_review.md``).
VERIFIED_TRUE_ERRORS.update(
    {
        (f"{_WMT20}xinhua-zh-01.6382", "name.unsupported", "Qian Delong"): (
            "source paragraph 19 names the economist 杨德龙 (Yang Delong, as reference A writes)"
        ),
        (f"{_WMT20}xinhua-zh-01.6514", "number.unsupported", "20th"): (
            "source paragraph 1 dates the signing 27日; reference A: 'on the 20th' (B: the 27th)"
        ),
        (f"{_WMT20}xinhua-zh-01.6514", "number.unsupported", "four"): (
            "source paragraph 8 cuts the steps to 3个环节; reference B: 'four processes'"
        ),
    }
)
#: Real errors of the ``fresh-7`` references (the WMT17 set), read and checked against the
#: Chinese in round 9, before any rule changed
#: (``evals/external/wmt17-zhen-fresh-7/false_alarms_review.md``).
VERIFIED_TRUE_ERRORS.update(
    {
        ("wmt17.zh-en.line-1340", "number.unsupported", "2016"): (
            "source paragraph 3 says 自2012年6月起 (since June 2012, as reference A writes); "
            "reference B: since June 2016"
        ),
    }
)
#: Real errors of the ``fresh-8`` references (the second WMT17 set), read and checked against the
#: Chinese in round 10, before any rule changed
#: (``evals/external/wmt17-zhen-fresh-8/false_alarms_review.md``).
VERIFIED_TRUE_ERRORS.update(
    {
        ("wmt17.zh-en.line-0365", "number.unsupported", "57.59"): (
            "source paragraph 7 times the leg 1分57秒79 (1:57.79, as reference A writes); "
            "reference B: 57.59 seconds"
        ),
    }
)


@dataclass(frozen=True)
class Pair:
    name: str
    source: list[str]
    english: list[str]
    #: ``fresh-3``, ``fresh-2-held``, ``fresh-2-tune``, ``fresh``, ``held-out`` or ``tune``.
    split: str

    @property
    def document(self) -> str:
        return self.name.split("/")[0]


def _load_splits() -> dict[str, str]:
    recorded = json.loads(SPLITS_FILE.read_text(encoding="utf-8"))
    return {
        identifier: split
        for name, value in recorded.items()
        if isinstance(value, dict)
        for split, identifiers in value.items()
        for identifier in identifiers
    }


_SPLIT_OF = _load_splits()


def split_of(document: str) -> str:
    """A document's recorded split; a document without one is refused, never guessed."""
    try:
        return _SPLIT_OF[document]
    except KeyError:
        raise SystemExit(f"{document} has no split in {SPLITS_FILE}") from None


def fresh_2_split(document: str) -> str:
    """The half of the WMT21 set a document is in, by the rule of ``evals/splits.json``: the
    design half ``fresh-2-tune`` when the first byte of SHA-256 over the UTF-8 id is even, the
    report half ``fresh-2-held`` when it is odd. Fixed before any of its flags was read."""
    even = hashlib.sha256(document.encode("utf-8")).digest()[0] % 2 == 0
    return "fresh-2-tune" if even else "fresh-2-held"


def built_examples(name: str) -> tuple[Example, ...]:
    """An external set's examples, or none when it is not built here (one line says how)."""
    try:
        return load_set(name).examples
    except GoldSetNotBuiltError as error:
        print(f"not built: {name} (its split is left out): {error.build}")
        return ()


def human_pairs() -> list[Pair]:
    """Every human reference with its source; the fresh documents come after the others, then
    the fresh-2 to fresh-9 ones, each after the ones before, so the seeded errors planted in the
    other splits are the same as before the later sets existed. The fresh-2, fresh-3 and fresh-9
    sets have one reference (A) per document, the others two (A and B)."""
    pairs = []
    (seed,) = load_set("seed").examples
    pairs.append(Pair(seed.id, list(seed.source_clean), seed.translations()[0], split_of(seed.id)))
    for example in (example for name in SETS for example in load_set(name)):
        source = example.source.split("\n")
        for label, reference in zip("AB", example.translations(), strict=True):
            pairs.append(Pair(f"{example.id}/{label}", source, reference, split_of(example.id)))
    for example in load_set(FRESH_SET):
        if example.extra.get("split") != "fresh":
            raise SystemExit(f"{example.id} of {FRESH_SET} is not marked split 'fresh'")
        source = example.source.split("\n")
        for label, reference in zip("AB", example.translations(), strict=True):
            pairs.append(Pair(f"{example.id}/{label}", source, reference, "fresh"))
    for example in built_examples(FRESH_2_SET):
        if example.extra.get("split") != "fresh-2":
            raise SystemExit(f"{example.id} of {FRESH_2_SET} is not marked split 'fresh-2'")
        (reference,) = example.translations()
        source = example.source.split("\n")
        pairs.append(Pair(f"{example.id}/A", source, reference, fresh_2_split(example.id)))
    for example in built_examples(FRESH_3_SET):
        if example.extra.get("split") != FRESH_3:
            raise SystemExit(f"{example.id} of {FRESH_3_SET} is not marked split {FRESH_3!r}")
        (reference,) = example.translations()
        pairs.append(Pair(f"{example.id}/A", example.source.split("\n"), reference, FRESH_3))
    for name, split in (
        (FRESH_4_SET, FRESH_4),
        (FRESH_5_SET, FRESH_5),
        (FRESH_6_SET, FRESH_6),
        (FRESH_7_SET, FRESH_7),
        (FRESH_8_SET, FRESH_8),
    ):
        for example in built_examples(name):
            if example.extra.get("split") != split:
                raise SystemExit(f"{example.id} of {name} is not marked split {split!r}")
            source = example.source.split("\n")
            for label, reference in zip("AB", example.translations(), strict=True):
                pairs.append(Pair(f"{example.id}/{label}", source, reference, split))
    for example in built_examples(FRESH_9_SET):
        if example.extra.get("split") != FRESH_9:
            raise SystemExit(f"{example.id} of {FRESH_9_SET} is not marked split {FRESH_9!r}")
        references = example.translations()
        if len(references) != 1:
            raise SystemExit(
                f"{example.id} of {FRESH_9_SET} has {len(references)} references; "
                f"split {FRESH_9!r} has one (A) per document"
            )
        pairs.append(Pair(f"{example.id}/A", example.source.split("\n"), references[0], FRESH_9))
    return pairs


Corruption = Callable[[Pair, random.Random, list[Pair]], Iterator[list[str]]]

_NUMBER = re.compile(r"(?<![\w.:-])\d+(?:,\d{3})*(?:\.\d+)?(?![\w-])")
_NUMBER_WORDS = {
    "three": "four",
    "four": "five",
    "five": "six",
    "six": "seven",
    "seven": "eight",
    "eight": "nine",
    "nine": "ten",
    "ten": "eleven",
    "twenty": "thirty",
}


def _replace_at(text: str, start: int, end: int, new: str) -> str:
    return text[:start] + new + text[end:]


def change_number(pair: Pair, rng: random.Random, _: list[Pair]) -> Iterator[list[str]]:
    spots = [
        (i, m.start(), m.end(), m.group())
        for i, p in enumerate(pair.english)
        for m in _NUMBER.finditer(p)
    ]
    words = [
        (i, m.start(), m.end(), m.group())
        for i, p in enumerate(pair.english)
        for m in re.finditer(r"\b(" + "|".join(_NUMBER_WORDS) + r")\b", p)
    ]
    candidates = spots + words
    rng.shuffle(candidates)
    for index, start, end, old in candidates:
        if old in _NUMBER_WORDS:
            new = _NUMBER_WORDS[old]
        else:
            value = float(old.replace(",", ""))
            delta = rng.choice([1, 2, 3, 5, 10])
            new_value = value + delta
            new = f"{new_value:g}" if "." in old else str(int(new_value))
        english = list(pair.english)
        english[index] = _replace_at(english[index], start, end, new)
        yield english


def change_date(pair: Pair, rng: random.Random, _: list[Pair]) -> Iterator[list[str]]:
    found = [(i, text) for i, p in enumerate(pair.english) for text, _m, _d in dates_en(p)]
    rng.shuffle(found)
    for index, text in found:
        day = re.search(r"\d{1,2}", text)
        assert day is not None
        old = int(day.group())
        new = old + rng.choice([1, 2, 3]) if old <= 27 else old - rng.choice([1, 2, 3])
        english = list(pair.english)
        english[index] = english[index].replace(
            text, _replace_at(text, day.start(), day.end(), str(new)), 1
        )
        yield english


_MONTH_NAMES = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip


def change_month(pair: Pair, rng: random.Random, _: list[Pair]) -> Iterator[list[str]]:
    """A date's month changed, its day kept ("May 20" -> "October 20")."""
    found = [(i, text) for i, p in enumerate(pair.english) for text, _m, _d in dates_en(p)]
    rng.shuffle(found)
    for index, text in found:
        month = re.search("|".join(m[:3] for m in _MONTH_NAMES), text, re.IGNORECASE)
        if month is None:
            continue
        whole = re.match(r"[A-Za-z]+\.?", text[month.start() :])
        assert whole is not None
        old = month.group().title()
        new = rng.choice([m for m in _MONTH_NAMES if not m.startswith(old)])
        changed = text[: month.start()] + new + text[month.start() + len(whole.group()) :]
        english = list(pair.english)
        english[index] = english[index].replace(text, changed, 1)
        yield english


_RANGE_END = re.compile(
    r"(?P<head>\b(?:(?:" + "|".join(m[:3] for m in _MONTH_NAMES) + r")[a-z]*\.?\s+)?"
    r"(?:the\s+)?\d{1,2}(?P<s1>st|nd|rd|th)?(?:\s+day)?\s*(?:-|–|—|to|and|through|until)\s*"
    r"(?:the\s+)?)(?P<end>\d{1,2})(?P<s2>st|nd|rd|th)?\b"
)


def _ordinal(number: int) -> str:
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


def change_range_end(pair: Pair, rng: random.Random, _: list[Pair]) -> Iterator[list[str]]:
    """The second day of a date range changed to a number stated elsewhere in the document."""
    whole = "\n".join(pair.source)
    elsewhere = sorted({int(n) for n in re.findall(r"(?<!\d)\d{1,2}(?!\d)", whole)})
    found = [
        (i, m)
        for i, p in enumerate(pair.english)
        for m in _RANGE_END.finditer(p)
        if m.group("s1") or m.group("s2") or re.match(r"[A-Z]", m.group("head"))
    ]
    rng.shuffle(found)
    for index, match in found:
        old = int(match.group("end"))
        choices = [n for n in elsewhere if n != old and 1 <= n <= 31] or [old % 28 + 1]
        new = rng.choice(choices)
        english = list(pair.english)
        english[index] = _replace_at(
            english[index],
            match.start("end"),
            match.end("s2") if match.group("s2") else match.end("end"),
            _ordinal(new) if match.group("s2") else str(new),
        )
        yield english


def _verified_names(pair: Pair) -> list[tuple[int, str]]:
    """(paragraph, "Surname Given") for name pairs the check itself finds in the source."""
    whole = "\n".join(pair.source)
    return [
        (number, name)
        for number, paragraph in enumerate(pair.english)
        for name in verified_names(paragraph, whole)
    ]


def _people(pair: Pair, names: list[tuple[int, str]]) -> dict[str, frozenset[int]]:
    """Each name -> where it reads in the source: the person it names. Two spellings of one
    person ("Wang Zhian", "Wang Zhi'an" for 王志安) read at the same places."""
    index = pinyin_index("\n".join(pair.source))
    return {name: index.pair_positions(*name.split(" ", 1)) for _, name in names}


def swap_name(pair: Pair, rng: random.Random, _: list[Pair]) -> Iterator[list[str]]:
    """A name replaced by the name of another person of the document (round 9: never by another
    spelling of the same person, which is no error), else by an invented name."""
    names = _verified_names(pair)
    rng.shuffle(names)
    distinct = sorted({name for _, name in names})
    people = _people(pair, names)
    for index, name in names:
        others = [other for other in distinct if not people[other] & people[name]]
        replacement = rng.choice(others) if others else rng.choice(INVENTED_NAMES)
        english = list(pair.english)
        english[index] = english[index].replace(name, replacement, 1)
        yield english


def misspell_name(pair: Pair, rng: random.Random, _: list[Pair]) -> Iterator[list[str]]:
    names = _verified_names(pair)
    rng.shuffle(names)
    for index, name in names:
        surname, given = name.split(" ", 1)
        word = given if len(given) >= 3 else surname
        if len(word) < 3:  # "Wu Yi": no two inner letters to swap
            continue
        position = rng.randrange(1, len(word) - 1)
        swapped = word[:position] + word[position + 1] + word[position] + word[position + 2 :]
        if swapped == word or {"'", "’"} & set(word[position : position + 2]):
            continue  # round 9: an apostrophe moved ("Zhi'an" -> "Zh'ian") is no letter swapped
        english = list(pair.english)
        english[index] = english[index].replace(name, name.replace(word, swapped, 1), 1)
        yield english


def drop_paragraph(pair: Pair, rng: random.Random, _: list[Pair]) -> Iterator[list[str]]:
    order = list(range(len(pair.english)))
    rng.shuffle(order)
    for index in order:
        yield pair.english[:index] + pair.english[index + 1 :]


_SENTENCE = re.compile(r"[^.!?]+[.!?]")


def insert_sentence(pair: Pair, rng: random.Random, pool: list[Pair]) -> Iterator[list[str]]:
    """A sentence of another document appended to a paragraph. Fresh-9 documents take donors
    from every other document, fresh-8 ones from every other document but the fresh-9 ones,
    fresh-7 ones from every other document but the fresh-8 and fresh-9 ones, and so on: each
    split's donors leave out every split added after it (fresh ones every fresh-2 to fresh-9
    one, the others take the other tune and held-out documents only), so their copies are the
    ones measured before the later sets existed."""
    fresh_2 = set(FRESH_2_SPLITS)
    later = (FRESH_3, FRESH_4, FRESH_5, FRESH_6, FRESH_7, FRESH_8, FRESH_9)
    barred = {
        **{split: set(later[index + 1 :]) for index, split in enumerate(later)},
        "fresh": {*fresh_2, *later},
        **{split: set(later) for split in fresh_2},
    }.get(pair.split, {"fresh", *fresh_2, *later})
    others = [p for p in pool if p.document != pair.document and p.split not in barred]
    sentences = [
        s.strip()
        for donor in others
        for p in donor.english
        for s in _SENTENCE.findall(p)
        if 8 <= len(s.split()) <= 30
    ]
    order = list(range(len(pair.english)))
    rng.shuffle(order)
    for index in order:
        english = list(pair.english)
        english[index] = english[index].rstrip() + " " + rng.choice(sentences)
        yield english


def leave_untranslated(pair: Pair, rng: random.Random, _: list[Pair]) -> Iterator[list[str]]:
    order = list(range(len(pair.english)))
    rng.shuffle(order)
    for index in order:
        chinese = [s for s in re.findall(r"[^。！？]+[。！？]?", pair.source[index]) if s.strip()]
        english_sentences = _SENTENCE.findall(pair.english[index]) or [pair.english[index]]
        english = list(pair.english)
        if len(chinese) > 1 and len(english_sentences) > 1:  # one sentence of a paragraph
            english[index] = pair.english[index].replace(english_sentences[0], chinese[0], 1)
        else:
            english[index] = pair.source[index]
        yield english


KINDS: dict[str, tuple[Corruption, tuple[str, ...]]] = {
    "number changed": (change_number, ("number.",)),
    "date changed": (change_date, ("date.", "number.")),
    "date month changed": (change_month, ("date.",)),
    "date range end changed": (change_range_end, ("date.", "number.")),
    "name swapped": (swap_name, ("name.",)),
    "name misspelled": (misspell_name, ("name.",)),
    "paragraph dropped": (drop_paragraph, ("translation.paragraph_count",)),
    "sentence inserted": (insert_sentence, ("length.", "sentence.", "number.", "name.", "date.")),
    "sentence untranslated": (leave_untranslated, ("english.untranslated",)),
}


Key = tuple[str, int | None, str]


def _generator(shared: random.Random, seed: int, kind: str, pair: Pair) -> random.Random:
    """The generator a reference's planted errors come from: one per reference for the splits
    in ``OWN_GENERATOR``, else the one the kind shares across the other splits."""
    if pair.split in OWN_GENERATOR:
        return random.Random(f"{seed}:{kind}:{pair.name}")
    return shared


def _keys(pair: Pair, english: list[str]) -> set[Key]:
    return _flag_keys(pair, english)[0]


def _flag_keys(pair: Pair, english: list[str]) -> tuple[set[Key], set[Key]]:
    """(every flag, the flags the strong-evidence view counts: ``grounding.strong_evidence``)."""
    flags = check_translation_grounding(english, pair.source)
    return (
        {(f.code, f.paragraph, f.text) for f in flags},
        {(f.code, f.paragraph, f.text) for f in strong_evidence(flags)},
    )


def misses(kind: str, per_kind: int, seed: int, split: str, limit: int = 12) -> None:
    """Print undetected corruptions of one kind in one split (study the tune split only)."""
    corrupt, _codes = KINDS[kind]
    shared = random.Random(f"{seed}:{kind}")
    pairs = human_pairs()
    shown = 0
    for pair in pairs:
        if pair.split in OWN_GENERATOR and pair.split != split:
            continue
        clean = _keys(pair, pair.english) if pair.split == split else set()
        for count, english in enumerate(corrupt(pair, _generator(shared, seed, kind, pair), pairs)):
            if count >= per_kind:
                break
            if pair.split == split and not (_keys(pair, english) - clean) and shown < limit:
                shown += 1
                changed = [
                    i for i, (a, b) in enumerate(zip(english, pair.english, strict=False)) if a != b
                ]
                where = changed[0] if changed else len(english) - 1
                print(f"MISSED {pair.name} [{where}]: {english[where][:240]}")
                print(f"   source: {pair.source[where][:120]}")


def detection(
    pairs: list[Pair],
    clean: dict[str, set[Key]],
    per_kind: int,
    seed: int,
    splits: tuple[str, ...] = SPLITS,
    clean_evidence: dict[str, set[Key]] | None = None,
) -> dict[str, dict[str, tuple[int, ...]]]:
    """split -> kind -> (copies, detected by any new flag, detected by the intended check,
    detected by new strong evidence), for the splits named; the others' copies are drawn (so the
    shared generator advances as in a full run) but not checked. The last count needs
    ``clean_evidence`` (the untouched references' strong-evidence flags), else it stays 0."""
    counts: dict[str, dict[str, list[int]]] = {
        split: {kind: [0, 0, 0, 0] for kind in KINDS} for split in SPLITS
    }
    for kind, (corrupt, codes) in KINDS.items():
        shared = random.Random(f"{seed}:{kind}")
        for pair in pairs:  # all pairs, in one order, so a split's copies do not depend on others
            if pair.split not in splits and pair.split in OWN_GENERATOR:
                continue
            rng = _generator(shared, seed, kind, pair)
            for count, english in enumerate(corrupt(pair, rng, pairs)):
                if count >= per_kind:
                    break
                if pair.split not in splits:
                    continue
                found, evidence = _flag_keys(pair, english)
                new = found - clean[pair.name]
                row = counts[pair.split][kind]
                row[0] += 1
                row[1] += bool(new)
                row[2] += any(code.startswith(codes) for code, _, _ in new)
                if clean_evidence is not None:
                    row[3] += bool(evidence - clean_evidence[pair.name])
    return {split: {kind: tuple(c) for kind, c in kinds.items()} for split, kinds in counts.items()}


def _share(part: int, whole: int) -> float:
    return part / whole if whole else float("nan")


def print_strong_view(
    split: str,
    results: list[dict[str, dict[str, tuple[int, ...]]]],
    pairs: list[Pair],
    clean_evidence: dict[str, set[Key]],
) -> None:
    """The strong-evidence view beside the default decision (round 8): a reference is flagged
    only by flags ``grounding.strong_evidence`` counts. One line of false alarms, and per kind
    the worst-seed detection by new strong evidence against that by any new flag."""
    members = [p for p in pairs if p.split == split]
    alarmed = [
        p
        for p in members
        if any(_verified_reason(p, key) is None for key in clean_evidence[p.name])
    ]
    cells = []
    for kind in KINDS:
        rows = [result[split][kind] for result in results]
        if not sum(r[0] for r in rows):
            continue
        any_flag = min(rows, key=lambda r: _share(r[1], r[0]))
        strong = min(rows, key=lambda r: _share(r[3], r[0]))
        strong_share, any_share = _share(strong[3], strong[0]), _share(any_flag[1], any_flag[0])
        cells.append(f"{kind} {strong_share:.1%} (any flag {any_share:.1%})")
    print(
        f"Strong-evidence view ({split}; not the default decision): false alarms without verified "
        f"true errors {len(alarmed)}/{len(members)} = {_share(len(alarmed), len(members)):.1%}; "
        f"worst-seed detection: {'; '.join(cells)}"
    )


def print_detection(split: str, results: list[dict[str, dict[str, tuple[int, ...]]]]) -> None:
    seeds = len(results)
    print(
        f"| error kind ({split}) | copies | detected (any new flag) | by its intended check "
        f"| {'worst seed | ' if seeds > 1 else ''}target |"
    )
    print(f"|---|---:|---:|---:|{'---:|' if seeds > 1 else ''}---|")
    for kind in KINDS:
        rows = [result[split][kind] for result in results]
        total = sum(r[0] for r in rows)
        share = _share(sum(r[1] for r in rows), total)
        worst_row = min(rows, key=lambda r: _share(r[1], r[0]))
        worst = _share(worst_row[1], worst_row[0])
        intended = _share(sum(r[2] for r in rows), total)
        judged = worst if seeds > 1 else share  # the target holds for the worst seed
        verdict = (
            "n/a (no copies)" if not total else ("met" if judged >= TARGET_DETECTED else "MISSED")
        )
        if not total:  # a split with no copies of this kind: no share to print
            share_text = intended_text = worst_text = "–"
        else:
            share_text, intended_text = f"{share:.1%}", f"{intended:.1%}"
            worst_text = f"{worst:.1%} ({worst_row[1]}/{worst_row[0]})"
        print(
            f"| {kind} | {total} | {share_text} | {intended_text} | "
            f"{f'{worst_text} | ' if seeds > 1 else ''}"
            f"{verdict} (>= {TARGET_DETECTED:.0%}"
            f"{', worst seed' if seeds > 1 else ''}) |"
        )


def print_false_alarms(
    split: str, pairs: list[Pair], clean: dict[str, set[Key]], *, details: bool = True
) -> None:
    members = [p for p in pairs if p.split == split]
    raw = [p for p in members if clean[p.name]]
    unexplained = [
        p for p in members if any(_verified_reason(p, key) is None for key in clean[p.name])
    ]
    paragraphs = sum(len(p.english) for p in members)
    flagged = sum(len({paragraph for _, paragraph, _ in clean[p.name]}) for p in members)
    print(
        f"False alarms on untouched references ({split}): raw {len(raw)}/{len(members)} documents"
        f" = {_share(len(raw), len(members)):.1%}; without verified true errors "
        f"{len(unexplained)}/{len(members)} = {_share(len(unexplained), len(members)):.1%} "
        f"(target <= {TARGET_FALSE_ALARMS:.0%}: "
        f"{'met' if _share(len(unexplained), len(members)) <= TARGET_FALSE_ALARMS else 'MISSED'})"
        f"; raw {flagged}/{paragraphs} paragraphs = {_share(flagged, paragraphs):.1%}"
    )
    for pair in raw if details else []:
        for code, paragraph, text in sorted(clean[pair.name], key=str):
            reason = _verified_reason(pair, (code, paragraph, text))
            label = f"VERIFIED TRUE ERROR: {reason}" if reason else "FALSE ALARM"
            print(f"  {pair.name}: {code} {text!r} (paragraph {paragraph}) {label}")


def _verified_reason(pair: Pair, key: Key) -> str | None:
    code, _paragraph, text = key
    hashed = "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    return VERIFIED_TRUE_ERRORS.get((pair.document, code, text)) or VERIFIED_TRUE_ERRORS.get(
        (pair.document, code, hashed)
    )


#: The share of human paragraphs the length check may flag, from which its factors are set.
LENGTH_BUDGET = 0.001


@dataclass(frozen=True)
class LengthModel:
    """What ``summarizer.eval.checks.lengths`` is set from, measured on one split."""

    paragraphs: int
    #: least-squares fit of (ratio - 1)^2 = per_word / expected words + floor
    variance_per_word: float
    variance_floor: float
    #: the largest deviation of a paragraph above its prediction, in standard deviations
    largest_deviations: float
    #: the more-sentences factor: the quantile of the ratios of paragraphs with more sentences
    #: than their source that leaves ``LENGTH_BUDGET`` of all paragraphs above it
    more_sentences_factor: float


def length_model(split: str, budget: float = LENGTH_BUDGET) -> LengthModel:
    """The length model the human references of ``split`` give. Run on the design half only."""
    ratios, expected, with_more_sentences = [], [], []
    for pair in (p for p in human_pairs() if p.split == split):
        for ratio, more, words in length_ratios(pair.english, pair.source):
            ratios.append(ratio)
            expected.append(words)
            if more:
                with_more_sentences.append(ratio)
    ratio_array, expected_array = numpy.array(ratios), numpy.array(expected)
    design = numpy.vstack([1 / expected_array, numpy.ones_like(expected_array)]).T
    per_word, floor = numpy.linalg.lstsq(design, (ratio_array - 1) ** 2, rcond=None)[0]
    deviations = (ratio_array - 1) / numpy.sqrt(per_word / expected_array + floor)
    share = min(1.0, budget * len(ratios) / len(with_more_sentences))
    return LengthModel(
        paragraphs=len(ratios),
        variance_per_word=float(per_word),
        variance_floor=float(floor),
        largest_deviations=float(deviations.max()),
        more_sentences_factor=float(numpy.quantile(with_more_sentences, 1 - share)),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description="Meta-evaluation of the reference-free checks.")
    parser.add_argument("--per-kind", type=int, default=5, help="corrupted copies per reference")
    parser.add_argument(
        "--seeds", default="1", help="comma-separated seeds of the planted errors (default 1)"
    )
    parser.add_argument("--seed", type=int, help="a single seed (same as --seeds N)")
    parser.add_argument("--show-misses", metavar="KIND", help="print undetected copies of KIND")
    parser.add_argument(
        "--split", choices=SPLITS, default="tune", help="split whose misses --show-misses prints"
    )
    parser.add_argument(
        "--splits",
        default=",".join(SPLITS),
        help=f"comma-separated splits to compute and print (default {','.join(SPLITS)})",
    )
    parser.add_argument(
        "--length-factors",
        metavar="SPLIT",
        help="print the length factors the human references of SPLIT give, and stop",
    )
    parser.add_argument(
        "--aggregate-only",
        action="store_true",
        help="print the tables only, not the flags raised on untouched references (a blind run)",
    )
    args = parser.parse_args()
    seeds = [args.seed] if args.seed is not None else [int(s) for s in args.seeds.split(",")]
    if args.length_factors:
        model = length_model(args.length_factors)
        print(
            f"{args.length_factors}: {model.paragraphs} paragraphs; squared deviation of the "
            f"length ratio = {model.variance_per_word:.3f} / expected words + "
            f"{model.variance_floor:.4f}; largest deviation {model.largest_deviations:.2f} "
            f"standard deviations; more-sentences factor ({1 - LENGTH_BUDGET:.1%} of "
            f"paragraphs below it) {model.more_sentences_factor:.3f}"
        )
        return 0
    if args.show_misses:
        misses(args.show_misses, args.per_kind, seeds[0], args.split)
        return 0
    named = [split.strip() for split in args.splits.split(",")]
    # "fresh-2" names both halves of the WMT21 set
    splits = tuple(s for n in named for s in (FRESH_2_SPLITS if n == "fresh-2" else (n,)))
    unknown = sorted(set(splits) - set(SPLITS))
    if unknown:
        parser.error(f"unknown split(s) {', '.join(unknown)}; choose from {', '.join(SPLITS)}")
    pairs = human_pairs()
    flagged = {p.name: _flag_keys(p, p.english) for p in pairs if p.split in splits}
    clean = {name: keys for name, (keys, _evidence) in flagged.items()}
    evidence = {name: keys for name, (_keys_, keys) in flagged.items()}
    results = [detection(pairs, clean, args.per_kind, seed, splits, evidence) for seed in seeds]
    for split in (split for split in SPLITS if split in splits):
        members = [p for p in pairs if p.split == split]
        documents = sorted({p.document for p in members})
        print(
            f"## {split}: {len(members)} human translations of {len(documents)} documents "
            f"({sum(len(p.english) for p in members)} paragraphs); seeds {seeds}, "
            f"{args.per_kind} copies per reference and kind"
        )
        print()
        print_detection(split, results)
        print()
        print_false_alarms(split, pairs, clean, details=not args.aggregate_only)
        print_strong_view(split, results, pairs, evidence)
        print()
    return 0


if __name__ == "__main__":
    from benchdoc import documented  # benchmarks/ is on sys.path when a script runs

    with documented("meta_eval"):
        raise SystemExit(main())
