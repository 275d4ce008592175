"""The attribution rules, sentence by sentence: which quote or reported clause, said by whom.

Direct quotes take the cue next to them ("…," he said / X said: "…" / „…“, so X / «…», — заявил X),
a quote split by its attribution joins its first part, a partial quote inside reported speech takes
that sentence's speaker, and a quote standing alone continues the speaker of the statement before.
Reported speech comes in four shapes: "X said (that) …", "…, X said", "according to X, …" and
"X zufolge …"; in German a following sentence in the reported mood (Konjunktiv I) continues it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefing.attribution.cues import CueHit, find_cues
from briefing.attribution.lexicon import Lexicon
from briefing.attribution.quotes import Quote
from briefing.attribution.speakers import Mention, is_role, mention, np_left, np_right
from briefing.attribution.subject import find_speaker, right_speaker, subject_phrase
from briefing.attribution.tokens import SentenceTokens, Token, count_words

# A reported clause shorter than this says nothing worth showing: words.
MIN_CONTENT_WORDS = 3
# A quote with no cue anywhere near must be at least this long to count as speech (not a title,
# a name in «», or scare quotes): words.
MIN_UNATTRIBUTED_QUOTE_WORDS = 5
# A partial quote inside reported speech: words.
MIN_PARTIAL_QUOTE_WORDS = 1
# How far after a closing mark the cue of "…," X said may sit: tokens.
MAX_CUE_DISTANCE = 18
# Reported speech mostly inside quotation marks is the direct quote's, not a second statement.
MAX_QUOTED_SHARE = 0.6
# Lower-case words a speaker phrase may open with before its role noun ("city engineer"): words.
MAX_LOWER_SPEAKER_WORDS = 2
# A web address in quotation marks has at most this many words: words.
MAX_NAME_WORDS = 4
# How far after the verb and speaker the comma opening a German reported clause may sit
# ("sagte am Montag der Zeitung, …"): tokens.
MAX_CLAUSE_MARK_GAP = 8
# German reported-mood sentences continue a statement for at most this many sentences.
MAX_MOOD_CHAIN = 4
# A sentence in Konjunktiv I still reports the last speaker across this many sentences of
# narration in between: sentences.
MAX_MOOD_GAP = 2
# A narration sentence's subject speaks on in Konjunktiv I if it is a role, a body or a name of
# at least this many words ("Mathias Edler"; a lone capitalised German noun may be anything): words.
MIN_NARRATION_NAME_WORDS = 2
# Longest apposition after a narration sentence's subject: tokens.
MAX_APPOSITION = 20
# "According to two diplomats familiar with the talks, …": the longest tail of the source phrase
# before its comma (a longer one is a clause: "Laut X hält es der Präsident für möglich"): tokens.
MAX_SOURCE_TAIL = 6
# A quote of at most this many words right after a capitalised noun names it: words.
MAX_APPOSED_NAME_WORDS = 2
# ... when the noun does not open the sentence (token index of the quote at least): tokens.
MIN_APPOSED_NAME_POS = 2
_WEB_NAME = re.compile(r"(?:https?://)?[\w-]+(?:\.[\w-]+)+(?:/\S*)?")
_PUNCT_SKIP = set(",.:;—–-!?…")
_CLAUSE_MARKS = set(",;:—–")
# What ends a reported clause that comes before its "X said": a comma, a dash, a closing mark.
_BEFORE_MARKS = _CLAUSE_MARKS | set("\"”“»«'’")


@dataclass(slots=True)
class Raw:
    """A statement before speaker resolution and shaping."""

    pos: int
    kind: str
    quote: str
    speaker: Mention | None
    cue: str | None
    key: tuple[int, int] | None = None  # (sentence, cue token) that attributes it


@dataclass(slots=True)
class _Sentence:
    idx: int
    start: int
    end: int
    toks: list[Token]
    usable: list[bool]
    quotes: list[tuple[Quote, int, int]]  # quote, first token, token after
    cues: list[CueHit]


class Rules:
    def __init__(
        self,
        text: str,
        lex: Lexicon,
        quotes: list[Quote],
        tokens: SentenceTokens | None = None,
    ) -> None:
        self.text = text
        self.lex = lex
        self.quotes = quotes
        self.out: list[Raw] = []
        self.tokens = tokens if tokens is not None else SentenceTokens(text, lex)

    # ------------------------------------------------------------------ sentences
    def sentence(self, idx: int, start: int, end: int) -> _Sentence:
        toks = self.tokens.sentence(start, end)
        own = [
            q for q in self.quotes if start <= q.start + 1 < end or start <= q.pieces[0][0] < end
        ]
        usable = [True] * len(toks)
        spans: list[tuple[Quote, int, int]] = []
        for q in own:
            first = next((k for k, t in enumerate(toks) if t.start >= q.start), len(toks))
            after = next((k for k, t in enumerate(toks) if t.start >= q.end), len(toks))
            for k in range(first, after):
                usable[k] = False
            spans.append((q, first, after))
        cues = find_cues(toks, usable, self.lex)
        cues += self._inversions(toks, usable)
        cues.sort(key=lambda c: c.start)
        return _Sentence(idx, start, end, toks, usable, spans, cues)

    def _inversions(self, toks: list[Token], usable: list[bool]) -> list[CueHit]:
        """German "„…“, so der Sprecher." : "so" after a comma, then the speaker, then the end."""
        hits = []
        for k in range(1, len(toks) - 1):
            if not usable[k] or toks[k].low not in self.lex.inversion_cues:
                continue
            if toks[k - 1].text not in ",—–":
                continue
            span = np_right(toks, k + 1, len(toks), self.lex)
            if span is None or not _ends_with_apposition(toks, span[1], self.lex):
                continue
            hits.append(CueHit(k, k + 1, toks[k].text))
        return hits

    def run(self, spans: list[tuple[int, int]]) -> list[Raw]:
        prev: _Sentence | None = None
        chain = 0  # sentences since the last statement that still continue it (reported mood)
        prev_said = False
        said_at = -1  # index of the last sentence that made a statement
        subject: Mention | None = None  # who the sentence before, a narration, is about
        for idx, (start, end) in enumerate(spans):
            s = self.sentence(idx, start, end)
            before = len(self.out)
            carry = None
            if prev_said and not s.cues and self.out and self._in_mood(s):
                carry = self.out[-1].speaker
            elif not s.cues and self._strict_mood(s):
                recent = said_at >= 0 and idx - said_at - 1 <= MAX_MOOD_GAP
                if recent and self.out and not _names_somebody(subject):
                    carry = self.out[-1].speaker
                elif subject is not None:
                    carry = subject
            used = self._direct(s, prev, carry)
            if prev is not None and said_at != idx - 1:
                used |= self._anaphora(s, prev)
            self._indirect(s, used)
            if carry is not None and len(self.out) > before:
                # The sentence in reported mood is the speaker's too, around its quoted words.
                self._reported_mood(s, carry)
            if len(self.out) > before:
                chain, prev_said = 0, True
            elif prev_said and not s.cues and chain < MAX_MOOD_CHAIN:
                prev_said = self._reported_mood(s)
                chain += 1
            elif not s.cues and (
                subject is not None or (said_at >= 0 and idx - said_at - 1 <= MAX_MOOD_GAP)
            ):
                recent = said_at >= 0 and idx - said_at - 1 <= MAX_MOOD_GAP
                who = None if recent and not _names_somebody(subject) else subject
                prev_said = self._strict_mood(s) and self._reported_mood(s, who)
                chain = 0
            else:
                prev_said = False
            if len(self.out) > before:
                said_at = idx
                subject = None
            else:
                subject = self._narration_subject(s)
            prev = s
        return self.out

    # ------------------------------------------------------------------ direct quotes
    def _direct(self, s: _Sentence, prev: _Sentence | None, carry: Mention | None) -> set[int]:
        """Statements for the quotes of a sentence; returns the cues used up by them."""
        used: set[int] = set()
        by_cue: dict[tuple[int, int], Raw] = {}
        for n, (q, qs, qe) in enumerate(s.quotes):
            text = q.text(self.text)
            words = count_words(text)
            if not words:
                continue
            nxt = s.quotes[n + 1][1] if n + 1 < len(s.quotes) else len(s.toks)
            lo = s.quotes[n - 1][2] if n else 0
            if self._named_thing(s, qs, qe, text, words) or (
                self.lex.capitalised_nouns and _apposed_name(s.toks, qs, words)
            ):
                continue
            att = self._after(s, qe, nxt) or self._before(s, lo, qs) or self._intro(s, qs, qe, nxt)
            adjacent = att is not None
            if att is None:
                att = self._partial(s)
            if att is None and (carry is not None or qs > 0):
                # The subject opening a sentence with a speech cue ("… hatte die Zustimmung
                # „trotz einiger Vorbehalte“ bekanntgegeben"); with no cue, a quote is a name or
                # a term ("verhängte den „Alarmzustand“").
                who_ctx = (self._subject(s, qs) if s.cues else None) or carry
                if (
                    who_ctx is not None
                    and not (_is_title(text) and words > 1)
                    and not (_name_as_subject(s.toks, qs, qe, words))
                ):
                    self.out.append(Raw(q.start, "direct", text, who_ctx, None))
                    continue
            if att is not None:
                cue, who = att
                if who is None and self.out and _coordinated(s.toks, cue.start, self.lex):
                    who = self.out[-1].speaker  # "…“, und fügt hinzu: „…“": the same speaker
                if adjacent:
                    used.add(cue.start)
                elif words < MIN_PARTIAL_QUOTE_WORDS or (_is_title(text) and words > 1):
                    continue
                key = (s.idx, cue.start)
                if adjacent and key in by_cue:
                    by_cue[key].quote += " " + text  # the second half of a split quote
                    continue
                raw = Raw(q.start, "direct", text, who, cue.text or None, key)
                if adjacent:
                    by_cue[key] = raw  # only a quote next to its cue has a second half
                self.out.append(raw)
                continue
            if words < MIN_UNATTRIBUTED_QUOTE_WORDS or _is_title(text):
                continue
            who_prev = self._introduced(prev) or self._continued(q.start)
            if who_prev is None and not self._standalone(s, qs, qe):
                continue  # a name or motto inside a sentence, with no speaker anywhere near
            self.out.append(Raw(q.start, "direct", text, who_prev, None))
        return used

    def _named_thing(self, s: _Sentence, qs: int, qe: int, text: str, words: int) -> bool:
        """A quotation that names a thing rather than quotes speech: a web address
        („news.bbc.co.uk“), a motto or heading in parentheses ((Motto: „…“))."""
        if words <= MAX_NAME_WORDS and _WEB_NAME.fullmatch(text.strip()):
            return True
        toks = s.toks
        opened = next((k for k in range(qs - 1, -1, -1) if toks[k].text in "()"), None)
        if opened is not None and toks[opened].text == "(":
            inside = [c for c in s.cues if opened < c.start < qs]
            if not inside:
                return True
        return False

    def _standalone(self, s: _Sentence, qs: int, qe: int) -> bool:
        """Whether a quote stands as a sentence of its own (or after a colon), as speech does."""
        before = [t for t in s.toks[:qs] if t.is_word]
        if before and s.toks[qs - 1].text not in ":—–":
            return False
        return not any(t.is_word for t in s.toks[qe:])

    def _after(self, s: _Sentence, lo: int, hi: int) -> tuple[CueHit, Mention | None] | None:
        """ "…," X said / "…," said X / „…“, so X / «…», — заявил X / „…“, hatte X erklärt."""
        toks, lex = s.toks, self.lex
        k = lo
        while k < hi and toks[k].text in _PUNCT_SKIP:
            k += 1
        if (
            k == lo
            and lo > 0
            and toks[lo - 1].start > 0
            and (self.text[toks[lo - 1].start - 1] not in ",.!?…")
        ):
            return None  # „Financial Times“ berichtete: the quote is the subject, not speech
        if k < hi and toks[k].low in lex.inversion_cues and k > lo:
            cue = CueHit(k, k + 1, toks[k].text)
            found = right_speaker(toks, k + 1, hi, lex, self.text)
            if found is None:
                verb = next((c for c in s.cues if c.start == k + 1), None)
                if verb is not None:
                    found = right_speaker(toks, verb.end, hi, lex, self.text)
                    return verb, found[0] if found else None
                if (
                    k + 2 < hi
                    and toks[k + 1].is_word
                    and not toks[k + 1].is_cap
                    and toks[k + 2].low in lex.objects
                ):
                    # „…“, so charakterisierte ihn der Funktionär X: any verb after "so"
                    found = right_speaker(toks, k + 2, hi, lex, self.text)
            return cue, found[0] if found else None
        for cue in s.cues:
            if cue.start < k or cue.start >= hi or cue.start - k > MAX_CUE_DISTANCE:
                continue
            if cue.according:
                return cue, self._who(s, np_right(toks, cue.end, hi, lex))
            if cue.start == k:
                found = right_speaker(toks, cue.end, hi, lex, self.text)
                return cue, found[0] if found else None
            if toks[k].low in lex.auxiliaries:
                found = right_speaker(toks, k + 1, cue.start, lex, self.text)
                if found is not None:
                    return cue, found[0]
            span = np_left(toks, cue.start, k, lex)
            if span is not None and span[0] == k:
                return cue, self._who(s, span)
        return None

    def _before(self, s: _Sentence, lo: int, hi: int) -> tuple[CueHit, Mention | None] | None:
        """X said: "…" / X sagte: „…“ / According to X, "…"."""
        if hi == 0 or s.toks[hi - 1].text not in ":,—–":
            return None
        for cue in reversed(s.cues):
            if cue.start < lo or cue.end > hi:
                continue
            found = find_speaker(s.toks, cue, lo, hi - 1, self.lex, self.text)
            return cue, found[0] if found else None
        if s.toks[hi - 1].text == ":":
            return self._colon(s, lo, hi - 1)
        return None

    def _intro(
        self, s: _Sentence, qs: int, qe: int, hi: int
    ) -> tuple[CueHit, Mention | None] | None:
        """ "Mit den Worten „…“, richtete er seinen Blick …", "with the words "…" he left": the
        speaker is the subject of the clause the phrase belongs to."""
        toks, lex = s.toks, self.lex
        end = qs
        while end > 0 and toks[end - 1].text in ":,":
            end -= 1
        phrase = next(
            (
                p
                for p in lex.quote_intros
                if end >= len(p) and tuple(t.low for t in toks[end - len(p) : end]) == p
            ),
            None,
        )
        if phrase is None:
            return None
        start = end - len(phrase)
        cue = CueHit(start, end, " ".join(t.text for t in toks[start:end]))
        found = find_speaker(toks, cue, 0, start, lex, self.text) if start else None
        if found is None:
            k = qe
            while k < hi and toks[k].text in _PUNCT_SKIP:
                k += 1
            if k < hi and toks[k].is_word and not toks[k].is_cap:
                found = right_speaker(toks, k + 1, hi, lex, self.text)  # "…“, richtete er"
        return (cue, found[0]) if found else None

    def _colon(self, s: _Sentence, lo: int, hi: int) -> tuple[CueHit, Mention | None] | None:
        """A clause without a speech verb introducing a quote with a colon ("In seiner Rede
        begründete der Präsident seine Position so: „…“"): its first named or role phrase that
        no preposition governs."""
        toks, lex = s.toks, self.lex
        j = lo
        while j < hi:
            span = np_right(toks, j, hi, lex)
            if span is None:
                j += 1
                continue
            found = subject_phrase(toks, span, lex, self.text)
            if found is not None:
                return CueHit(hi, hi + 1, ""), found
            j = span[1]
        return None

    def _partial(self, s: _Sentence) -> tuple[CueHit, Mention | None] | None:
        """A quote inside reported speech: "X said the plan was "a mistake"."""
        for cue in s.cues:
            who = self._speaker_of(s, cue)
            if who is not None:
                return cue, who[0]
        return None

    def _introduced(self, prev: _Sentence | None) -> Mention | None:
        """The previous sentence ends "X said:" and this one is the quote."""
        if prev is None or not prev.toks or prev.toks[-1].text != ":":
            return None
        for cue in reversed(prev.cues):
            who = self._speaker_of(prev, cue)
            if who is not None:
                return who[0]
        return None

    def _continued(self, pos: int) -> Mention | None:
        """A quote standing alone continues the statement just before it, in this paragraph or the
        one before (news writing names the speaker once, then quotes on)."""
        if not self.out:
            return None
        last = self.out[-1]
        between = self.text[last.pos : pos]
        if between.count("\n") > 2 or last.speaker is None:
            return None
        return last.speaker

    # ------------------------------------------------------------------ reported speech
    def _speaker_of(self, s: _Sentence, cue: CueHit) -> tuple[Mention, str] | None:
        """The speaker of a cue and where its content lies ("after" or "before")."""
        toks, lex = s.toks, self.lex
        if not cue.according and cue.start > 0 and toks[cue.start - 1].low in lex.determiners:
            return None  # "the statement", "a report": a noun, not a verb of saying
        found = find_speaker(toks, cue, 0, len(toks), lex, self.text)
        if found is None:
            return None
        who, span = found
        return who, self._side(s, cue, span)

    def _side(self, s: _Sentence, cue: CueHit, span: tuple[int, int]) -> str:
        """Whether the reported clause follows the cue ("X said that …") or precedes it
        ("…, X said")."""
        toks, lex = s.toks, self.lex
        a = max(cue.end, span[1]) if span[0] >= cue.start else cue.end
        while a < len(toks) and toks[a].low in lex.fillers and toks[a].text not in _PUNCT_SKIP:
            a += 1
        if a < len(toks) and (toks[a].text == ":" or toks[a].low in lex.comp):
            return "after"
        if span[1] < cue.start and any(
            toks[x].text == "," and toks[x + 1].low in lex.subject_relatives
            for x in range(span[1], cue.start - 1)
        ):
            return "after"  # "X, der vor dem Parlament betonte, er gehöre …": the clause follows
        lead = min(span[0], cue.start)
        x = lead
        while (
            x > 0
            and lead - x < MAX_LOWER_SPEAKER_WORDS
            and toks[x - 1].is_word
            and not toks[x - 1].is_cap
            and toks[x - 1].low not in lex.cues
            and toks[x - 1].low not in lex.prepositions
            and toks[x - 1].low not in lex.auxiliaries
        ):
            x -= 1  # "…, city engineer Tom Reilly said": lower-case words of the speaker phrase
        if x == 0 or toks[x - 1].text not in _BEFORE_MARKS:
            # "In seiner Rede sagte X, …": what precedes without a comma is no reported clause
            return "after"
        before = sum(1 for t in toks[:lead] if t.is_word)
        after = sum(1 for t in toks[a:] if t.is_word)
        if after < MIN_CONTENT_WORDS:
            return "before"
        if a < len(toks) and toks[a].text in _PUNCT_SKIP and before >= MIN_CONTENT_WORDS:
            return "before"
        return "after"

    def _indirect(self, s: _Sentence, used: set[int]) -> None:
        for cue in s.cues:
            if cue.start in used or _parenthetical(s.toks, cue.start):
                continue
            found = self._speaker_of(s, cue)
            if found is None:
                continue
            who, side = found
            if cue.according and self._inside(s, cue, who):
                continue
            content = self._content(s, cue, side)
            if content is None:
                continue
            a, b = content
            self.out.append(
                Raw(
                    s.toks[a].start,
                    "indirect",
                    self.text[s.toks[a].start : s.toks[b - 1].end],
                    who,
                    cue.text,
                    (s.idx, cue.start),
                )
            )

    def _anaphora(self, s: _Sentence, prev: _Sentence) -> set[int]:
        """ "Der A380 startet am Mittwoch. Dies gab Airbus bekannt." / "… Об этом сообщил X.":
        the sentence before is what the speaker said. Returns the cues used up."""
        toks, lex = s.toks, self.lex
        for cue in s.cues:
            if cue.according or cue.post:
                continue
            lead = [t for t in toks[: cue.start] if t.is_word]
            lead_words = tuple(t.low for t in lead)
            phrase = next((p for p in lex.anaphors if lead_words[: len(p)] == p), None)
            if phrase is None or any(
                t.low not in lex.adverbs_before_cue and t.low not in lex.fillers
                for t in lead[len(phrase) :]
            ):
                continue
            found = self._speaker_of(s, cue)
            if found is None or found[0].pronoun:
                continue
            if not prev.toks or prev.toks[-1].text == "?":
                continue
            first, last = prev.toks[0], prev.toks[-1]
            quote = self.text[first.start : last.end].rstrip(" .")
            if sum(1 for t in prev.toks if t.is_word) < MIN_CONTENT_WORDS:
                continue
            self.out.append(
                Raw(first.start, "indirect", quote, found[0], cue.text, (s.idx, cue.start))
            )
            return {cue.start}
        return set()

    def _inside(self, s: _Sentence, cue: CueHit, who: Mention) -> bool:
        """ "800.000 Menschen wurden nach Angaben des Roten Kreuzes obdachlos": a source phrase
        inside the clause; what was said is the clause around it. Adds that statement."""
        toks, lex = s.toks, self.lex
        if cue.start == 0 or not toks[cue.start - 1].is_word:
            return False
        found = find_speaker(toks, cue, 0, len(toks), lex, self.text)
        if found is None:
            return False
        end = found[1][1]
        before = [t for t in toks[: cue.start] if t.is_word]
        after = [t for t in toks[end:] if t.is_word]
        if len(before) + len(after) < MIN_CONTENT_WORDS or not after:
            return False
        last = len(toks)
        while last > end and toks[last - 1].text in _PUNCT_SKIP:
            last -= 1
        head = self.text[toks[0].start : toks[cue.start - 1].end]
        tail = self.text[toks[end].start : toks[last - 1].end] if last > end else ""
        quote = f"{head} {tail}".strip(" ,")
        self.out.append(Raw(toks[0].start, "indirect", quote, who, cue.text, (s.idx, cue.start)))
        return True

    def _content(self, s: _Sentence, cue: CueHit, side: str) -> tuple[int, int] | None:
        toks, lex = s.toks, self.lex
        if side == "after":
            a = cue.end
            right = np_right(toks, cue.end, len(toks), lex)
            if right is not None and (cue.according or np_left(toks, cue.start, 0, lex) is None):
                a = right[1]
            found = find_speaker(toks, cue, 0, len(toks), lex, self.text)
            if found is not None and found[1][0] >= cue.end:
                a = max(a, found[1][1])  # "sagte der Minister, …": the content follows the speaker
            elif cue.source is not None:
                a = cue.source + 1
            if cue.according and cue.start == 0:
                # "According to two diplomats familiar with the talks, …": the clause after the
                # comma closing the source phrase
                comma = next(
                    (
                        x
                        for x in range(a, min(len(toks), a + MAX_SOURCE_TAIL))
                        if toks[x].text == ","
                    ),
                    None,
                )
                if (
                    comma is not None
                    and all(s.usable[x] for x in range(a, comma))
                    and not any(a <= c.start < comma for c in s.cues)
                ):
                    a = comma + 1
            if lex.comma_before_clause and not cue.according:
                comma = next(
                    (
                        x
                        for x in range(a, min(len(toks), a + MAX_CLAUSE_MARK_GAP))
                        if toks[x].text == ","
                    ),
                    None,
                )
                quoted = sum(1 for x in range(a, comma or a) if not s.usable[x] and toks[x].is_word)
                if comma is not None and quoted <= MAX_NAME_WORDS:
                    a = comma + 1  # "sagte dem Sender „Al Jazeera“, pro Person …": after the comma
            while a < len(toks) and (
                toks[a].low in lex.fillers
                or toks[a].low in lex.comp
                or toks[a].text in _PUNCT_SKIP
                or (toks[a].low in lex.pronouns and a == cue.end and not cue.according)
            ):
                a += 1
            while a > cue.end and toks[a - 1].low in lex.determiners and toks[a].is_word:
                a -= 1  # "announced his intention": keep the article or possessive
            particle = _particle_at(toks, cue)
            if particle is not None and particle >= a:
                # "wies darauf hin, dass …": the reported clause follows the particle; with no
                # clause after it the verb's object is what was said ("kündigte Streiks an").
                p = particle + 1
                while p < len(toks) and (toks[p].text in _PUNCT_SKIP or toks[p].low in lex.comp):
                    p += 1
                if toks[particle].low in lex.prepositional_particles or (
                    sum(1 for t in toks[p:] if t.is_word) >= MIN_CONTENT_WORDS
                ):
                    a = p  # "sprachen … von X": what follows the preposition is what was said
            b = len(toks)
        else:
            a = 0
            b = cue.start
            # back over the speaker phrase and the comma/dash before it
            left = np_left(toks, cue.start, 0, lex)
            if cue.according:
                left = None
            if left is not None and left[0] > 0 and toks[left[0] - 1].text in _CLAUSE_MARKS:
                b = left[0]
            while b > a and toks[b - 1].text in _PUNCT_SKIP:
                b -= 1
        while b > a and toks[b - 1].text in _PUNCT_SKIP | {'"', "”", "“", "»", "«", "„"}:
            b -= 1
        while a < b and not toks[a].is_word and toks[a].text not in "\"“„«‚‘'":
            a += 1
        if sum(1 for t in toks[a:b] if t.is_word) < MIN_CONTENT_WORDS:
            return None
        quoted = sum(1 for k in range(a, b) if not s.usable[k] and toks[k].is_word)
        if quoted / max(1, sum(1 for t in toks[a:b] if t.is_word)) > MAX_QUOTED_SHARE:
            return None
        return a, b

    def _in_mood(self, s: _Sentence) -> bool:
        # A verb is written in lower case; "im Laufe", "eine Stelle" are nouns.
        return (
            any(t.low in self.lex.reported_mood and t.text[:1].islower() for t in s.toks)
            and s.toks[-1].text != "?"
        )

    def _subject(self, s: _Sentence, qs: int) -> Mention | None:
        """The speaker opening a sentence with a quoted phrase: "Analysts spoke of „panic“"."""
        span = np_right(s.toks, 0, qs, self.lex)
        if span is None or span[1] >= qs or not s.toks[span[1]].is_word:
            return None
        who = mention(s.toks[span[0] : span[1]], self.lex, self.text)
        role_words = {w.lower() for w in (who.role or "").split()}
        if (who.name and len(who.name.split()) >= 2) or role_words & self.lex.roles:
            return who
        return None

    def _strict_mood(self, s: _Sentence) -> bool:
        """A verb in Konjunktiv I outside quotation marks, and no first person ("ich sage")."""
        words = [t.low for t, ok in zip(s.toks, s.usable, strict=True) if ok]
        verbs = [t.low for t, ok in zip(s.toks, s.usable, strict=True) if ok and t.text.islower()]
        return bool(self.lex.reported_mood_strict.intersection(verbs)) and not (
            self.lex.first_person.intersection(words)
        )

    def _reported_mood(self, s: _Sentence, subject: Mention | None = None) -> bool:
        """German: a sentence in Konjunktiv I after reported speech is still the same speaker's;
        after a sentence of narration about somebody ("Der BGH widersprach der Ansicht …"),
        that somebody's."""
        if not self.lex.reported_mood or not self._in_mood(s):
            return False
        if subject is not None:
            who, key = subject, None
        elif self.out and self.out[-1].speaker is not None:
            who, key = self.out[-1].speaker, self.out[-1].key
        else:
            return False
        text = self.text[s.toks[0].start : s.toks[-1].end].rstrip(" .")
        self.out.append(Raw(s.toks[0].start, "indirect", text, who, None, key))
        return True

    def _narration_subject(self, s: _Sentence) -> Mention | None:
        """The person or body a sentence opens with as its subject ("Greenpeace-Experte X sieht
        darin …", "Er hat die Tat gestanden"), if the sentence is a plain subject-verb clause."""
        toks = s.toks
        if not toks or not s.usable[0]:
            return None
        span = np_right(toks, 0, len(toks), self.lex)
        if span is None or span[1] >= len(toks):
            return None
        after = span[1]
        if toks[after].text == ",":
            # "Gabriela S., Vorsitzende des Kreisverbandes, verteidigte …": past the apposition
            close = next(
                (
                    x
                    for x in range(after + 1, min(len(toks), after + MAX_APPOSITION))
                    if toks[x].text == ","
                ),
                None,
            )
            if close is None or close + 1 >= len(toks):
                return None
            after = close + 1
        nxt = toks[after]
        if not nxt.is_word or nxt.is_cap or not s.usable[after]:
            return None
        lex = self.lex
        first = toks[0].low
        if first in lex.prepositions or first in lex.auxiliaries or first in lex.reported_mood:
            return None  # "Zwischen Oktober …", "Sollten sie …": no subject opens the sentence
        who = mention(toks[span[0] : span[1]], lex, self.text)
        if who.pronoun:
            return who
        found = subject_phrase(toks, span, lex, self.text)
        if found is None:
            return None
        words = toks[span[0] : span[1]]
        if any(is_role(t.low, lex) or t.low in lex.orgs for t in words) or (
            found.name is not None and len(found.name.split()) >= MIN_NARRATION_NAME_WORDS
        ):
            return found  # a role, a body, a full name; "Sirenen heulten" names nobody
        return None

    # ------------------------------------------------------------------ helpers
    def _who(self, s: _Sentence, span: tuple[int, int] | None) -> Mention | None:
        if span is None:
            return None
        return mention(s.toks[span[0] : span[1]], self.lex, self.text)

    def _who_req(self, s: _Sentence, span: tuple[int, int]) -> Mention:
        return mention(s.toks[span[0] : span[1]], self.lex, self.text)


def _ends_with_apposition(toks: list[Token], end: int, lex: Lexicon) -> bool:
    """Whether nothing but an apposition follows the speaker: "…, so der Sprecher der Bewegung,
    Ehsanullah Ehsan." / "…, so Murtha (Demokraten)."."""
    rest = [t for t in toks[end:] if t.is_word]
    if not rest:
        return True
    if toks[end].text not in ",(":
        return False
    span = np_right(toks, end + 1, len(toks), lex)
    return span is not None and not any(t.is_word for t in toks[span[1] :] if t.text != ")")


def _coordinated(toks: list[Token], i: int, lex: Lexicon) -> bool:
    """Whether the cue opens a clause joined by "and" with no subject of its own."""
    k = i - 1
    while k >= 0 and toks[k].low in lex.adverbs_before_cue:
        k -= 1
    return k >= 0 and toks[k].low in lex.clause_openers and (k == 0 or not toks[k - 1].is_word)


def _particle_at(toks: list[Token], cue: CueHit) -> int | None:
    """Where the particle of a separable cue ("wies … hin") stands after the verb, or None."""
    words = cue.text.split()
    if cue.end - cue.start != 1 or len(words) != 2:
        return None
    return next((k for k in range(cue.end, len(toks)) if toks[k].low == words[1].lower()), None)


def _names_somebody(who: Mention | None) -> bool:
    """A pronoun or a person's full name: a new subject who speaks on in the reported mood,
    where a role or a body alone ("Die Gewerkschaft hat …") leaves the last speaker speaking."""
    if who is None:
        return False
    return who.pronoun or (
        who.name is not None and len(who.name.split()) >= MIN_NARRATION_NAME_WORDS
    )


def _apposed_name(toks: list[Token], qs: int, words: int) -> bool:
    """ "im Kulturzentrum „Paradox“", "die Walfangstation „Hvalstödin“": a one- or two-word
    quote right after a capitalised noun names it (in German, where every noun is capitalised;
    elsewhere the word before is a name: "назвал заявления Москвы «пропагандой»")."""
    k = qs - 1
    while k >= 0 and toks[k].text in "'\"‘’":
        k -= 1  # a doubled mark: ''Paradox''
    if words > MAX_APPOSED_NAME_WORDS or k < MIN_APPOSED_NAME_POS - 1:
        return False
    return toks[k].is_word and toks[k].is_cap and toks[k - 1].is_word


def _name_as_subject(toks: list[Token], qs: int, qe: int, words: int) -> bool:
    """ "„Landser“ habe in seinen Liedern …": a short quote opening the sentence and followed by
    its verb is a name used as the subject, not quoted speech."""
    return qs == 0 and words <= MAX_NAME_WORDS and qe < len(toks) and toks[qe].is_word


def _parenthetical(toks: list[Token], i: int) -> bool:
    """A cue inside parentheses ("(Wikinews berichtete)") cites a source, it reports no speech."""
    for k in range(i - 1, -1, -1):
        if toks[k].text == ")":
            return False
        if toks[k].text == "(":
            return True
    return False


def _clause_start(toks: list[Token], i: int) -> bool:
    return i == 0 or toks[i - 1].text in _CLAUSE_MARKS or not _words_before(toks, i)


def _words_before(toks: list[Token], i: int) -> bool:
    return sum(1 for t in toks[:i] if t.is_word) >= MIN_CONTENT_WORDS


def _is_title(text: str) -> bool:
    """A name or title in quotation marks ("Gazprom", «Единая Россия»): every word capitalised."""
    words = [w for w in text.split() if w[:1].isalpha()]
    return (
        bool(words)
        and len(words) <= MIN_UNATTRIBUTED_QUOTE_WORDS
        and all(w[:1].isupper() for w in words)
    )
