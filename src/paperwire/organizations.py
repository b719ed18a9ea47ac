"""Organisation names: when two spellings are one organisation, and the name it is shown under.

Hugging Face's daily papers name an organisation by the free-text ``fullname``
its members gave it (their API field ``organization``), so one organisation
comes in several spellings: ``Zhejiang university`` beside ``Zhejiang University``,
``university of science and technology  of china``, ``UC Berkeley`` beside
``University of California, Berkeley``. Two rules make them one:

- names that differ only by case, white space or punctuation share a key
  (``organization_key``) and are one organisation;
- the alias table ``organizations.toml`` (in this package) gives the canonical
  name of the best-known organisations and the other names they go by
  (``canonical_organization``).

Ingest writes the canonical name (``paperwire.ingest.records.arxiv_paper``);
the store groups what it holds by ``organization_group`` when it counts
organisations, so spellings stored before, or not in the table, still end up as
one, whichever arrived first. Distinct organisations stay distinct: a team with
its own Hugging Face organisation (ByteDance Seed, Tencent Hunyuan, Microsoft
Research, Google DeepMind) is not its parent company.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

__all__ = [
    "AliasTableError",
    "Organization",
    "canonical_organization",
    "known_organization",
    "load_organizations",
    "organization_group",
    "organization_key",
    "organization_slug",
    "organization_spellings",
    "preferred_name",
    "same_organization",
]

_TABLE = "organizations.toml"


class AliasTableError(ValueError):
    """An alias table that cannot be used; the message names the file and the entry."""


@dataclass(frozen=True, slots=True)
class Organization:
    """One entry of the alias table: the name shown, and the other names it goes by."""

    name: str
    variants: tuple[str, ...] = ()

    @property
    def spellings(self) -> tuple[str, ...]:
        """The canonical name first, then every variant."""
        return (self.name, *self.variants)


def organization_key(name: str) -> str:
    """What two spellings of one organisation share when they differ only by case or spacing.

    The name in Unicode compatibility form (NFKC), case-folded, without white
    space, punctuation or invisible format characters: ``"Zhejiang university"``,
    ``"ZHEJIANG  UNIVERSITY "`` and ``"Zhejiang-University"`` all give
    ``"zhejianguniversity"``. Letters of every script, digits, accents and
    symbols are kept (``"香港科技大学"`` stays as it is). A name with none of
    those gives ``""``.
    """
    folded = unicodedata.normalize("NFKC", name).casefold()
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] not in "PZC")


def load_organizations(path: Path | None = None) -> dict[str, Organization]:
    """The alias table at ``path`` (default: the one in this package), by ``organization_key``.

    The file is TOML: a list ``[[organization]]`` of tables, each with ``name``
    (the canonical name, as the organisation writes it) and ``variants`` (a list
    of other names; ones differing only by case or spacing need not be listed).
    Every key of a name or variant maps to its entry. Raises ``AliasTableError``
    when the file is not valid TOML, an entry lacks a name, or one key stands for
    two entries (a variant listed twice, or under two organisations).
    """
    where = str(path) if path is not None else f"paperwire/{_TABLE}"
    try:
        if path is None:
            text = resources.files("paperwire").joinpath(_TABLE).read_text(encoding="utf-8")
        else:
            text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise AliasTableError(f"{where}: cannot read the alias table: {exc}") from None
    entries = data.get("organization", [])
    if not isinstance(entries, list):
        raise AliasTableError(f"{where}: 'organization' must be an array of tables")
    table: dict[str, Organization] = {}
    for number, entry in enumerate(entries, start=1):
        organization = _entry(entry, f"{where}: organization {number}")
        for spelling in organization.spellings:
            key = organization_key(spelling)
            if not key:
                raise AliasTableError(f"{where}: {organization.name!r} lists an empty name")
            if key in table:
                raise AliasTableError(
                    f"{where}: {spelling!r} (of {organization.name!r}) is already a name "
                    f"of {table[key].name!r}"
                )
            table[key] = organization
    return table


def known_organization(name: str) -> Organization | None:
    """The alias table's entry for ``name`` (any of its spellings, any case or spacing)."""
    return _table().get(organization_key(name))


def canonical_organization(name: str | None) -> str | None:
    """The name an organisation is stored and shown under.

    The alias table's canonical name when it knows ``name`` (in any case or
    spacing: ``"uc  berkeley"`` -> ``"University of California, Berkeley"``);
    otherwise ``name`` with its white space collapsed and trimmed. ``None`` for
    ``None`` and for a name with no letter, digit or symbol (``"  "``, ``"-"``).
    """
    if name is None:
        return None
    tidy = " ".join(name.split())
    key = organization_key(tidy)
    if not key:
        return None
    known = _table().get(key)
    return known.name if known is not None else tidy


@lru_cache(maxsize=8192)
def organization_group(name: str) -> str:
    """The key of ``name``'s canonical name: equal for every name of one organisation.

    Unlike ``organization_key`` it follows the alias table, so ``"UC Berkeley"``
    and ``"University of California, Berkeley"`` share it. A name with no key
    (only punctuation) is its own group.
    """
    canonical = canonical_organization(name)
    return organization_key(canonical) if canonical is not None else name


def same_organization(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` name one organisation (case, spacing or the alias table)."""
    return organization_group(a) == organization_group(b)


def organization_spellings(name: str) -> tuple[str, ...]:
    """Every name ``name``'s organisation goes by: ``name`` itself, then the table's names.

    For an organisation the table does not know, ``name`` alone (its white
    space collapsed).
    """
    tidy = " ".join(name.split())
    known = known_organization(tidy)
    spellings = (tidy, *known.spellings) if known is not None else (tidy,)
    return tuple(dict.fromkeys(s for s in spellings if s))


def preferred_name(counts: Iterable[tuple[str, int]]) -> str:
    """The name to show for one organisation, given its stored spellings and their paper counts.

    The alias table's canonical name when it knows the organisation; otherwise
    the best-written spelling: a name with capitals before one written all in
    lower case, then one with tidy spacing, then the spelling of the most
    papers, then the first in code-point order (so the choice never depends on
    which spelling arrived first). Raises ``ValueError`` for no spellings.
    """
    spellings = list(counts)
    if not spellings:
        raise ValueError("an organisation needs at least one spelling")
    for name, _ in spellings:
        known = known_organization(name)
        if known is not None:
            return known.name
    return min(spellings, key=_how_well_written)[0]


def organization_slug(name: str) -> str:
    """The URL name of an organisation: "Hugging Face" -> "hugging-face".

    Names with no Latin letters or digits get a short stable hash instead, so
    every organisation has a page.
    """
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    if slug:
        return slug[:80]
    return "org-" + hashlib.blake2b(name.encode("utf-8"), digest_size=5).hexdigest()


@lru_cache(maxsize=1)
def _table() -> dict[str, Organization]:
    return load_organizations()


def _entry(entry: object, where: str) -> Organization:
    if not isinstance(entry, dict):
        raise AliasTableError(f"{where}: expected a table with 'name' and 'variants'")
    name, variants = entry.get("name"), entry.get("variants", [])
    unknown = set(entry) - {"name", "variants"}
    if unknown:
        raise AliasTableError(f"{where}: unknown field {sorted(unknown)[0]!r}")
    if not isinstance(name, str) or not name.strip():
        raise AliasTableError(f"{where}: 'name' must be a non-empty string")
    if not isinstance(variants, list) or not all(isinstance(v, str) for v in variants):
        raise AliasTableError(f"{where} ({name!r}): 'variants' must be a list of strings")
    if name != " ".join(name.split()):
        raise AliasTableError(f"{where}: {name!r} has stray white space")
    return Organization(name, tuple(" ".join(v.split()) for v in variants))


def _how_well_written(spelling: tuple[str, int]) -> tuple[bool, bool, int, str]:
    """Sorts the better-written spelling first (see ``preferred_name``)."""
    name, papers = spelling
    return (_all_lower(name), name != " ".join(name.split()), -papers, name)


def _all_lower(name: str) -> bool:
    """Written all in lower case though the script has capitals ("shanghai ailab")."""
    return any(ch.islower() for ch in name) and not any(ch.isupper() for ch in name)
