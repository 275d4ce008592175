"""Normalisation: clean Unicode and whitespace, keep paragraphs, drop the lines that are not
article text (headers, bylines, datelines, photo credits) and cut agency prefixes such as
``BERLIN (dpa) -``.

Every rule here is general: it describes how news pages and wire copy are laid out, not one file.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from briefing.limits import (
    DATELINE_PARAGRAPHS,
    MAX_HEADLINE_CHARS,
    MAX_HEADLINE_WORDS,
    MAX_META_LINE_WORDS,
    MAX_PREFIX_CHARS,
)

# Characters that carry no text: zero-width spaces and joiners, the BOM, soft hyphens, bidi marks.
_INVISIBLE = dict.fromkeys(
    map(ord, "\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff"), None
)
# NFKC would also rewrite "…" to "..." and "½" to "1⁄2"; only these compatibility forms are folded:
# ligatures (ﬁ) and fullwidth ASCII (Ａ).
_FOLDABLE = re.compile("[\ufb00-\ufb06\uff01-\uff5e]")
_LINE_BREAKS = re.compile("\r\n|[\r\u2028\u2029\x85\x0b\x0c]")
_NOT_TEXT = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ue000-\uf8ff\ufffd]|[^\\S\\n\\t]"
)

_SENTENCE_END = ".!?…"
_CLOSERS = "\"'»”’“)]"

_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|"
    r"januar|februar|märz|mai|juni|juli|oktober|dezember|"
    r"janvier|février|fevrier|mars|avril|juin|juillet|août|aout|septembre|octobre|novembre|décembre|"
    r"enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre|"
    r"январ[ья]|феврал[ья]|марта?|апрел[ья]|ма[йя]|июн[ья]|июл[ья]|августа?|сентябр[ья]|октябр[ья]|"
    r"ноябр[ья]|декабр[ья]|янв|фев|мар|апр|июн|июл|авг|сен|окт|ноя|дек"
)
_WEEKDAYS = (
    r"mon(?:day)?|tue(?:s|sday)?|wed(?:nesday)?|thu(?:rs|rsday)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?|"
    r"montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|"
    r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|"
    r"lunes|martes|miércoles|jueves|viernes|sábado|domingo|"
    r"понедельник|вторник|среда|четверг|пятница|суббота|воскресенье"
)


def pruned(alternation: str) -> str:
    """`(?:alternation)` of words, behind a lookahead for the letters its words start with: the
    regex engine then passes over most positions at once instead of trying every word there. It
    matches exactly what the plain group matches (a lookahead for a superset of the first letters,
    under the same flags)."""
    # Pieces split at every "|" (nested groups too): their first letters are a superset.
    letters = {piece[:1] for piece in alternation.split("|")}
    if not all(letter.isalpha() for letter in letters):
        raise ValueError(f"every word of the alternation must start with a letter: {letters}")
    return f"(?=[{''.join(sorted(letters))}])(?:{alternation})"


# Signals that a short line is page furniture (a header, byline or timestamp), not article text.
# Cheapest first: is_meta_line stops counting once the count is decided, so the costly word lists
# at the end are often not searched at all.
_META_SIGNALS: tuple[re.Pattern[str], ...] = (
    re.compile(
        r"\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b"
    ),  # 2021-02-10, 10.02.2021
    re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th|er|\.)?\s+(?:{_MONTHS})\b\.?", re.I),  # 10th February
    re.compile(
        r"\b\d{1,2}[:.h]\d{2}\s*(?:am|pm|a\.m\.|p\.m\.|uhr|gmt|utc|est|edt|bst|cet|msk)?\b", re.I
    ),
    re.compile(r"(?<!\w)@\w{2,}"),  # a social-media handle
    re.compile(r"\b[\w-]+\.(?:com|org|net|ru|de|fr|es|co\.uk|info|pk|in)\b", re.I),  # a site name
    re.compile(r"\s\|\s"),
    re.compile(r"^(?:by|von|par|por|автор|date|fecha|datum)\b[\s.:]", re.I),
    re.compile(
        r"\b"
        + pruned(
            "ago|updated?|published|posted|last modified|aktualisiert|veröffentlicht|mis à jour|"
            "publié|actualizado|publicado|обновлено|опубликовано"
        )
        + r"\b",
        re.I,
    ),
    re.compile(rf"\b{pruned(_WEEKDAYS)}\b", re.I),
    re.compile(rf"\b{pruned(_MONTHS)}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b", re.I),  # February 10
)
# A byline on its own: "By John Smith", "Von Anna Müller und Jan Kurz", "Par Jean Dupont".
_BYLINE = re.compile(
    r"^(?:[Bb]y|[Vv]on|[Pp]ar|[Pp]or)\s+[A-ZÀ-ÞА-ЯЁ][\w'’.-]*(?:\s+(?:[A-ZÀ-ÞА-ЯЁ][\w'’.-]*|and|und|et|y|de|van|von|"
    r"der|la|le|,))*\s*$"
)
# Furniture lines that say nothing about the story.
_BOILERPLATE = re.compile(
    r"^(?:advertisement|anzeige|publicité|publicidad|реклама|share(?: this)?|teilen|partager|"
    r"compartir|"
    r"read more|mehr zum thema|lire aussi|lee también|читайте также|related|comments?|"
    r"follow us.*|subscribe.*|sign up.*|image copyright.*|photo:.*|foto:.*|bild:.*|фото:.*|"
    # Copyright lines and wire-copy credits: "© 2021 Reuters", "Reporting by A; Editing by B".
    r"(?:©|\(c\)|copyright\b).*|(?:additional )?(?:reporting|writing|editing) by\b.*)\s*$",
    re.I,
)

# Known wire services and broadcasters that open a story with "PLACE (AGENCY) -".
_AGENCIES = (
    r"cnn|ap|afp|reuters|dpa|sputnik|tass|ria|interfax|xinhua|upi|bbc|efe|europa press|ansa|kyodo|"
    r"yonhap|anadolu|pti|ians|apa|kna|epd|sda|ats|belga|anp|bloomberg|urdupoint|news|agency|"
    r"agencia|agence|агентство|риа новости|тасс|интерфакс|прайм|ria novosti"
)
# "MOSCOW (UrduPoint News / Sputnik - 10th February, 2021)", "WASHINGTON (CNN) --", "(AFP) -",
# "MADRID, 3 Mar. (EUROPA PRESS) -", "Marseille, France (CNN)The ...".
_AGENCY_PREFIX = re.compile(
    r"^(?:[A-ZÀ-ÞА-ЯЁ][\w'’./-]*(?:[ ,]+[\w'’./-]+){0,5}?\s*)?"
    rf"\((?=[^()\n]*(?:\b(?:{_AGENCIES})\b|\d))[^()\n]{{1,80}}\)"
    r"\s*(?:--|—|–|-|:)?\s*",
    re.I,
)
# "москва, 1 дек — риа новости.", "BERLIN, 3. März 2021 — dpa:" and "WASHINGTON — " (a place, an
# optional date, a dash, and an optional agency name ending with a full stop or a colon).
_DASH_DATELINE = re.compile(
    r"^(?P<place>[A-ZÀ-ÞА-ЯЁa-zà-þа-яё][\w'’.-]*(?:[ -][\w'’.-]+){0,3}?)"
    rf"(?P<date>,\s*\d{{1,2}}\.?\s+(?:{_MONTHS})\.?(?:\s+\d{{4}})?(?:\s*г\.)?)?"
    rf"\s*(?:--|[—–-])+\s*(?P<agency>(?:{_AGENCIES})[^\n.:]{{0,30}}[.:]\s+)?",
    re.I,
)
# A photo credit glued before the first sentence: "… la finale. CARL RECINE / REUTERS Liverpool …",
# "… de la detención. AP; Vídeo: Atlas La policía …", "Foto: cordonpress Las leyendas …".
_PHOTO_CREDIT = re.compile(
    r"(?:^|(?<=[.!?…]\s))(?:"
    r"(?:[A-ZÀ-Þ][A-ZÀ-Þ'’-]+\s+){0,3}[A-ZÀ-Þ][A-ZÀ-Þ'’-]+\s*/\s*[A-ZÀ-Þ][\w-]*(?:\s+[A-Z]{2,})?"
    r"|(?:[A-Z]{2,6}\s*;\s*)?(?:Foto|Fotos|Vídeo|Video|Photo|Bild|Фото)\s*:\s*[\w-]+"
    # "… en mai 2012. MANUEL COHEN Parmi …": a photographer's name in capitals.
    r"|(?<=[.!?…]\s)[A-ZÀ-Þ][A-ZÀ-Þ'’-]+(?:\s+[A-ZÀ-Þ][A-ZÀ-Þ'’-]+){1,3}"
    r")\s+(?=[A-ZÀ-ÞА-ЯЁ])"
)
_SPACES = re.compile(r"[^\S\n]+")


@dataclass(frozen=True, slots=True)
class Normalized:
    """The article text the engine works on, and the headline found in it (if any)."""

    text: str
    paragraphs: tuple[str, ...]
    title: str | None = None


def clean_unicode(text: str) -> str:
    """NFC, with ligatures, fullwidth forms and odd spaces folded; typographic quotes are kept."""
    text = unicodedata.normalize("NFC", _LINE_BREAKS.sub("\n", text))
    text = text.translate(_INVISIBLE)
    text = _FOLDABLE.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    # Control characters, surrogates, private use and the replacement character (what undecodable
    # bytes become) carry no text; every Unicode space becomes a plain one.
    return _NOT_TEXT.sub(" ", text)


def _ends_sentence(line: str) -> bool:
    return line.rstrip(_CLOSERS)[-1:] in _SENTENCE_END or line[-1:] in ":;"


def is_meta_line(line: str) -> bool:
    """A short line of page furniture: a timestamp, a byline, a header, a share button."""
    words = line.split()
    if not words or len(words) > MAX_META_LINE_WORDS:
        return False
    if _BOILERPLATE.match(line) or _BYLINE.match(line):
        return True
    # A sentence may name a weekday and a date ("The vote is on Monday, February 22."): furniture
    # does not end like one, or piles up more signals than a sentence would. So a line that ends
    # like a sentence is furniture with 3 signals, another with 2 (or 1, see below): the signals
    # are counted until the count decides.
    ends = _ends_sentence(line)
    enough = 3 if ends else 2
    signals = 0
    for searched, rx in enumerate(_META_SIGNALS):
        unsearched = len(_META_SIGNALS) - searched
        if signals >= enough or (ends and signals + unsearched < enough):
            break
        signals += bool(rx.search(line))
    if signals >= enough:
        return True
    if ends:
        return False
    # One signal and almost nothing else: "UrduPoint.com", "Updated 10:03", "12 February 2021".
    # (Here every signal was searched: the count is exact.)
    letters_words = [w for w in words if any(c.isalpha() for c in w)]
    return signals == 1 and len(letters_words) <= 3


def strip_prefix(paragraph: str) -> str:
    """Cut a wire-service dateline or a photo credit from the start of a paragraph."""
    for rx in (_AGENCY_PREFIX, _DASH_DATELINE):
        m = rx.match(paragraph)
        if (
            m
            and rx is _DASH_DATELINE
            and not (m.group("date") or m.group("agency") or m.group("place").isupper())
        ):
            # "Putin - who ..." is not a dateline; "WASHINGTON — " and "Москва, 1 дек — " are.
            continue
        if m and 0 < m.end() <= MAX_PREFIX_CHARS and m.end() < len(paragraph):
            rest = paragraph[m.end() :]
            if rest[:1].isupper() or rest[:1].isdigit() or rest[:1] in "\"“«„'‘":
                paragraph = rest
                break
    m = _PHOTO_CREDIT.search(paragraph[: MAX_PREFIX_CHARS * 3])
    if m and m.end() < len(paragraph):
        # What stands before the credit is the photo's caption: not article text either.
        paragraph = paragraph[m.end() :]
    return paragraph


def _is_headline(line: str, following: list[str]) -> bool:
    words = line.split()
    return (
        bool(following)
        and 2 <= len(words) <= MAX_HEADLINE_WORDS
        and len(line) <= MAX_HEADLINE_CHARS
        and not _ends_sentence(line)
        and (line[:1].isupper() or line[:1].isdigit() or line[:1] in "\"“«„'‘")
        and sum(len(p) for p in following) > len(line)
    )


def _paragraphs(text: str) -> list[str]:
    """Blank lines separate paragraphs; so does a line break after a finished sentence. A line that
    breaks mid-sentence (hard-wrapped text) is joined to the next one."""
    out: list[str] = []
    for block in re.split(r"\n[^\S\n]*\n", text):
        current = ""
        for raw in block.split("\n"):
            line = _SPACES.sub(" ", raw).strip()
            if not line:
                continue
            if current and not _ends_sentence(current) and line[:1].islower():
                current = f"{current} {line}"
            else:
                if current:
                    out.append(current)
                current = line
        if current:
            out.append(current)
    return out


def normalize(text: str, *, title: str | None = None) -> Normalized:
    """The cleaned article (paragraphs joined by blank lines, no furniture) and its headline."""
    paragraphs = [p for p in _paragraphs(clean_unicode(text)) if not is_meta_line(p)]
    found_title: str | None = None
    if paragraphs and _is_headline(paragraphs[0], paragraphs[1:]):
        found_title = paragraphs.pop(0)
    # The dateline opens the story, which may come after a photo caption or a standfirst.
    for k in range(min(DATELINE_PARAGRAPHS, len(paragraphs))):
        paragraphs[k] = strip_prefix(paragraphs[k])
    paragraphs = [p for p in paragraphs if p]
    given = title.strip() if title else None
    return Normalized(
        text="\n\n".join(paragraphs),
        paragraphs=tuple(paragraphs),
        title=given or found_title,
    )
