"""Topic matching: does a followed topic ("Russia EU sanctions") match a brief?

Pure and deterministic. A topic matches when every content word of it (stop words dropped) is found
in the brief's speakers, roles, sides, parties, issue, title or summary. Words are compared by keys,
not by spelling, so that inflection, aliases and script do not matter:

* the Snowball stem in every language of the word's script ("sanctions" -> "sanction",
  "Навального" -> "навальн");
* a Latin skeleton of the stem and of the whole word: transliterated to ASCII (anyascii), letters
  only, trailing vowels dropped ("Навальный" -> "navaln" and "Navalny" -> "navaln"; "Пескова" ->
  "peskov" and "Peskov" -> "peskov"), which is what makes names match across scripts;
* an alias concept: "Kremlin", "Moscow", "Кремль", "Russland" all stand for Russia, so the topic
  "Russia" matches a brief that only says "the Kremlin".

All words of a topic must match (a user who follows "Russia EU sanctions" does not want every
brief about Russia). Keys of a brief are computed once and cached by the caller (`BriefTerms`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer
from anyascii import anyascii

from briefing.model import Brief

# Languages whose Snowball stemmer applies to a word, by script. The bot's five languages.
LATIN_STEMMERS = ("english", "german", "french", "spanish")
CYRILLIC_STEMMERS = ("russian",)

# A skeleton shorter than this is too ambiguous ("eu" would lose its vowels): keep the word whole.
MIN_SKELETON_CHARS = 3
# Words this short are matched exactly, never by stem or skeleton; in topics they are read as
# acronyms (a user typing "eu" means the EU).
MAX_ACRONYM_CHARS = 2
STEM_CACHE_SIZE = 200_000
# A topic longer than this is not a topic; extra words are ignored.
MAX_TOPIC_WORDS = 12
MAX_TOPIC_CHARS = 200

# Apostrophes split words: "Russia's" -> "Russia" "s", "l'UE" -> "l" "UE".
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_TRAILING_VOWELS = re.compile(r"[aeiouy]+$")

# Words that carry no topic: dropped from topics (never from briefs, where they are harmless).
_STOP_WORDS_BY_LANGUAGE = {
    "en": "a an and or the of in on at to for from with by about vs versus over against news",
    "de": "und oder der die das den dem des ein eine einer mit von zu im am um gegen über",
    "fr": "et ou le la les un une des du de au aux en avec sur contre pour entre",
    "es": "y o el los las una unos unas del al con por para sobre contra",
    "ru": "и или в во на с со по о об от до для против между из к у а но",
}
STOP_WORDS = frozenset(w for line in _STOP_WORDS_BY_LANGUAGE.values() for w in line.split())

# Alias concepts: every phrase of a row stands for the row's concept. Phrases are matched by word
# keys, so inflected forms ("Кремля", "Russia's", "Moskau") are covered by one entry.
ALIASES: dict[str, tuple[str, ...]] = {
    "russia": (
        "Russia",
        "Russian Federation",
        "Kremlin",
        "Moscow",
        "Russian government",
        "Россия",
        "Российская Федерация",
        "Кремль",
        "Москва",
        "РФ",
        "Russland",
        "Kreml",
        "Moskau",
        "Russie",
        "Moscou",
        "Rusia",
        "Moscú",
    ),
    "eu": (
        "EU",
        "European Union",
        "Brussels",
        "European Commission",
        "ЕС",
        "Евросоюз",
        "Европейский союз",
        "Брюссель",
        "Еврокомиссия",
        "Europäische Union",
        "Brüssel",
        "UE",
        "Union européenne",
        "Bruxelles",
        "Unión Europea",
        "Bruselas",
    ),
    "usa": (
        "USA",
        "United States",
        "Washington",
        "White House",
        "US",
        "США",
        "Соединённые Штаты",
        "Соединенные Штаты",
        "Вашингтон",
        "Белый дом",
        "Vereinigte Staaten",
        "Weißes Haus",
        "États-Unis",
        "Etats-Unis",
        "Maison Blanche",
        "Estados Unidos",
        "EEUU",
        "Casa Blanca",
    ),
    "ukraine": ("Ukraine", "Kyiv", "Kiev", "Украина", "Киев", "Kiew", "Ucrania"),
    "china": ("China", "Beijing", "Китай", "Пекин", "Peking", "Chine", "Pékin", "Pekín"),
    "uk": (
        "UK",
        "United Kingdom",
        "Britain",
        "Great Britain",
        "London",
        "Downing Street",
        "Великобритания",
        "Лондон",
        "Großbritannien",
        "Royaume-Uni",
        "Reino Unido",
    ),
    "germany": ("Germany", "Berlin", "Германия", "Берлин", "Deutschland", "Allemagne", "Alemania"),
    "france": ("France", "Paris", "Elysee", "Élysée", "Франция", "Париж", "Frankreich", "Francia"),
    "nato": ("NATO", "North Atlantic Alliance", "НАТО", "OTAN"),
    "un": ("UN", "United Nations", "ООН", "UNO", "Vereinte Nationen", "ONU", "Nations unies"),
    "sanctions": ("sanctions", "санкции", "Sanktionen", "sanciones"),
}


def _script_stemmers(word: str) -> tuple[str, ...]:
    if any("\u0400" <= ch <= "\u04ff" for ch in word):
        return CYRILLIC_STEMMERS
    if word.isascii() or any("a" <= ch.lower() <= "z" for ch in word):
        return LATIN_STEMMERS
    return ()


@lru_cache(maxsize=16)
def _stemmer(language: str) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer(language)


def _skeleton(text: str) -> str:
    latin = "".join(ch for ch in anyascii(text).lower() if "a" <= ch <= "z")
    latin = latin.replace("x", "ks").replace("kh", "h").replace("ck", "k")
    stripped = _TRAILING_VOWELS.sub("", latin)
    return stripped if len(stripped) >= MIN_SKELETON_CHARS else latin


@lru_cache(maxsize=STEM_CACHE_SIZE)
def word_keys(word: str) -> frozenset[str]:
    """The keys a word matches by: its stems and Latin skeletons (all lower case)."""
    if len(word) <= MAX_ACRONYM_CHARS:
        # Short words match exactly, an acronym only as an acronym: "US" is not "us".
        return frozenset({"=" + (word if word.isupper() else word.casefold())})
    lowered = word.casefold()
    keys = {lowered, _skeleton(lowered)}
    for language in _script_stemmers(lowered):
        stem = _stemmer(language).stemWord(lowered)
        keys.add(stem)
        keys.add(_skeleton(stem))
    return frozenset(k for k in keys if k)


def words(text: str) -> list[str]:
    """The words of a text, in order (letters and digits, inner apostrophes kept)."""
    return _WORD.findall(text)


@dataclass(frozen=True, slots=True)
class _Alias:
    concept: str
    keys: tuple[frozenset[str], ...]  # one key set per word of the phrase


def _build_alias_index() -> dict[str, list[_Alias]]:
    index: dict[str, list[_Alias]] = {}
    for concept, phrases in ALIASES.items():
        for phrase in phrases:
            keys = tuple(word_keys(w) for w in words(phrase))
            alias = _Alias(concept, keys)
            for key in keys[0]:
                index.setdefault(key, []).append(alias)
    return index


_ALIAS_INDEX = _build_alias_index()


def _concepts_at(tokens: Sequence[frozenset[str]], i: int) -> list[tuple[str, int]]:
    """Alias concepts whose phrase starts at token i, with the phrase length."""
    found: list[tuple[str, int]] = []
    seen: set[int] = set()
    for key in tokens[i]:
        for alias in _ALIAS_INDEX.get(key, ()):
            if id(alias) in seen:
                continue
            seen.add(id(alias))
            n = len(alias.keys)
            if i + n <= len(tokens) and all(alias.keys[j] & tokens[i + j] for j in range(n)):
                found.append((alias.concept, n))
    return found


@dataclass(frozen=True, slots=True)
class BriefTerms:
    """Everything a topic can match in one brief: word keys and alias concepts."""

    keys: frozenset[str]
    concepts: frozenset[str]


def terms_of_text(texts: Iterable[str]) -> BriefTerms:
    keys: set[str] = set()
    concepts: set[str] = set()
    for text in texts:
        tokens = [word_keys(w) for w in words(text)]
        for i, token_keys in enumerate(tokens):
            keys.update(token_keys)
            concepts.update(c for c, _ in _concepts_at(tokens, i))
    return BriefTerms(frozenset(keys), frozenset(concepts))


def brief_terms(brief: Brief) -> BriefTerms:
    """The terms of a brief's speakers, roles, sides, parties, issue, title and summary."""
    texts: list[str] = []
    if brief.title:
        texts.append(brief.title)
    texts.extend(brief.summary)
    if brief.dispute:
        texts.extend(brief.dispute.parties)
        if brief.dispute.issue:
            texts.append(brief.dispute.issue)
    for st in brief.statements:
        texts.extend(x for x in (st.speaker, st.role, st.side) if x)
    return terms_of_text(texts)


@dataclass(frozen=True, slots=True)
class TopicTerm:
    """One requirement of a topic: a word (any of its keys) or an alias concept."""

    text: str
    keys: frozenset[str]
    concept: str | None = None

    def found_in(self, terms: BriefTerms) -> bool:
        if self.concept is not None and self.concept in terms.concepts:
            return True
        return bool(self.keys & terms.keys)


@dataclass(frozen=True, slots=True)
class Topic:
    """A parsed topic: all of its terms must be found in a brief."""

    text: str
    terms: tuple[TopicTerm, ...]

    def matches(self, terms: BriefTerms) -> bool:
        return bool(self.terms) and all(t.found_in(terms) for t in self.terms)


@lru_cache(maxsize=10_000)
def parse_topic(text: str) -> Topic:
    """Parse what the user typed after /subscribe into terms; multi-word aliases become one term."""
    typed = words(text[:MAX_TOPIC_CHARS])
    # Stop words typed in capitals are acronyms ("UN", not French "un"); short words are acronyms.
    typed = [w for w in typed if w.isupper() or w.casefold() not in STOP_WORDS]
    raw = [w.upper() if len(w) <= MAX_ACRONYM_CHARS else w for w in typed]
    tokens = [word_keys(w) for w in raw]
    terms: list[TopicTerm] = []
    i = 0
    while i < len(tokens) and len(terms) < MAX_TOPIC_WORDS:
        aliases = _concepts_at(tokens, i)
        if aliases:
            concept, n = max(aliases, key=lambda a: a[1])
            phrase = " ".join(raw[i : i + n])
            keys = frozenset().union(*tokens[i : i + n]) if n == 1 else frozenset()
            terms.append(TopicTerm(phrase, keys, concept))
            i += n
            continue
        terms.append(TopicTerm(raw[i], tokens[i]))
        i += 1
    return Topic(text.strip(), tuple(terms))


def topic_matches(topic: str, brief: Brief) -> bool:
    """Convenience for one-off checks; the digest caches `brief_terms` per article."""
    return parse_topic(topic).matches(brief_terms(brief))
