"""BibTeX for papers in arXiv's own export style, one entry or a whole list:

@misc{2401.12345,
      title={A Title},
      author={Ada Lovelace and Alan Turing},
      year={2024},
      eprint={2401.12345},
      archivePrefix={arXiv},
      primaryClass={cs.LG},
      url={https://arxiv.org/abs/2401.12345},
}

These are the fields arXiv recommends for citing an e-print
(https://info.arxiv.org/help/faq/references.html). Every value is made safe
for TeX and for BibTeX's own reading: TeX's special characters are escaped
(``tex_escape``), accented letters stay as they are (the file is UTF-8, which
biber and BibTeX with ``inputenc`` read), and a value can never close its braces
early, so no text, however hostile, breaks out of its field or adds an entry.
A title's inline math (``$\\mu$P``), as arXiv writes it, stays math when its
braces balance.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from paperwire.model import Paper

__all__ = ["MEDIA_TYPE", "bibliography", "bibtex", "tex_escape"]

MEDIA_TYPE = "application/x-bibtex; charset=utf-8"

# TeX's special characters (The TeXbook, chapter 7), each as text in any TeX font
# encoding. Braces become commands, not "\{": BibTeX counts a brace even after a
# backslash, so one unpaired brace would end the field.
_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_SPECIAL = re.compile("[" + re.escape("".join(_SPECIALS)) + "]")
_MATH = re.compile(r"\$[^$]+\$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_COMMAND = re.compile(r"\\([A-Za-z@]+)")
# Commands that read or write files, run programs or redefine TeX: math holding one
# is escaped as text, since whoever compiles the file would run it.
_UNSAFE = frozenset(
    [
        "input",
        "include",
        "write",
        "immediate",
        "openin",
        "openout",
        "read",
        "readline",
        "def",
        "edef",
        "gdef",
        "xdef",
        "let",
        "catcode",
        "csname",
        "expandafter",
        "newcommand",
        "renewcommand",
        "providecommand",
        "usepackage",
        "special",
        "directlua",
        "write18",
        "end",
        "endinput",
        "jobname",
        "loop",
        "shipout",
        "everyjob",
    ]
)


def tex_escape(text: str, *, keep_math: bool = False) -> str:
    """``text`` on one line as TeX reads it literally.

    With ``keep_math`` (a title as arXiv writes it), each ``$...$`` whose braces
    balance and that runs no file or definition command stays math, and braces
    are kept where they pair (they protect a word's capitals) and dropped where
    they do not; everything else is escaped.
    """
    flat = " ".join(_CONTROL.sub(" ", text).split())
    if not keep_math:
        return _escape(flat)
    flat = _balance_braces(flat)
    out, at = [], 0
    for found in _MATH.finditer(flat):
        out.append(_escape(flat[at : found.start()], braces=False))
        math = found.group()
        out.append(math if _safe_math(math) else _escape(math, braces=False))
        at = found.end()
    out.append(_escape(flat[at:], braces=False))
    return "".join(out)


def _escape(text: str, braces: bool = True) -> str:
    return _SPECIAL.sub(
        lambda m: m.group() if not braces and m.group() in "{}" else _SPECIALS[m.group()], text
    )


def bibtex(paper: Paper, note: str = "") -> str:
    """One ``@misc`` entry for ``paper``, keyed by its id, with ``note`` when given."""
    fields = [
        ("title", tex_escape(paper.title, keep_math=True)),
        ("author", " and ".join(_name(a.name) for a in paper.authors)),
    ]
    day = paper.published or paper.listed_on
    if day is not None:
        fields.append(("year", str(day.year)))
    if paper.is_arxiv:
        fields += [("eprint", paper.id), ("archivePrefix", "arXiv")]
        primary = paper.primary_category or (paper.categories[0] if paper.categories else None)
        if primary:
            fields.append(("primaryClass", tex_escape(primary)))
        fields.append(("url", paper.abs_url or ""))
    if note.strip():
        fields.append(("note", tex_escape(note)))
    lines = [f"@misc{{{_key(paper.id)},"]
    lines += [f"      {name}={{{value}}}," for name, value in fields if value]
    lines.append("}")
    return "\n".join(lines)


def bibliography(papers: Iterable[Paper], notes: Mapping[str, str] | None = None) -> str:
    """The entries of ``papers`` in order, a blank line between them; each paper's note
    from ``notes`` (by paper id) goes in its ``note`` field."""
    notes = notes or {}
    entries = [bibtex(paper, notes.get(paper.id, "")) for paper in papers]
    return "\n\n".join(entries) + "\n" if entries else ""


def _name(name: str) -> str:
    # "and" inside a name would split it into two authors: brace it as one word.
    escaped = tex_escape(name)
    return re.sub(r"(?<!\S)and(?!\S)", "{and}", escaped)


def _key(paper_id: str) -> str:
    # A key may not hold spaces, commas, braces, quotes, "#", "%" or "="; arXiv ids never do.
    return "".join(c for c in paper_id if c.isprintable() and c not in " ,{}\"#%='()\\") or "paper"


def _balance_braces(text: str) -> str:
    """``text`` with its unpaired braces dropped (a pair may hold a math segment)."""
    depth, kept = 0, []
    for char in text:
        if char == "{":
            depth += 1
        elif char == "}":
            if depth == 0:
                continue
            depth -= 1
        kept.append(char)
    out = "".join(kept)
    while depth:  # drop the last unmatched opening braces
        index = out.rfind("{")
        out = out[:index] + out[index + 1 :]
        depth -= 1
    return " ".join(out.split())


def _safe_math(math: str) -> bool:
    commands = {c.lower() for c in _COMMAND.findall(math)}
    return _balanced(math) and not commands & _UNSAFE and "@" not in commands


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0
