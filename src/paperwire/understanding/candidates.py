"""Keyphrase candidates of a title and abstract, by a rule-based chunker.

The text is cut into chunks at punctuation, function words, common verbs of
academic prose and ``-ly`` adverbs; what is left between two cuts is a run of
content words, nearly always a noun phrase (the classic RAKE delimiter idea,
Rose et al., *Automatic keyword extraction from individual documents*, 2010).
Every run of one to ``MAX_WORDS`` consecutive words of a chunk that neither
starts nor ends on a weak word is a candidate; the scorer decides which are
keyphrases. Tokens keep the inside of names such as ``Qwen2.5-VL-3B``,
``ScreenSpot-v2`` or ``GPT-4o``, so a model, method or data set name is one word.

Acronyms defined in the text (``large language models (LLMs)``) are found as
well, so that the acronym and its expansion become one keyphrase.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from paperwire.phrases import phrase_key

__all__ = [
    "MAX_WORDS",
    "Candidate",
    "Token",
    "acronym_definitions",
    "candidates",
    "chunks",
    "is_acronym",
    "tokens",
]

MAX_WORDS = 4

# A word, a number or a name: letters and digits joined by . - + / ' inside it
# (never at its ends), so "Qwen2.5-VL-3B" is one token and "models." is "models".
_TOKEN = re.compile(r"[^\W_](?:[^\W_]|[.\-+/'’](?=[^\W_]))*")
_TEX_MATH = re.compile(r"\$[^$]*\$")
_URL = re.compile(r"https?://\S+|www\.\S+")

# English function words and the verbs, adverbs and quantifiers of abstracts'
# prose: a keyphrase never contains one (what RAKE calls phrase delimiters).
_STOP_TEXT = """
    a about above across after again against all almost along also although always am among
    an and another any are around as at be because been before being below beside besides
    between beyond both but by can cannot could did do does doing done down due during each
    either else enough especially even ever every few for from further furthermore had has
    have having he her here hers herself him his how however i if in into is it its itself
    just less lot many may me might more moreover most much must my neither no nor not now
    of off often on once one only onto or other others otherwise our ours ourselves out over
    own per perhaps rather same several she should since so some such than that the their
    theirs them themselves then there thereby therefore these they this those though through
    throughout thus to too toward towards under unlike until up upon us very via was we well
    were what whatever when whenever where whereas whether which while who whom whose why
    will with within without would yet you your yet e.g i.e etc et al vs achieve achieves
    achieved achieving address addresses addressed addressing allow allows allowed allowing
    apply applies applied applying become becomes became bring brings build builds built
    capture captures captured capturing combine combines combined conduct conducts conducted
    consider considers considered consist consists consisting contain contains containing
    demonstrate demonstrates demonstrated demonstrating denote denotes depend depends derive
    derives derived design designs designed develop develops developed developing employ
    employs employed employing enable enables enabled enabling enhance enhances enhanced
    evaluate evaluates evaluated exhibit exhibits exhibited exist exists existing explore
    explores explored exploring find finds found focus focuses focused follow follows
    followed following further gain gains get gets give gives given giving help helps
    improve improves improved improving include includes included including incorporate
    incorporates integrate integrates introduce introduces introduced introducing
    investigate investigates investigated lead leads leading led leverage leverages
    leveraged leveraging make makes made making need needs obtain obtains obtained offer
    offers offered outperform outperforms outperformed outperforming perform performs
    performed present presents presented presenting produce produces produced propose
    proposes proposed proposing provide provides provided providing reach reaches reduce
    reduces reduced reducing remain remains require requires required requiring reveal
    reveals revealed see seen serve serves show shows showed shown showing significant
    significantly solve solves study studies studied suggest suggests surpass surpasses take
    takes taken train trains trained uses used using utilize utilizes utilized utilizing
    validate validates verify yield yields yielded achieve work works able new novel various
    different several numerous many multiple existing recent recently current currently
    prior previous previously first second third two three four five ten key main simple
    effective efficient efficiently strong stronger best better high highly significant
    substantial substantially state art broad wide widely well however additionally
    specifically particular particularly notably respectively typically generally usually
    largely mainly primarily often across around approximately extensive comprehensive
    superior competitive remarkable consistent consistently
    replace replaces replaced replacing mitigate mitigates mitigated mitigating ensure ensures
    ensured ensuring preserve preserves preserved preserving underperform underperforms
    underperformed lack lacks lacking struggle struggles suffer suffers remains tend tends
"""
_STOP = frozenset(_STOP_TEXT.split())
# Generic head words: a phrase made only of these says nothing of the paper.
_GENERIC_WORDS_TEXT = """
    method methods approach approaches model models framework frameworks result results
    performance paper papers work task tasks problem problems experiment experiments
    technique techniques system systems study studies analysis data dataset datasets
    benchmark benchmarks baseline baselines improvement improvements way ways issue issues
    challenge challenges setting settings accuracy effectiveness efficiency capability
    capabilities ability abilities quality process solution solutions application
    applications field fields area areas domain domains aspect aspects number numbers set
    sets code art findings finding insight insights evaluation evaluations scenario
    scenarios research gap gaps limitation limitations strategy strategies manner terms term
    range level levels type types kind kinds use cases case state version versions component
    components module modules mechanism mechanisms pipeline design tool tools variety lack
    need needs importance role impact step steps part parts stage stages end time times cost
    costs scale size amount
"""
GENERIC_WORDS = frozenset(_GENERIC_WORDS_TEXT.split())
# Phrases every abstract uses: dropped whatever their score (keys, as ``phrase_key`` gives).
STOP_PHRASES = frozenset(
    phrase_key(p)
    for p in """
    proposed method|experimental results|extensive experiments|state of the art|
    state-of-the-art methods|our method|our approach|this paper|this work|the paper|
    code|source code|github|project page|experimental result|empirical results|
    previous methods|existing methods|existing approaches|baseline methods|
    large margin|wide range|real world|real-world|open source|publicly available|
    future research|future work|key challenge|main contribution|new paradigm|
    significant improvements|superior performance|competitive performance|
    strong performance|performance gains|performance improvement|empirical evaluation|
    comprehensive experiments|extensive evaluation|ablation studies|ablation study|
    in-depth analysis|comprehensive analysis|detailed analysis|thorough analysis|
    systematic study|empirical study|comprehensive evaluation|comprehensive study|
    https|http|www|arxiv|et al|e.g|i.e|sota
    """.replace("\n", "").split("|")
    if p.strip()
)


@dataclass(frozen=True, slots=True)
class Token:
    """One word of the text: its surface form, where it starts, its sentence and chunk."""

    text: str
    start: int
    chunk: int
    sentence_start: bool  # the first word of a sentence (its capital says nothing)


@dataclass(slots=True)
class Candidate:
    """One candidate keyphrase: every occurrence of its key in the text.

    ``forms`` counts each surface form seen; ``positions`` holds each
    occurrence's word index; ``in_title`` whether one lies in the title;
    ``whole_chunk`` whether an occurrence is a whole chunk (a maximal noun phrase).
    """

    key: str
    words: int
    forms: dict[str, int] = field(default_factory=dict)
    positions: list[int] = field(default_factory=list)
    in_title: bool = False
    whole_chunk: bool = False
    capitalised: bool = False  # some occurrence is capitalised inside a sentence

    @property
    def form(self) -> str:
        """The surface form used most (the first seen among equals)."""
        return max(self.forms, key=self.forms.__getitem__)


def is_acronym(word: str) -> bool:
    """``LLM``, ``LLMs``, ``GRPO``, ``ViT``: two capitals or more, no lowercase run of three."""
    body = word[:-1] if word.endswith("s") and len(word) > 2 else word
    capitals = sum(1 for c in body if c.isupper())
    return capitals >= 2 and capitals * 2 >= len([c for c in body if c.isalpha()])


def _is_weak(word: str) -> bool:
    lower = word.lower()
    if lower in _STOP or lower.strip("'’") in _STOP:
        return True
    if len(lower) > 4 and lower.endswith("ly") and lower.isalpha():
        return lower not in {"anomaly", "family", "assembly", "supply", "poly", "reply"}
    return False


def tokens(text: str) -> list[Token]:
    """The words of ``text`` with their chunk number: a new chunk at every delimiter."""
    text = _URL.sub(" . ", _TEX_MATH.sub(" . ", text))
    found: list[Token] = []
    chunk = 0
    end = 0
    sentence_start = True
    for match in _TOKEN.finditer(text):
        gap = text[end : match.start()]
        word = match.group()
        if word.endswith(("'s", "’s")):
            word = word[:-2]
        if gap.strip():
            chunk += 1
            if any(c in gap for c in ".!?:;"):
                sentence_start = True
        end = match.end()
        if _is_weak(word) or word.isdigit() or (len(word) < 2 and not word.isupper()):
            chunk += 1
            sentence_start = False if gap.strip() == "" and found else sentence_start
            continue
        found.append(Token(word, match.start(), chunk, sentence_start))
        sentence_start = False
    return found


def chunks(words: list[Token]) -> Iterator[list[Token]]:
    """The runs of words that share a chunk number, in order."""
    run: list[Token] = []
    for word in words:
        if run and word.chunk != run[-1].chunk:
            yield run
            run = []
        run.append(word)
    if run:
        yield run


def candidates(title: str, abstract: str) -> dict[str, Candidate]:
    """Every candidate keyphrase of a paper, keyed by ``phrase_key``.

    Word positions count from the title's first word; the title's words come first.
    """
    title_words = tokens(title)
    words = title_words + _shift_chunks(tokens(abstract), len(title_words) + 1)
    in_title = len(title_words)
    found: dict[str, Candidate] = {}
    index = 0
    for run in chunks(words):
        # phrase_key works word by word, so an n-gram's key is its words' keys joined:
        # each word is normalised once, not once per n-gram it is part of.
        word_keys = [phrase_key(t.text) for t in run]
        for i in range(len(run)):
            for n in range(1, min(MAX_WORDS, len(run) - i) + 1):
                piece = run[i : i + n]
                form = " ".join(t.text for t in piece)
                key = " ".join(k for k in word_keys[i : i + n] if k)
                if not key or key in STOP_PHRASES:
                    continue
                if all(w in GENERIC_WORDS for w in key.split()):
                    continue
                candidate = found.get(key)
                if candidate is None:
                    candidate = found[key] = Candidate(key, n)
                candidate.forms[form] = candidate.forms.get(form, 0) + 1
                candidate.positions.append(index + i)
                if index + i < in_title:
                    candidate.in_title = True
                if n == len(run):
                    candidate.whole_chunk = True
                if any(t.text[:1].isupper() and not t.sentence_start for t in piece):
                    candidate.capitalised = True
        index += len(run)
    return found


def _shift_chunks(words: list[Token], by: int) -> list[Token]:
    return [Token(t.text, t.start, t.chunk + by, t.sentence_start) for t in words]


_DEFINITION = re.compile(r"\(\s*([A-Za-z][A-Za-z0-9\-]*[A-Z][A-Za-z0-9\-]*)\s*\)")


def acronym_definitions(text: str) -> dict[str, str]:
    """Acronyms the text defines, ``"large language models (LLMs)"``: acronym key to expansion.

    The expansion is the run of words before the parenthesis whose initials
    spell the acronym (Schwartz and Hearst, *A simple algorithm for identifying
    abbreviation definitions in biomedical text*, 2003, simplified: initials only,
    hyphenated words giving one initial per part).
    """
    found: dict[str, str] = {}
    for match in _DEFINITION.finditer(text):
        acronym = match.group(1)
        if not is_acronym(acronym):
            continue
        letters = [c.lower() for c in acronym if c.isalpha() and c.isupper()]
        before = _TOKEN.findall(text[max(0, match.start() - 200) : match.start()])
        expansion = _expansion(before, letters)
        if expansion:
            found[phrase_key(acronym)] = expansion
    return found


def _expansion(before: list[str], letters: list[str]) -> str | None:
    # The shortest run of words before the parenthesis whose first word starts
    # with the acronym's first letter and that holds its letters in order.
    joined = "".join(letters)
    longest = min(len(before), len(letters) + 3, len(letters) * 2)
    for take in range(1, longest + 1):
        words = before[-take:]
        if any(_is_weak(w) for w in words[1:-1]) and take > len(letters):
            return None
        if words[0][0].lower() != joined[0] or _is_weak(words[0]):
            continue
        if _in_order(" ".join(words).lower(), joined) and take >= min(len(letters), 2) - 0:
            return " ".join(words)
    return None


def _in_order(text: str, letters: str) -> bool:
    at = 0
    for letter in letters:
        at = text.find(letter, at)
        if at < 0:
            return False
        at += 1
    return True
