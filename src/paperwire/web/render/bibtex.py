"""BibTeX for a paper in arXiv's own export style:

@misc{2401.12345,
      title={A Title},
      author={Ada Lovelace and Alan Turing},
      year={2024},
      eprint={2401.12345},
      archivePrefix={arXiv},
      primaryClass={cs.LG},
      url={https://arxiv.org/abs/2401.12345},
}
"""

from __future__ import annotations

from paperwire.model import Paper

__all__ = ["bibtex"]


def bibtex(paper: Paper) -> str:
    fields = [
        ("title", _clean(paper.title)),
        ("author", " and ".join(_clean(a.name) for a in paper.authors)),
    ]
    day = paper.published or paper.listed_on
    if day is not None:
        fields.append(("year", str(day.year)))
    if paper.is_arxiv:
        fields += [("eprint", paper.id), ("archivePrefix", "arXiv")]
        primary = paper.primary_category or (paper.categories[0] if paper.categories else None)
        if primary:
            fields.append(("primaryClass", primary))
        fields.append(("url", paper.abs_url or ""))
    lines = [f"@misc{{{_key(paper.id)},"]
    lines += [f"      {name}={{{value}}}," for name, value in fields if value]
    lines.append("}")
    return "\n".join(lines)


def _key(paper_id: str) -> str:
    # A key may not hold spaces, commas or braces; arXiv ids never do, other ids might.
    return "".join(c for c in paper_id if c not in " ,{}\t\n") or "paper"


def _clean(text: str) -> str:
    """One line, braces balanced (an unbalanced brace would break the whole entry)."""
    flat = " ".join(text.split())
    depth, kept = 0, []
    for char in flat:
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
