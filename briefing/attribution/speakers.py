"""Speakers: the noun phrase next to a cue, split into name and role, resolved across the article.

"Kremlin spokesman Dmitry Peskov" -> name "Dmitry Peskov", role "Kremlin spokesman". Later mentions
resolve to the fullest name in the article: the surname alone (also inflected, "Пескова", and
misspelt by one letter, "Peslov"), the role alone ("the spokesman"), a pronoun, "X himself".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from briefing.attribution.lexicon import LEXICON_LANGS, Lexicon, lexicon
from briefing.attribution.tokens import SentenceTokens, Token

# Longest speaker phrase we accept: tokens.
MAX_SPEAKER_TOKENS = 14
# A surname within this edit distance of a known one is the same person (typos: "Peslov").
MAX_SURNAME_EDITS = 1
# Shortest surname we dare to match by edit distance or inflection: characters.
MIN_FUZZY_SURNAME = 5
# Tokens differing by at most this many final characters are one word inflected (Песков/Пескова).
MAX_INFLECTION_CHARS = 2
# A pronoun with nobody named before it refers to a role noun at most this far back: characters.
MAX_ROLE_PRONOUN_CHARS = 300
_OPEN_PAREN, _CLOSE_PAREN = "(", ")"
# Russian nouns whose last letter changes in their cases: "представитель" -> "представителя".
_SOFT_ENDINGS = frozenset("ьйая")
# A name ending is only rewritten when this much of the name stays: characters.
MIN_NAME_STEM = 2


@dataclass(frozen=True, slots=True)
class Mention:
    """A speaker as the sentence names it, before resolution."""

    text: str
    name: str | None  # a person's or organisation's proper name
    role: str | None
    pronoun: bool = False
    start: int = 0


@dataclass(slots=True)
class Person:
    name: str
    role: str | None
    last_seen: int = 0
    first_seen: int = 0


@dataclass(slots=True)
class Registry:
    """The people named in one article, for resolving later mentions to the fullest name."""

    lex: Lexicon
    people: list[Person] = field(default_factory=list)
    last_speaker: tuple[str, str | None] | None = None
    last_speaker_pos: int = -1
    # (offset, person) of every mention of a known person, in text order: a pronoun with no
    # speaker before it refers to the person named last ("Minister X visited Y. He said …").
    seen: list[tuple[int, Person]] = field(default_factory=list)
    # (offset, noun) of every role noun outside a name, for a pronoun when nobody is named.
    roles_seen: list[tuple[int, str]] = field(default_factory=list)

    def add(self, name: str, role: str | None, pos: int) -> Person:
        known = self._by_surname(name.split()[-1])
        if known is not None:
            words, known_words = len(name.split()), len(known.name.split())
            if words > known_words or (words == known_words and len(name) < len(known.name)):
                # the fullest name; of two inflections the shorter, the nominative ("Дмитрий
                # Песков", not "Дмитрия Пескова" after "по словам")
                known.name = name
            if role and (not known.role or len(role) > len(known.role)):
                known.role = role
            known.last_seen = pos
            return known
        person = Person(name, role, pos, pos)
        self.people.append(person)
        return person

    def known_surname(self, word: str) -> Person | None:
        """The person a lone surname names, exactly as registered."""
        low = word.lower()
        return next((p for p in self.people if p.name.split()[-1].lower() == low), None)

    def _by_surname(self, word: str) -> Person | None:
        low = word.lower()
        exact = [p for p in self.people if p.name.split()[-1].lower() == low]
        if exact:
            return exact[-1]
        if len(low) < MIN_FUZZY_SURNAME:
            return None
        for p in reversed(self.people):
            known = p.name.split()[-1].lower()
            if len(known) < MIN_FUZZY_SURNAME:
                continue
            if _inflected(low, known) or _edits(low, known) <= MAX_SURNAME_EDITS:
                return p
        return None

    def resolve(self, m: Mention) -> tuple[str | None, str | None, bool]:
        """(speaker, role, is_person) for a mention; (None, None, False) when nobody fits."""
        if m.pronoun:
            named = self._named_before(m.start)
            if named is not None and named[0] > self.last_speaker_pos:
                return named[1].name, named[1].role, True
            if self.last_speaker is None:
                role = self._role_before(m.start)
                if role is not None:
                    return role, None, False  # "… von einer Armeesprecherin bestätigt. Sie sagte"
                return None, None, False
            return self.last_speaker[0], self.last_speaker[1], True
        if m.name:
            words = m.name.split()
            if len(words) == 1:
                p = self._by_surname(words[0])
                if p is not None:
                    return p.name, m.role or p.role, True
                if m.role is None and _is_org(m.name, self.lex):
                    return m.name, None, False
                return m.name, m.role, True
            p = self.add(m.name, m.role, m.start)
            return p.name, m.role or p.role, True
        if m.role:
            p = self._by_role(m.role, m.start)
            if p is not None:
                return p.name, p.role, True
            return _strip_det(m.role, self.lex), None, False
        return None, None, False

    def _role_before(self, pos: int) -> str | None:
        """The role noun mentioned last, shortly before `pos`, when nobody is named before it."""
        found = None
        for at, role in self.roles_seen:
            if at >= pos:
                break
            found = (at, role)
        if found is None or pos - found[0] > MAX_ROLE_PRONOUN_CHARS:
            return None
        return found[1]

    def _named_before(self, pos: int) -> tuple[int, Person] | None:
        found = None
        for at, person in self.seen:
            if at >= pos:
                break
            found = (at, person)
        return found

    def _by_role(self, role: str, pos: int) -> Person | None:
        words = {w.lower() for w in role.split()}
        heads = words & self.lex.role_heads
        if not heads:
            return None
        # Every other word must fit too: "der brasilianische Präsident" is not "Uruguays Präsident".
        rest = {w for w in words if w not in self.lex.determiners} - heads
        for p in reversed(self.people):
            if not p.role or p.first_seen > pos:
                continue  # "the minister" is somebody named before, not after
            known = {w.lower() for w in f"{p.role} {p.name}".split()}
            if heads & known and all(any(_inflected(w, k) for k in known) for w in rest):
                return p
        return None


def _is_org(name: str, lex: Lexicon) -> bool:
    low = name.lower()
    return low in lex.orgs or any((low,) in aliases for aliases in lex.parties.values())


def _strip_det(text: str, lex: Lexicon) -> str:
    words = text.split()
    while words and words[0].lower() in lex.determiners:
        words = words[1:]
    return " ".join(words) or text


def _inflected(a: str, b: str) -> bool:
    s, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return long_.startswith(s) and len(long_) - len(s) <= MAX_INFLECTION_CHARS


def _edits(a: str, b: str) -> int:
    """Levenshtein distance, stopping early once it exceeds the limit."""
    if abs(len(a) - len(b)) > MAX_SURNAME_EDITS:
        return MAX_SURNAME_EDITS + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


# Words a name needs after a determiner and its noun ("der Funktionär Bernard Aubin"): words.
MIN_NAME_AFTER_NOUN = 2
# Shortest inflected adjective we accept inside a speaker phrase: characters.
MIN_MODIFIER_CHARS = 4
# A compound ending in a role noun is a role ("Konzernchef", "Regierungssprecher"): characters.
MIN_ROLE_SUFFIX = 4


def is_role(low: str, lex: Lexicon) -> bool:
    return _is_role(low, lex.lang)


@lru_cache(maxsize=LEXICON_LANGS)
def _role_forms(lang: str) -> tuple[tuple[str, ...], frozenset[str]]:
    """The role nouns a compound may end with, and their stems ("представител" of
    "представитель": a final soft sign or vowel gives way in the other cases)."""
    heads = tuple(h for h in lexicon(lang).role_heads if len(h) >= MIN_ROLE_SUFFIX)
    return heads, frozenset(h[:-1] if h[-1] in _SOFT_ENDINGS else h for h in heads)


@lru_cache(maxsize=65536)
def _is_role(low: str, lang: str) -> bool:
    lex = lexicon(lang)
    if low in lex.roles:
        return True
    # A compound ending in the role ("Konzernchef"), or the role inflected ("губернатора",
    # "Ministers", "представителя"): a stem followed by at most MAX_INFLECTION_CHARS characters.
    heads, stems = _role_forms(lang)
    return low.endswith(heads) or any(
        low[: len(low) - k] in stems for k in range(MAX_INFLECTION_CHARS + 1)
    )


def _np_word(tok: Token, lex: Lexicon) -> bool:
    low = tok.low
    return tok.is_word and (
        tok.is_cap or is_role(low, lex) or low in lex.orgs or low in lex.determiners
    )


def modifier(toks: list[Token], x: int, lex: Lexicon) -> bool:
    """A lower-case word that may sit inside a speaker phrase before its noun: "the former
    minister", "der zuständige Vorstand", "официальный представитель"."""
    t = toks[x]
    if not t.is_word or t.is_cap:
        return False
    low = t.low
    if low in lex.modifiers:
        return True
    suffixes = lex.modifier_suffixes
    if (
        not suffixes
        or len(low) < MIN_MODIFIER_CHARS
        or low in lex.function_words
        or low in lex.auxiliaries
        or low in lex.cues
        or low in lex.prepositions
        or not low.endswith(suffixes)
    ):
        return False
    if lex.determiners:
        # In a language with articles an adjective of the phrase follows one ("der zuständige").
        y = x - 1
        while y >= 0 and toks[y].is_word and not toks[y].is_cap and toks[y].low.endswith(suffixes):
            if toks[y].low in lex.determiners:
                return True
            y -= 1
        # ... or opens the sentence with a plural noun ("Chinesische Politiker haben …").
        return y < 0 or toks[y].low in lex.determiners
    return True


def _role_complement(toks: list[Token], k: int, i: int, hi: int, lex: Lexicon) -> bool:
    """Lower-case words between a role and a name: "министр финансов Игорь Смирнов" (languages
    without articles; the others link with "of", "des", "von")."""
    if lex.determiners:
        return False
    if not any(is_role(t.low, lex) for t in toks[i:k]):
        return False
    for x in range(k, min(hi, k + 3)):
        if not toks[x].is_word:
            return False
        if toks[x].is_cap:
            return _name_word(toks[x], lex)
    return False


# Longest time phrase between a subject and its verb ("Biden on Tuesday night accused"): tokens.
MAX_TIME_PHRASE = 3


def _before_time_phrase(toks: list[Token], k: int, lo: int, lex: Lexicon) -> int:
    """Where a time phrase that ends at k starts ("on Tuesday", "am Montag", "в среду"); k if
    none ends there."""
    for j in range(k - 2, max(lo, k - MAX_TIME_PHRASE - 1) - 1, -1):
        if (
            toks[j].low in lex.prepositions
            and toks[j].low in lex.fillers
            and not toks[j].is_cap
            and all(t.low in lex.fillers and t.is_word for t in toks[j + 1 : k])
            and not any(t.low in lex.determiners for t in toks[j + 1 : k])
        ):
            return j
    return k


def np_left(toks: list[Token], i: int, lo: int, lex: Lexicon) -> tuple[int, int] | None:
    """The speaker phrase that ends right before toks[i] (the cue), not before toks[lo]."""
    k = i
    while k > lo and toks[k - 1].low in lex.adverbs_before_cue:
        k -= 1
    k = _before_time_phrase(toks, k, lo, lex)
    if k > lo and toks[k - 1].low in lex.reflexive:
        k -= 1
    if k <= lo:
        return None
    if toks[k - 1].low in lex.pronouns | lex.group_pronouns:
        return k - 1, k
    j = k
    while j > lo and k - j < MAX_SPEAKER_TOKENS:
        t = toks[j - 1]
        if t.text == _CLOSE_PAREN:
            op = next((x for x in range(j - 2, lo - 1, -1) if toks[x].text == _OPEN_PAREN), None)
            if op is None or op <= lo:
                break
            j = op
            continue
        if (
            j < k
            and toks[j].low in lex.determiners
            and toks[j].low not in lex.np_links
            and _name_word(t, lex)
        ):
            break  # "Li Fei | die Hintergründe … erklären": the name is the subject, not ours
        if _np_word(t, lex) or (t.low in lex.np_links and j < k and _np_word(toks[j], lex)):
            j -= 1
            continue
        if j < k and modifier(toks, j - 1, lex):
            j -= 1
            continue
        if (
            not lex.determiners
            and j - 2 >= lo
            and t.is_word
            and t.low not in lex.cues
            and t.low not in lex.prepositions
            and is_role(toks[j - 2].low, lex)
        ):
            j -= 1  # a role's complement: "глава комитета Игорь Смирнов"
            continue
        break
    while j < k and (toks[j].low in lex.np_links or toks[j].text == _OPEN_PAREN):
        j += 1
    if j >= k or not _has_head(toks[j:k], lex):
        return None
    return j, k


def np_right(toks: list[Token], i: int, hi: int, lex: Lexicon) -> tuple[int, int] | None:
    """The speaker phrase that starts at toks[i] (right after the cue), not past toks[hi]."""
    if i < hi and toks[i].low in lex.pronouns | lex.group_pronouns:
        return i, i + 1
    k = i
    while k < hi and k - i < MAX_SPEAKER_TOKENS:
        t = toks[k]
        if (
            k > i
            and t.low in lex.determiners
            and t.low not in lex.np_links
            and (_name_word(toks[k - 1], lex) or is_role(toks[k - 1].low, lex))
        ):
            break  # "General Hageed | die Regeln …": a new phrase (the object) begins
        if t.text == _OPEN_PAREN:
            cl = next((x for x in range(k + 1, hi) if toks[x].text == _CLOSE_PAREN), None)
            if cl is None:
                break
            k = cl + 1
            continue
        if (
            _np_word(t, lex)
            or (t.low in lex.np_links and k + 1 < hi and _np_word(toks[k + 1], lex) and k > i)
            or (t.is_word and _role_complement(toks, k, i, hi, lex))
            or (k + 1 < hi and modifier(toks, k, lex) and _np_next(toks, k + 1, hi, lex))
        ):
            k += 1
            continue
        break
    while k > i and (
        toks[k - 1].low in lex.np_links | lex.determiners or modifier(toks, k - 1, lex)
    ):
        k -= 1
    if k <= i or not _has_head(toks[i:k], lex):
        return None
    return i, k


def _np_next(toks: list[Token], k: int, hi: int, lex: Lexicon) -> bool:
    """Whether a noun of the phrase follows, perhaps after more modifiers."""
    while k < hi and modifier(toks, k, lex):
        k += 1
    return k < hi and _np_word(toks[k], lex) and toks[k].low not in lex.determiners


def _has_head(toks: list[Token], lex: Lexicon) -> bool:
    for t in toks:
        low = t.low
        if low in lex.fillers and not t.is_cap:
            continue
        if low in lex.determiners:
            continue
        if t.is_cap or low in lex.roles or low in lex.orgs:
            return not all(x.low in lex.fillers for x in toks if x.is_word)
    return False


def mention(toks: list[Token], lex: Lexicon, text: str) -> Mention:
    """Split a speaker phrase into name and role."""
    start = toks[0].start
    phrase = text[start : toks[-1].end]
    if len(toks) == 1 and toks[0].low in lex.pronouns | lex.group_pronouns:
        return Mention(phrase, None, None, pronoun=toks[0].low in lex.pronouns, start=start)
    words = [t for t in toks if t.low not in lex.reflexive]
    # The head ends at the first linking word outside a name: "spokesman for the ministry".
    head_end = len(words)
    for n, t in enumerate(words):
        if n and t.low in lex.np_links and not t.is_cap:
            head_end = n
            break
    head, tail = words[:head_end], words[head_end:]
    name_end = len(head)
    while name_end > 0 and head[name_end - 1].text in (_CLOSE_PAREN, _OPEN_PAREN):
        name_end -= 1
    n = name_end
    aliases = _aliases(lex.lang)
    if (
        n >= MIN_NAME_AFTER_NOUN
        and _name_word(head[n - 1], lex)
        and _name_word(head[n - 2], lex)
        and head[n - 2].low not in aliases
    ):
        n -= 1  # a leader's surname listed as a party alias closes a name ("Wladimir Putin")
    while n > 0 and _name_word(head[n - 1], lex) and head[n - 1].low not in aliases:
        n -= 1
    # After a determiner a capitalised word is a noun ("der Staatsanwalt"), not a name; the words
    # after it may be ("der Gewerkschaftsfunktionär Bernard Aubin").
    if n > 0 and head[n - 1].low in lex.determiners:
        n = n + 1 if name_end - n >= MIN_NAME_AFTER_NOUN + 1 else name_end
    name_toks = head[n:name_end]
    role_toks = [t for t in head[:n] if t.low not in lex.determiners or head.index(t) > 0]
    role_toks += tail
    if not name_toks and tail:
        # "Secretary of State Antony Blinken": the name closes the phrase after the link.
        m = len(words)
        while (
            m > 0 and _name_word(words[m - 1], lex) and words[m - 1].low not in _aliases(lex.lang)
        ):
            m -= 1
        if len(words) - m >= MIN_NAME_AFTER_NOUN and m > head_end:
            name_toks = words[m:]
            role_toks = [t for t in words[:m] if t.low not in lex.determiners or words.index(t) > 0]
    if lex.patronymic_suffixes and role_toks and len(name_toks) > MIN_NAME_AFTER_NOUN:
        # "представитель Госдепартамента Мэтью Миллер": a Russian name is a first name and a
        # surname, with a patronymic between; a capitalised word before them is the role's.
        keep = 3 if name_toks[-2].low.endswith(lex.patronymic_suffixes) else 2
        if len(name_toks) > keep:
            moved, name_toks = name_toks[:-keep], name_toks[-keep:]
            role_toks = (
                [t for t in role_toks if t.start < moved[0].start]
                + moved
                + [t for t in role_toks if t.start > moved[0].start]
            )
    name = " ".join(_clean(t.text) for t in name_toks) or None
    role_text = None
    if role_toks:
        role_text = text[role_toks[0].start : role_toks[-1].end].strip(" ,")
        if role_toks[0].low in lex.determiners:
            role_text = _strip_det(role_text, lex)
    if name is None and role_text is None:
        role_text = _strip_det(phrase, lex)
    return Mention(phrase, name, role_text or None, start=start)


@lru_cache(maxsize=16)
def _aliases(lang: str) -> frozenset[str]:
    """One-word party aliases ("России", "Kremlin"): part of a role, never of a person's name."""
    return frozenset(a[0] for al in lexicon(lang).parties.values() for a in al if len(a) == 1)


def _clean(word: str) -> str:
    for suffix in ("'s", "’s"):
        if word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _name_word(t: Token, lex: Lexicon) -> bool:
    low = t.low
    return (
        t.is_word
        and t.is_cap
        and not is_role(low, lex)
        and low not in lex.orgs
        and low not in lex.determiners
        and low not in lex.np_links
    )


def prescan(
    registry: Registry,
    text: str,
    spans: list[tuple[int, int]],
    tokens: SentenceTokens | None = None,
) -> None:
    """Register every full name of the article ("EU foreign policy chief Josep Borrell"), so that a
    later surname alone resolves to it even when the full name was not itself a speaker."""
    lex = registry.lex
    if tokens is None:
        tokens = SentenceTokens(text, lex)
    for start, end in spans:
        toks = tokens.sentence(start, end)
        k = 0
        while k < len(toks):
            if not _name_word(toks[k], lex) or (k and toks[k - 1].low in lex.determiners):
                if toks[k].is_word and is_role(toks[k].low, lex):
                    registry.roles_seen.append((toks[k].start, toks[k].text))
                k += 1
                continue
            j = k
            while j < len(toks) and _name_word(toks[j], lex):
                j += 1
            while k < j - 2 and toks[k].low in _aliases(lex.lang):
                k += 1  # "президента РФ Дмитрий Песков": the party belongs to the role
            if j - k >= 2 and j - k <= 3 and not _has_party(toks[k:j], lex):
                left = np_left(toks, k, 0, lex)
                first = left[0] if left else k
                m = mention(toks[first:j], lex, text)
                if m.name and len(m.name.split()) >= 2:
                    name = m.name
                    if tuple(t.low for t in toks[max(0, first - 2) : first]) in (
                        lex.genitive_according
                    ):
                        name = " ".join(nominative(w, lex) for w in name.split())
                    person = registry.add(name, m.role, toks[k].start)
                    registry.seen.append((toks[k].start, person))
            elif j - k == 1:
                named = registry.known_surname(toks[k].text)
                if named is not None:
                    registry.seen.append((toks[k].start, named))
            k = j


def nominative(word: str, lex: Lexicon) -> str:
    """A name in the genitive back in the nominative ("Марии Захаровой" -> "Мария Захарова",
    "Дмитрия Пескова" -> "Дмитрий Песков"), by the lexicon's ending rules, first match wins."""
    low = word.lower()
    for old, new in lex.genitive_endings:
        after_consonant = old[:1] == "*"  # "*а": only after a consonant ("Ивана" -> "Иван")
        suffix = old[1:] if after_consonant else old
        if not low.endswith(suffix) or len(low) - len(suffix) < MIN_NAME_STEM:
            continue
        stem = word[: len(word) - len(suffix)]
        if after_consonant and stem[-1:].lower() in lex.vowels:
            continue
        return stem + new
    return word


def _has_party(toks: list[Token], lex: Lexicon) -> bool:
    return not _party_first_words(lex.lang).isdisjoint(t.low for t in toks)


@lru_cache(maxsize=LEXICON_LANGS)
def _party_first_words(lang: str) -> frozenset[str]:
    """The first words of the party aliases of a language."""
    return frozenset(a[0] for aliases in lexicon(lang).parties.values() for a in aliases if a)
