"""The speaker of a speech cue: the subject of its clause, wherever the sentence puts it.

In order: the phrase right before the cue ("Peskov said", "Die Autoren werfen … vor"); a subject
set off by an apposition ("Andres Granier, der Gouverneur von Tabasco, sagte", "Peskov, speaking
in Moscow, said"); the phrase opening the clause when the cue comes later ("Medvedev bedankte sich
… und sagte", "Museumsdirektor Thomas Metz hat … erklärt"); and the phrase after the cue, when
nothing before it is a subject ("said Peskov", "sprach der mexikanische Präsident", "заявил
Песков"). A phrase after a preposition is never the subject ("In seiner Rede", "In a statement").
"""

from __future__ import annotations

from briefing.attribution.cues import CueHit
from briefing.attribution.lexicon import Lexicon
from briefing.attribution.speakers import (
    Mention,
    is_role,
    mention,
    modifier,
    nominative,
    np_left,
    np_right,
)
from briefing.attribution.tokens import Token

# Longest apposition between a subject and its cue ("X, the head of …, said"): tokens.
MAX_APPOSITION_TOKENS = 16
# Longest stretch between a clause-opening subject and its cue: tokens.
MAX_SUBJECT_GAP = 14
# Adjectives without an article a preposition may govern before its noun: words.
MAX_BARE_ADJECTIVES = 2
# Shortest all-capitals word taken for an organisation's name: letters.
MIN_ACRONYM_LETTERS = 2
_HARD_MARKS = frozenset(":;")
_PAREN = frozenset("()")


def find_speaker(
    toks: list[Token], cue: CueHit, lo: int, hi: int, lex: Lexicon, text: str
) -> tuple[Mention, tuple[int, int]] | None:
    """The speaker of `cue` among toks[lo:hi] and the token span it covers, or None."""
    if cue.according:
        words = tuple(t.low for t in toks[cue.start : cue.end])
        if words in lex.according_pronoun:
            pos = toks[cue.start].start
            return Mention(cue.text, None, None, pronoun=True, start=pos), (cue.start, cue.end)
        if cue.source is not None:
            return _source_phrase(toks, cue.end, cue.source, hi, lex, text)
        i = cue.end
        while i < hi and (
            (toks[i].low in lex.prepositions and toks[i].low in lex.fillers)
            or (toks[i].low in lex.adverbs_before_cue and not toks[i].is_cap)
        ):
            i += 1  # "как отметили в МИД России", "как сообщил вчера министр"
        span = np_right(toks, i, hi, lex)
        found = _ok(toks, span, lex, text, subject=True)
        if found is not None and found[0].name is not None and words in lex.genitive_according:
            m = found[0]
            name = " ".join(nominative(w, lex) for w in found[0].name.split())
            return Mention(m.text, name, m.role, start=m.start), found[1]
        return found
    if cue.post:
        span = np_left(toks, cue.start, lo, lex)
        return _ok(toks, span, lex, text, subject=True)
    words = tuple(t.low for t in toks[cue.start : cue.end])
    if words in lex.document_cues:
        found = _document(toks, cue, lo, hi, lex, text)
        if found is not None:
            return found
    if words and words[0] in lex.quoting_cues:
        found = right_speaker(toks, cue.end, hi, lex, text)
        if found is not None:
            return found
    found = _relative_subject(toks, cue.start, lo, lex, text)
    if found is not None:
        return found
    left = np_left(toks, cue.start, lo, lex)
    if left is not None and not _after_preposition(toks, left[0], lex):
        found = _ok(toks, left, lex, text, subject=True)
        if found is not None:
            unnamed = found[0].name is None or (
                left[0] > 0 and toks[left[0] - 1].low in lex.determiners
            )
            if unnamed and not found[0].pronoun:
                # "Der Zeitung sagte Filep Karma:": a named phrase closing the clause after the
                # cue is the subject; the phrase before it was an object.
                after = right_speaker(toks, cue.end, hi, lex, text)
                if after is not None and after[0].name and _closes_clause(toks, after[1][1], hi):
                    return after
            return found
    found = _apposition(toks, cue.start, lo, lex, text)
    if found is not None:
        return found
    found = _clause_subject(toks, cue.start, lo, lex, text)
    if found is not None:
        return found
    return right_speaker(toks, cue.end, hi, lex, text)


def right_speaker(
    toks: list[Token], i: int, hi: int, lex: Lexicon, text: str
) -> tuple[Mention, tuple[int, int]] | None:
    """The speaker after the cue: "said Peskov", "erklärte der Sprecher", "charakterisierte ihn
    der Funktionär"."""
    skipped_filler = False
    after_so = i > 0 and toks[i - 1].low in lex.inversion_cues  # "…, so der UN-Mitarbeiter."
    while i < hi and (
        toks[i].low in lex.objects
        or toks[i].low in lex.reflexive
        or (
            toks[i].low in lex.fillers
            and toks[i].low not in lex.determiners
            and not toks[i].is_cap
            and toks[i].is_word
        )
    ):
        skipped_filler = skipped_filler or toks[i].low in lex.fillers
        if toks[i].low in lex.pronouns and i + 1 < hi and not toks[i + 1].is_word:
            break  # "sagte er." : the pronoun is the speaker
        i += 1
    span = np_right(toks, i, hi, lex)
    if span is not None and skipped_filler and span[1] < hi:
        nxt = toks[span[1]]
        if (
            nxt.is_word
            and not nxt.is_cap
            and nxt.low not in lex.fillers
            and nxt.low not in lex.prepositions
            and nxt.low not in lex.determiners
        ):
            return None  # "commenting on Borrell's recent statements": the phrase is no subject
    # "Zudem verlangen die Mönche, dass …": a phrase opened by a nominative determiner that
    # closes the clause after the verb is its subject.
    nominative = (
        span is not None
        and (toks[span[0]].low in lex.nominative_determiners or after_so)
        and _closes_clause(toks, span[1], hi)
    )
    found = _ok(toks, span, lex, text, subject=nominative)
    if found is not None and span is not None and found[0].name is None:
        named = _trailing_name(toks, span[1], hi, lex, text)
        if named is not None:
            m = found[0]
            return Mention(m.text, named.name, m.role, start=m.start), span
    return found


def _trailing_name(toks: list[Token], end: int, hi: int, lex: Lexicon, text: str) -> Mention | None:
    """ "so der Sprecher der Miliz, Omar Said.": the name in apposition closing the clause."""
    if end >= hi or toks[end].text != ",":
        return None
    span = np_right(toks, end + 1, hi, lex)
    if span is None or not _closes_clause(toks, span[1], hi):
        return None
    m = mention(toks[span[0] : span[1]], lex, text)
    return m if m.name and not m.role else None


def _source_phrase(
    toks: list[Token], start: int, noun: int, hi: int, lex: Lexicon, text: str
) -> tuple[Mention, tuple[int, int]]:
    """ "Angaben der New York Times" -> New York Times; "ersten Ermittlungen" -> the phrase."""
    end = noun + 1
    if end < hi and toks[end].low in lex.np_links | lex.determiners:
        owner = np_right(toks, end + 1 if toks[end].low in lex.np_links else end, hi, lex)
        if owner is None and toks[end].low in lex.determiners:
            owner = np_right(toks, end, hi, lex)
        if owner is not None:
            m = mention(toks[owner[0] : owner[1]], lex, text)
            return m, (start, owner[1])
    phrase = text[toks[start].start : toks[noun].end]
    return Mention(phrase, None, phrase, start=toks[start].start), (start, end)


def _document(
    toks: list[Token], cue: CueHit, lo: int, hi: int, lex: Lexicon, text: str
) -> tuple[Mention, tuple[int, int]] | None:
    """ "In einem Positionspapier des Ministeriums heißt es", "heißt es in dem Schreiben",
    "в заявлении МИД говорится": the document named after "in" is the source."""
    for k in range(cue.start - 1, max(lo, cue.start - MAX_APPOSITION_TOKENS) - 1, -1):
        if toks[k].low in lex.document_preps:
            span = np_right(toks, k + 1, cue.start, lex)
            if span is not None and span[1] == cue.start:
                return mention(toks[span[0] : span[1]], lex, text), span
            break
        if not toks[k].is_word:
            break
    i = cue.end
    while i < hi and toks[i].low in lex.fillers and toks[i].low not in lex.document_preps:
        i += 1
    if i < hi and toks[i].low in lex.document_preps:
        span = np_right(toks, i + 1, hi, lex)
        if span is not None:
            return mention(toks[span[0] : span[1]], lex, text), span
    return None


def _closes_clause(toks: list[Token], end: int, hi: int) -> bool:
    return end >= hi or (not toks[end].is_word and toks[end].text not in _PAREN)


def _after_preposition(toks: list[Token], start: int, lex: Lexicon) -> bool:
    """Whether the phrase is governed by a preposition ("in seiner Rede", "anlässlich der …")."""
    k = start
    bare = 0  # adjectives with no article: "wegen vergleichbarer Delikte"
    while k > 0:
        t = toks[k - 1]
        if t.low in lex.determiners or modifier(toks, k - 1, lex) or t.text[:1].isdigit():
            k -= 1  # also a number: "vor 125 Jahren", "in two weeks"
        elif (
            bare < MAX_BARE_ADJECTIVES
            and t.is_word
            and not t.is_cap
            and lex.modifier_suffixes
            and t.low.endswith(lex.modifier_suffixes)
            and t.low not in lex.cues
            and t.low not in lex.auxiliaries
            and t.low not in lex.prepositions
            and t.low not in lex.function_words
        ):
            k -= 1
            bare += 1
        else:
            break
    return k > 0 and toks[k - 1].low in lex.prepositions and toks[k - 1].is_word


def _apposition(
    toks: list[Token], cue: int, lo: int, lex: Lexicon, text: str
) -> tuple[Mention, tuple[int, int]] | None:
    """ "NAME, ROLE, cue" / "ROLE, NAME, cue" / "NAME (PARTY), cue" / "NAME, speaking …, said"."""
    k = cue
    while k > lo and toks[k - 1].low in lex.adverbs_before_cue:
        k -= 1
    if k <= lo or toks[k - 1].text not in ",)":
        return None
    close = k - 1
    if toks[close].text == ")":
        op = next((x for x in range(close - 1, lo - 1, -1) if toks[x].text == "("), None)
        if op is None:
            return None
        comma = op
    else:
        mark = _relative_opening(toks, close, lo, lex)
        if mark is None:
            mark = next(
                (
                    x
                    for x in range(close - 1, max(lo, close - MAX_APPOSITION_TOKENS) - 1, -1)
                    if toks[x].text in ",:;"
                ),
                None,
            )
        if mark is None or toks[mark].text != ",":
            return None
        comma = mark
    relative = _relative_opening(toks, close, lo, lex) == comma
    if not relative and any(t.low in lex.cues for t in toks[comma + 1 : close]):
        return None  # the stretch between the commas is a clause of its own
    head = np_left(toks, comma, lo, lex)
    if head is None:
        return None
    if _after_preposition(toks, head[0], lex):
        # "Der Vorsitzende des Verbands in Deutschland, Michael Knipper, sagte": the phrase
        # opening the clause, with its prepositional tail.
        opening = np_right(toks, lo, comma, lex)
        if opening is None or _after_preposition(toks, opening[0], lex):
            return None
        head = opening
    if head[0] > lo and toks[head[0] - 1].low in lex.cues:
        return None  # the phrase is the object of a verb of saying, not a subject
    first = _ok(toks, head, lex, text, subject=True)
    if first is None:
        return None
    if relative:
        return first[0], (head[0], close)  # the relative clause describes, it names no role
    m, _ = first
    inner = np_right(toks, comma + 1, close, lex)
    if inner is not None and inner[1] == close and toks[close].text == ",":
        second = mention(toks[inner[0] : inner[1]], lex, text)
        if m.name is None and second.name is not None:
            # "Der Vorsitzende des Verbands, Michael Knipper, sagte": the name is the apposition.
            return Mention(m.text, second.name, m.role or second.role, start=m.start), (
                head[0],
                close,
            )
        if m.name is not None and second.role and not m.role:
            return Mention(m.text, m.name, second.role, start=m.start), (head[0], close)
    if inner is not None and m.name is not None and not m.role and toks[close].text == ",":
        # "Maria Lopez, the head of the port authority, said": the apposition is her role.
        role = text[toks[inner[0]].start : toks[close - 1].end]
        first_word = toks[inner[0]].low
        if first_word in lex.determiners:
            role = role.split(" ", 1)[-1]
        return Mention(m.text, m.name, role, start=m.start), (head[0], close)
    return first[0], (head[0], close)


def _relative_subject(
    toks: list[Token], cue: int, lo: int, lex: Lexicon, text: str
) -> tuple[Mention, tuple[int, int]] | None:
    """ "… der Polizei, die einen unnatürlichen Tod bekannt gab", "the ministry, which said": in
    a relative clause opened by a subject pronoun the speaker is the phrase it refers to."""
    for x in range(cue - 1, max(lo, cue - MAX_APPOSITION_TOKENS) - 1, -1):
        if toks[x].text in ":;":
            return None
        if toks[x].text != ",":
            continue
        if x + 1 >= cue or toks[x + 1].low not in lex.subject_relatives:
            return None
        if x + 2 < cue and lex.capitalised_nouns:
            nxt = toks[x + 2]
            if nxt.is_cap and nxt.low not in lex.determiners:
                return None  # ", die Polizei habe bestätigt": an article, not a pronoun
        head = np_left(toks, x, lo, lex)  # also after a preposition: "backed by the ministry,"
        if head is None:
            return None
        return _ok(toks, head, lex, text, subject=True)
    return None


def _relative_opening(toks: list[Token], close: int, lo: int, lex: Lexicon) -> int | None:
    """The comma opening a relative clause that ends at `close` ("Baptie, die die Stärke … mit
    5,1 angegeben hatte, sagte"), or None."""
    for x in range(close - 1, max(lo, close - 2 * MAX_APPOSITION_TOKENS) - 1, -1):
        if toks[x].text in ":;":
            return None
        if toks[x].text == "," and x + 2 < close and toks[x + 1].low in lex.relative_pronouns:
            nxt = toks[x + 2]
            if nxt.is_cap and nxt.low not in lex.determiners:
                return None  # "Andreas Vogt, der Bürgermeister von Kassel, sagte": apposition
            return x
    return None


def _clause_subject(
    toks: list[Token], cue: int, lo: int, lex: Lexicon, text: str
) -> tuple[Mention, tuple[int, int]] | None:
    """The phrase opening the clause, when the cue comes later in it ("Medvedev bedankte sich …
    und sagte:", "Museumsdirektor Thomas Metz hat … erklärt:")."""
    start = lo
    for x in range(cue - 1, lo - 1, -1):
        if toks[x].text in _HARD_MARKS:
            start = x + 1
            break
    while start < cue and (
        toks[start].low in lex.clause_openers
        or toks[start].low in lex.as_openers
        or not toks[start].is_word
    ):
        if toks[start].text in _PAREN:
            return None
        start += 1
    if cue - start > MAX_SUBJECT_GAP:
        return None
    span = np_right(toks, start, cue, lex)
    if span is None or span[1] >= cue:
        return None
    nxt = toks[span[1]]
    if not nxt.is_word or nxt.is_cap:
        return None  # a comma or another name follows: not a plain subject-verb start
    if any(t.text in "," for t in toks[span[1] : cue]):
        return None
    return _ok(toks, span, lex, text, subject=True)


def _ok(
    toks: list[Token], span: tuple[int, int] | None, lex: Lexicon, text: str, *, subject: bool
) -> tuple[Mention, tuple[int, int]] | None:
    """The mention of a span when it can name a speaker: a person or organisation's name, a role,
    a pronoun; in subject position also a noun phrase ("Die Autoren der Studie")."""
    if span is None:
        return None
    m = mention(toks[span[0] : span[1]], lex, text)
    if m.pronoun or m.name:
        return m, span
    words = [t for t in toks[span[0] : span[1]] if t.is_word]
    if any(is_role(t.low, lex) or t.low in lex.orgs or _acronym(t) for t in words):
        return m, span
    if subject and m.role:
        return m, span
    if not lex.determiners and m.role:
        return m, span
    return None


def _acronym(t: Token) -> bool:
    """An organisation's short name ("USGS", "ACLU", "МЧС")."""
    letters = [c for c in t.text if c.isalpha()]
    return len(letters) >= MIN_ACRONYM_LETTERS and all(c.isupper() for c in letters)


def subject_phrase(
    toks: list[Token], span: tuple[int, int], lex: Lexicon, text: str
) -> Mention | None:
    """The mention of a phrase that names a person, an organisation or a role and that no
    preposition governs; None otherwise."""
    if _after_preposition(toks, span[0], lex):
        return None
    m = mention(toks[span[0] : span[1]], lex, text)
    if m.pronoun:
        return None
    words = [t for t in toks[span[0] : span[1]] if t.is_word]
    if m.name and not lex.determiners:
        return m
    if any(is_role(t.low, lex) or t.low in lex.orgs for t in words):
        return m
    if m.name and not any(t.low in lex.determiners for t in words):
        return m
    return None
