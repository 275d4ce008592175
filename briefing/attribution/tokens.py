"""Word tokens with their character offsets, shared by every attribution rule."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from briefing.attribution.lexicon import Lexicon

# A word keeps inner hyphens, apostrophes and dots ("пресс-секретарь", "Kremlin's", "U.S");
# any other non-space character is a token of its own.
# An initial keeps its dot ("George W. Bush").
_TOKEN = re.compile(r"[^\W\d_]\.(?=\s[^\W\d_]{2})|\w+(?:[-'’.]\w+)*|[^\w\s]")
_WORD = re.compile(r"\w+(?:[-'’.]\w+)*")


class Token(NamedTuple):
    # A named tuple, not a frozen dataclass: as immutable, and a brief builds thousands of
    # tokens, which a tuple makes in a third of the time.
    text: str
    start: int
    end: int
    low: str  # lower case, ё written е
    is_word: bool
    is_cap: bool


def _token(text: str, start: int, end: int) -> Token:
    first = text[:1]
    cap = first.isupper()
    if first.isdigit() and "-" in text:
        cap = text.split("-", 1)[1][:1].isupper()  # "der 39-Jährige": a noun, written as one
    return Token(
        text,
        start,
        end,
        text.lower().replace("ё", "е"),
        first.isalnum() or first == "_",
        cap,
    )


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Tokens of text[start:end], with offsets into `text`."""
    return [
        _token(m.group(), m.start(), m.end())
        for m in _TOKEN.finditer(text, start, len(text) if end is None else end)
    ]


def count_words(text: str) -> int:
    """How many of tokenize(text) are words (`is_word`), without building the tokens."""
    return sum(1 for t in _TOKEN.findall(text) if t[0].isalnum() or t[0] == "_")


def word_tokens(text: str) -> list[str]:
    return [m.group().replace("ё", "е") for m in _WORD.finditer(text)]


# After these a word is capitalised for its position, not because it is a name.
_OPENERS = frozenset(".:!?\"'„“”«»‚‘’—–-()[]")


def lower_vocabulary(text: str) -> frozenset[str]:
    """Words the text writes in lower case somewhere ("ähnlich", "nach")."""
    # (word_tokens, with ё written е after the test: both letters are lower case)
    return frozenset(w.replace("ё", "е") for w in _WORD.findall(text) if w[:1].islower())


def demote(toks: list[Token], function_words: frozenset[str], lower: frozenset[str]) -> list[Token]:
    """Tokens where a capitalised function word ("Nach", "Ähnlich", "However"), or a word opening
    a sentence that the text elsewhere writes in lower case, no longer counts as capitalised."""
    out = toks
    for k, t in enumerate(toks):
        if not t.is_cap:
            continue
        opening = k == 0 or toks[k - 1].text in _OPENERS
        if t.low in function_words or (opening and t.low in lower):
            if out is toks:
                out = list(toks)
            out[k] = Token(t.text, t.start, t.end, t.low, t.is_word, False)
    return out


# A name with particles ("Ursula von der Leyen", "Charles de Gaulle"): at most this many particles.
MAX_NAME_PARTICLES = 2


def particle_names(text: str, particles: frozenset[tuple[str, ...]]) -> frozenset[tuple[str, ...]]:
    """The particle sequences the text uses inside a name, lower-cased with the surname
    ("von der leyen"): a capitalised word, listed particles in lower case, a capitalised word that
    ends the name. A surname the text also writes without its particles is a noun ("ein Sprecher
    von der Polizei" / "die Polizei"), not a name."""
    if not particles:
        return frozenset()
    words = _WORD.findall(text)
    matches: list[re.Match[str]] = []  # the words' matches, made when first needed
    # Only a particle's first word can open a particle sequence.
    first_words = {p[0] for p in particles if p}
    candidates: set[tuple[str, ...]] = set()
    for k in range(1, len(words) - 1):
        if words[k] not in first_words:
            continue
        if not words[k - 1][:1].isupper() or not words[k][:1].islower():
            continue
        for n in range(MAX_NAME_PARTICLES, 0, -1):
            seq = tuple(words[k : k + n])
            end = k + n
            if seq in particles and end < len(words) and words[end][:1].isupper():
                matches = matches or list(_WORD.finditer(text))
                after = text[matches[end].end() : matches[end].end() + 2]
                if not (after[:1].isspace() and after[1:].isupper()):
                    candidates.add(tuple(w.lower() for w in words[k : end + 1]))
                break
    found = set()
    for cand in candidates:
        n = len(cand) - 1
        at = [k for k, w in enumerate(words) if w.lower() == cand[-1]]
        if not all(k >= n and tuple(w.lower() for w in words[k - n : k]) == cand[:-1] for k in at):
            continue
        # The name must also stand without a first name somewhere ("Von der Leyen betonte",
        # "Ministerin von der Leyen"); "Brian Baptie von der Erdbebenwarte" alone is a person
        # and a place.
        if any(
            k == n or words[k - n][:1].isupper() or not _given_name(words[k - n - 1]) for k in at
        ):
            found.add(cand)
    return frozenset(found)


def _given_name(word: str) -> bool:
    """Whether a word before a particle may be a first name or surname (capitalised, not an
    all-capitals party short name)."""
    return word[:1].isupper() and not word.isupper()


def merge_particles(toks: list[Token], known: frozenset[tuple[str, ...]]) -> list[Token]:
    """Tokens where a known name with particles ("von der Leyen", also "Von der Leyen" opening
    a sentence) is one capitalised word, so that it is never read as a preposition and article."""
    if not known:
        return toks
    longest = max(len(k) for k in known)
    out: list[Token] = []
    k = 0
    while k < len(toks):
        for n in range(longest, 1, -1):
            seq = tuple(t.low for t in toks[k : k + n])
            if len(seq) == n and seq in known and toks[k + n - 1].is_cap:
                first, last = toks[k], toks[k + n - 1]
                joined = " ".join(t.text for t in toks[k : k + n])
                out.append(Token(joined, first.start, last.end, joined.lower(), True, True))
                k += n
                break
        else:
            out.append(toks[k])
            k += 1
    return out


def join_titles(toks: list[Token], titles: frozenset[str]) -> list[Token]:
    """Tokens where a title abbreviation and its dot before a name are one word ("Rep. Patrick
    McHenry", "Dr. Anna Roth"), so the dot ends neither the phrase nor the name."""
    if not titles:
        return toks
    out: list[Token] = []
    k = 0
    while k < len(toks):
        t = toks[k]
        if (
            k + 2 < len(toks)
            and t.low in titles
            and toks[k + 1].text == "."
            and toks[k + 1].start == t.end
            and toks[k + 2].is_cap
        ):
            out.append(Token(t.text + ".", t.start, t.end + 1, t.low + ".", True, t.is_cap))
            k += 2
            continue
        out.append(t)
        k += 1
    return out


class SentenceTokens:
    """The tokens of one text's sentences as the attribution reads them (capitalised function
    words demoted, names with particles merged, titles joined to their dot), each sentence
    tokenised once: the speaker prescan and the rules read the same sentences. Made for one text
    and dropped with it (one brief), so it holds at most that text's sentences."""

    def __init__(self, text: str, lex: Lexicon) -> None:
        self.text = text
        self.lex = lex
        self.lower = lower_vocabulary(text)
        self.particles = particle_names(text, lex.name_particles)
        self._spans: dict[tuple[int, int], list[Token]] = {}

    def sentence(self, start: int, end: int) -> list[Token]:
        """The tokens of text[start:end] (a new list: callers may change it)."""
        toks = self._spans.get((start, end))
        if toks is None:
            toks = demote(tokenize(self.text, start, end), self.lex.function_words, self.lower)
            toks = join_titles(merge_particles(toks, self.particles), self.lex.titles)
            self._spans[(start, end)] = toks
        return list(toks)
