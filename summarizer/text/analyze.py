"""Placeholder until analysis lands (owned by the analysis work)."""

from summarizer.text.document import Analysis, Document


def analyze(document: Document) -> Analysis:
    return Analysis()
