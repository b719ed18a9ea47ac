"""Whether a paper's latest arXiv version is a withdrawal, from what a record says of it.

arXiv never removes an announced paper. A withdrawal is a new version that
gives the reason in its Comments field and has no full text; the earlier
versions stay readable (https://info.arxiv.org/help/withdraw.html). So two
signs tell one:

- arXivRaw's version history: the withdrawn version's source is empty, shown
  as ``<size>0kb</size>``, or its source type holds ``I`` ("ignore": no paper),
  the rule arXiv's own abstract pages apply (arxiv-browse,
  ``browse/services/documents/fs_implementation/parse_abs.py``:
  ``is_withdrawn = kb == 0 or source_type.ignore``);
- the comment, the only sign the arXiv API, the OAI ``arXiv`` format and the
  listings carry. arXiv's example reads "This paper has been withdrawn", and
  authors word it freely ("Withdrawn due to an error in Lemma 2", "The authors
  have withdrawn this manuscript", "This submission has been withdrawn by
  arXiv administrators ..."). A comment also mentions withdrawals that are
  not this paper's: "withdrawn from the conference", "replaces the withdrawn
  arXiv:2407.18191", "a previous version of this paper was withdrawn",
  "Section 6 is withdrawn". So a comment counts only when one of its clauses
  announces the paper itself withdrawn (``is_withdrawal_notice``).
"""

from __future__ import annotations

import re

__all__ = ["is_withdrawal_notice", "is_withdrawn_source"]

_VERB = r"(?:withdrawn|retracted|removed\s+by\s+arxiv)"
_THIS_PAPER = (
    r"\b(?:this|the|our|my)\s+(?:(?:current|present|latest|whole|entire)\s+)?"
    r"(?:paper|article|submission|manuscript|preprint|e-?print|work|version|report|note|draft)"
)
# "this paper has been withdrawn", "the current version is being withdrawn",
# "this work be withdrawn", and arXiv's own "has been removed by arXiv administrators".
# ("as been" is a misspelling that occurs.)
_STATED = re.compile(
    _THIS_PAPER + r"\s+(?:(?:has|have|had|as)\s+(?:now\s+)?been|is(?:\s+being)?|was|be"
    r"|will\s+be|must\s+be|should\s+be|needs?\s+to\s+be)\s+(?:(?:now|hereby|formally)\s+)?" + _VERB,
    re.IGNORECASE,
)
# "we withdraw this paper", "the authors have withdrawn this manuscript",
# "we have decided to withdraw the manuscript", "the author withdrew the paper".
_DONE_BY_AUTHORS = re.compile(
    r"\b(?:we|i|the\s+authors?)\s+(?:(?:have|has|had)\s+)?"
    r"(?:(?:decided|chosen|wish|want|would\s+like|need)\s+to\s+)?"
    r"(?:withdraw|withdrew|withdrawn|retract|retracted)" + r"\s+" + _THIS_PAPER.removeprefix(r"\b"),
    re.IGNORECASE,
)
# "I request the withdrawal of this paper", "hence I seek withdrawal of my submission".
_REQUESTED = re.compile(
    r"\b(?:request|seek|ask\s+for)(?:s|ed|ing)?\s+(?:the\s+)?withdrawal\s+of\s+"
    + _THIS_PAPER.removeprefix(r"\b"),
    re.IGNORECASE,
)
# A clause that starts with the notice: "Withdrawn", "Withdrawn due to ...",
# "Paper withdrawn by the authors", "Retracted.", "Withdrawal due to errors: ...".
_LEADING = re.compile(
    r"(?:(?:this\s+)?(?:paper|article|submission|manuscript|preprint|version)\s+)?"
    r"(?:withdrawn|withdrawal|retracted)"
    r"(?=\s*$|\s*[.:,()\]\-–—]|\s+(?:by|due|because|since|for|pending|owing|at\s+the\s+request)\b)",
    re.IGNORECASE,
)
# What a clause may start with before the notice: "v2:", "arXiv admin note:", "Update -".
_CLAUSE_LEAD = re.compile(
    r"^[\s\"'(\[{*]*(?:(?:v\d+|update|note|comments?|arxiv\s+admin\s+note)\s*[:\-–]\s*)?",
    re.IGNORECASE,
)
_CLAUSES = re.compile(r"(?<=[.!?])\s+|[;\n]|\s+[-–—]\s+")
# After the verb: withdrawn *from* a venue, or retracted *by* a journal, is not arXiv's.
_ELSEWHERE = re.compile(
    r"\s+(?:from\b(?!\s+(?:the\s+)?arxiv)"
    r"|by\s+(?:the\s+)?(?:journal|publisher|editors?|conference|organi[sz]ers)\b)",
    re.IGNORECASE,
)
_OF_BEFORE = re.compile(r"\bof\s*$", re.IGNORECASE)  # "a previous version of this paper ..."
_SIZE = re.compile(r"\s*(\d+)\s*kb\s*", re.IGNORECASE)


def is_withdrawal_notice(comment: str | None) -> bool:
    """Whether an arXiv comment announces this paper withdrawn (see the module's docstring).

    True for "Withdrawn", "This paper has been withdrawn by the author due to an
    error", "The authors have withdrawn this manuscript", "v2: withdrawn, replaced
    by arXiv:2504.01234"; False for "withdrawn from the conference", "supersedes
    arXiv:2011.10199, which has been withdrawn", "A previous version of this paper
    was withdrawn", and every comment that does not say withdrawn, retracted or
    removed by arXiv.
    """
    if not comment or not re.search(r"withdr|retract|removed", comment, re.IGNORECASE):
        return False
    return any(_clause_is_notice(clause) for clause in _CLAUSES.split(comment))


def is_withdrawn_source(size: str | None, source_type: str | None) -> bool:
    """Whether arXivRaw's ``<size>`` and ``<source_type>`` of a version mark it withdrawn:
    an empty source (``0kb``) or a source type holding ``I`` (arxiv-browse's rule)."""
    sized = _SIZE.fullmatch(size or "")
    return (sized is not None and int(sized.group(1)) == 0) or "I" in (source_type or "")


def _clause_is_notice(clause: str) -> bool:
    lead = _CLAUSE_LEAD.match(clause)
    text = clause[lead.end() :] if lead else clause
    leading = _LEADING.match(text)
    if leading is not None and not _ELSEWHERE.match(text, leading.end()):
        return True
    for pattern in (_STATED, _DONE_BY_AUTHORS, _REQUESTED):
        for found in pattern.finditer(text):
            if _OF_BEFORE.search(text, 0, found.start()):
                continue  # the withdrawn one is something "of" this paper
            if not _ELSEWHERE.match(text, found.end()):
                return True
    return False
