"""Per-language lexicons (briefing/data/lexicons/<lang>.json), loaded once and read-only.

The data files hold everything language-specific: speech cues with their inflections, the phrases
that introduce a source ("according to"), role nouns, pronouns, party aliases, stance cues. Adding
a language or a cue is a data change, not a code change.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

FALLBACK_LANG = "en"
# Tables derived from a lexicon are kept for this many languages (a bounded cache each; the
# supported five and a few besides): languages.
LEXICON_LANGS = 8


@dataclass(frozen=True, slots=True)
class Cue:
    """One form of a speech cue: its words, and a separable verb's particle that must follow."""

    words: tuple[str, ...]
    particle: str | None = None

    @property
    def text(self) -> str:
        return " ".join(self.words) + (f" … {self.particle}" if self.particle else "")


@dataclass(frozen=True, slots=True)
class Lexicon:
    lang: str
    cues: dict[str, tuple[Cue, ...]]  # first word -> the cue forms starting with it
    according: tuple[tuple[str, ...], ...]
    according_post: frozenset[str]
    inversion_cues: frozenset[str]
    comp: frozenset[str]
    pronouns: frozenset[str]
    group_pronouns: frozenset[str]
    reflexive: frozenset[str]
    determiners: frozenset[str]
    np_links: frozenset[str]
    roles: frozenset[str]
    role_heads: frozenset[str]
    orgs: frozenset[str]
    fillers: frozenset[str]
    adverbs_before_cue: frozenset[str]
    abbreviations: frozenset[str]
    reported_mood: frozenset[str]
    parties: dict[str, tuple[tuple[str, ...], ...]]  # canonical -> alias token sequences
    conflict: tuple[str, ...]
    cooperation: tuple[str, ...]
    issue_preps: tuple[tuple[str, ...], ...]
    # Speaker phrases: a phrase after a preposition is no subject ("In seiner Rede"); a capitalised
    # function word opening a sentence is no name ("Ähnlich", "Nach"); lower-case modifiers may
    # sit inside a speaker phrase ("the former minister", "der zuständige Vorstand").
    prepositions: frozenset[str] = frozenset()
    function_words: frozenset[str] = frozenset()
    modifiers: frozenset[str] = frozenset()
    modifier_suffixes: tuple[str, ...] = ()
    auxiliaries: frozenset[str] = frozenset()
    objects: frozenset[str] = frozenset()
    clause_openers: frozenset[str] = frozenset()
    # "по его словам", "according to him": the speaker is the pronoun, resolved to the last one.
    according_pronoun: frozenset[tuple[str, ...]] = frozenset()
    # Words that turn a cooperation cue into its refusal ("refused to meet", "не согласилась").
    negations: frozenset[str] = frozenset()
    # "Nach Angaben der Polizei", "nach ersten Ermittlungen": a preposition and a noun of
    # information (or a compound ending in one, "Polizeiangaben") introduce a source.
    # Every country's name in this language (countries.json, built from the CLDR): parties of a
    # dispute only, never a reason to cut a person's name.
    countries: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)
    # Words that begin like a stance cue but are none ("according", "missionary").
    # A reported clause after its verb opens after a comma (de "sagte der Zeitung, …"); what
    # precedes the comma is the verb's adjuncts.
    comma_before_clause: bool = False
    stance_exclude: frozenset[str] = frozenset()
    # The endings a short stance stem may take ("ban" -> "banned"); none listed: any ending.
    stem_endings: frozenset[str] = frozenset()
    capitalised_adjectives: bool = False  # en: "Russian", "American"; never "turkey" the bird
    # "In dem Schreiben heißt es", "в заявлении говорится": the document in the prepositional
    # phrase is the source. "X zitiert Y mit den Worten": the one quoted (Y) is the speaker.
    document_cues: frozenset[tuple[str, ...]] = frozenset()
    document_preps: frozenset[str] = frozenset()
    quoting_cues: frozenset[str] = frozenset()
    source_preps: frozenset[str] = frozenset()
    source_nouns: tuple[str, ...] = ()
    negation_after: int = 0  # words after a cue a negation may follow it (German "… nicht")
    # Konjunktiv I forms only ("sei", "habe", never "wäre", "würden"): a sentence with one and no
    # cue of its own reports what the last speaker said, even after a sentence of narration.
    reported_mood_strict: frozenset[str] = frozenset()
    first_person: frozenset[str] = frozenset()
    # Lower-case particles inside a person's name ("von der Leyen", "de Gaulle", "ван дер").
    name_particles: frozenset[tuple[str, ...]] = frozenset()
    # "Wie X mitteilte, …", "as X said", "как сообщил X": the word opening such a clause.
    as_openers: frozenset[str] = frozenset()
    # Determiners a subject after its verb may open with ("verlangen die Mönche, dass …"); the
    # others are dative or genitive too ("sagte der Zeitung").
    nominative_determiners: frozenset[str] = frozenset()
    # "Brian Baptie, der die Stärke … angegeben hatte, sagte": a relative clause, no apposition.
    relative_pronouns: frozenset[str] = frozenset()
    # The relative pronouns that are the subject of their clause ("die", "which", "который").
    subject_relatives: frozenset[str] = frozenset()
    # Cues "sprach … von X": the "particle" is a preposition whose object is what was said.
    prepositional_particles: frozenset[str] = frozenset()
    # "Mit den Worten „…“", "with the words": a quote introduced without a verb of saying.
    quote_intros: tuple[tuple[str, ...], ...] = ()
    # ru "по словам X": X in the genitive; endings rewritten to the nominative ("ой" -> "а");
    # an ending "*а" is dropped after a consonant ("Пескова" -> "Песков").
    genitive_according: frozenset[tuple[str, ...]] = frozenset()
    genitive_endings: tuple[tuple[str, str], ...] = ()
    vowels: frozenset[str] = frozenset()
    # "Dies gab Airbus bekannt", "Об этом сообщил X": the anaphor opening the clause points to
    # the sentence before, which is what was said.
    anaphors: tuple[tuple[str, ...], ...] = ()
    # Title abbreviations written with a dot before a name ("Rep.", "Sen.", "Dr.").
    titles: frozenset[str] = frozenset()
    # ru: "Владимир Владимирович Путин"; a name of more words before which a role stands keeps
    # its last two words, or three with a patronymic.
    patronymic_suffixes: tuple[str, ...] = ()
    capitalised_nouns: bool = False  # de: every noun is capitalised, not only names
    ordinal_dot: bool = False  # de: "am 6. September", the dot of an ordinal ends no sentence


def _words(phrase: str) -> tuple[str, ...]:
    # The same word boundaries as the tokenizer, so "e.u." or "пресс-секретарь" stay whole.
    from briefing.attribution.tokens import word_tokens

    return tuple(word_tokens(phrase.lower()))


def _cues(entries: list[str]) -> dict[str, tuple[Cue, ...]]:
    table: dict[str, list[Cue]] = {}
    for entry in entries:
        # One lemma per entry: forms separated by "|" when a form has spaces, else by spaces.
        forms = entry.split("|") if "|" in entry else entry.split()
        for form in forms:
            head, _, particle = form.partition("...")
            words = _words(head)
            if not words:
                continue
            cue = Cue(words, particle.strip().lower() or None)
            table.setdefault(words[0], []).append(cue)
    # Longest form first, so "called for" wins over "called".
    return {k: tuple(sorted(v, key=lambda c: -len(c.words))) for k, v in table.items()}


def _set(data: dict[str, Any], key: str) -> frozenset[str]:
    return frozenset(str(x).lower() for x in data.get(key, []))


@cache
def _country_table() -> dict[str, dict[str, list[str]]]:
    path = resources.files("briefing").joinpath("data/lexicons/countries.json")
    table: dict[str, dict[str, list[str]]] = json.loads(path.read_text("utf-8"))
    return table


def _countries(lang: str) -> dict[str, tuple[tuple[str, ...], ...]]:
    return {
        name: tuple(_words(a) for a in aliases)
        for name, aliases in _country_table().get(lang, {}).items()
    }


def lexicon(lang: str) -> Lexicon:
    """The lexicon of `lang`, English for a language without one."""
    # Only languages with a lexicon file reach the cache: a brief may carry any two or three
    # letter language hint, and a cache keyed by those would grow without bound.
    return _load(lang if lang in _languages() else FALLBACK_LANG)


@cache
def _languages() -> frozenset[str]:
    root = resources.files("briefing").joinpath("data/lexicons")
    return frozenset(
        entry.name.removesuffix(".json")
        for entry in root.iterdir()
        if entry.name.endswith(".json") and entry.name != "countries.json"
    )


@cache
def _load(lang: str) -> Lexicon:
    path = resources.files("briefing").joinpath(f"data/lexicons/{lang}.json")
    data: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return Lexicon(
        lang=lang,
        cues=_cues(data.get("cues", [])),
        according=tuple(sorted((_words(p) for p in data.get("according", [])), key=len)[::-1]),
        according_post=_set(data, "according_post"),
        inversion_cues=_set(data, "inversion_cues"),
        comp=_set(data, "comp"),
        pronouns=_set(data, "pronouns"),
        group_pronouns=_set(data, "group_pronouns"),
        reflexive=_set(data, "reflexive"),
        determiners=_set(data, "determiners"),
        np_links=_set(data, "np_links"),
        roles=_set(data, "roles"),
        role_heads=_set(data, "role_heads"),
        orgs=_set(data, "orgs"),
        fillers=_set(data, "fillers"),
        adverbs_before_cue=_set(data, "adverbs_before_cue"),
        abbreviations=_set(data, "abbreviations"),
        reported_mood=_set(data, "reported_mood"),
        reported_mood_strict=_set(data, "reported_mood_strict"),
        first_person=_set(data, "first_person"),
        name_particles=frozenset(_words(p) for p in data.get("name_particles", [])),
        as_openers=_set(data, "as_openers"),
        nominative_determiners=_set(data, "nominative_determiners"),
        relative_pronouns=_set(data, "relative_pronouns"),
        subject_relatives=_set(data, "subject_relatives"),
        ordinal_dot=bool(data.get("ordinal_dot", False)),
        capitalised_nouns=bool(data.get("capitalised_nouns", False)),
        patronymic_suffixes=tuple(str(x) for x in data.get("patronymic_suffixes", [])),
        titles=_set(data, "titles"),
        anaphors=tuple(_words(p) for p in data.get("anaphors", [])),
        genitive_according=frozenset(_words(p) for p in data.get("genitive_according", [])),
        genitive_endings=tuple((str(a), str(b)) for a, b in data.get("genitive_endings", [])),
        vowels=frozenset(str(data.get("vowels", ""))),
        quote_intros=tuple(_words(p) for p in data.get("quote_intros", [])),
        prepositional_particles=_set(data, "prepositional_particles"),
        parties={
            name: tuple(_words(a) for a in aliases)
            for name, aliases in data.get("parties", {}).items()
        },
        conflict=tuple(str(x).lower() for x in data.get("conflict", [])),
        cooperation=tuple(str(x).lower() for x in data.get("cooperation", [])),
        issue_preps=tuple(_words(p) for p in data.get("issue_preps", [])),
        prepositions=_set(data, "prepositions"),
        function_words=_set(data, "function_words"),
        modifiers=_set(data, "modifiers"),
        modifier_suffixes=tuple(str(x) for x in data.get("modifier_suffixes", [])),
        auxiliaries=_set(data, "auxiliaries"),
        objects=_set(data, "objects"),
        clause_openers=_set(data, "clause_openers"),
        negations=_set(data, "negations"),
        source_preps=_set(data, "source_preps"),
        document_cues=frozenset(_words(p) for p in data.get("document_cues", [])),
        document_preps=_set(data, "document_preps"),
        quoting_cues=_set(data, "quoting_cues"),
        stance_exclude=_set(data, "stance_exclude"),
        comma_before_clause=bool(data.get("comma_before_clause", False)),
        stem_endings=frozenset(str(x) for x in data.get("stem_endings", [])),
        capitalised_adjectives=bool(data.get("capitalised_adjectives", False)),
        countries=_countries(lang),
        source_nouns=tuple(str(x).lower() for x in data.get("source_nouns", [])),
        negation_after=int(data.get("negation_after", 0)),
        according_pronoun=frozenset(_words(p) for p in data.get("according_pronoun", [])),
    )
