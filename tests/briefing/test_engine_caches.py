"""The engine's speed-ups keep no state between briefs that could change one: caches are either
made per brief (SentenceTokens) or bounded, per language or per word, and derived from read-only
data. Two texts briefed one after the other get the briefs each gets alone."""

from __future__ import annotations

import importlib
import json
from typing import Any

from briefing import brief
from briefing.attribution.cues import _according_by_first_word
from briefing.attribution.lexicon import LEXICON_LANGS, lexicon
from briefing.attribution.speakers import _party_first_words, _role_forms
from briefing.attribution.tokens import (
    SentenceTokens,
    Token,
    demote,
    join_titles,
    lower_vocabulary,
    merge_particles,
    particle_names,
    tokenize,
)
from briefing.detector import WORD_NGRAMS_CACHE
from briefing.disputes.stance import _cue_lists
from briefing.language import _factory

RU = (
    "Москва хочет нормализовать отношения с ЕС. «Мы сожалеем об этом», — заявил пресс-секретарь "
    "Кремля Дмитрий Песков. По словам Пескова, Европа перешла к двойным стандартам, а глава "
    "дипломатии ЕС Жозеп Боррель объявил о новых санкциях."
)
DE = (
    "Die Gewerkschaft kündigte am Montag einen Streik an. „Wir sind zu Gesprächen bereit“, sagte "
    "der Vorsitzende Frank Werneke. Der Arbeitgeberverband habe kein Angebot vorgelegt, hieß es."
)


def _json(text: str) -> str:
    return json.dumps(brief(text).to_json(), ensure_ascii=False, sort_keys=True)


def test_a_brief_does_not_depend_on_the_briefs_before_it(seed_text: str) -> None:
    alone = {name: _json(text) for name, text in (("seed", seed_text), ("ru", RU), ("de", DE))}
    for order in (("ru", "seed", "de"), ("de", "ru", "seed"), ("seed", "de", "ru")):
        texts = {"seed": seed_text, "ru": RU, "de": DE}
        assert {name: _json(texts[name]) for name in order} == alone


def _tokens_as_the_rules_read_them(text: str, lang: str, start: int, end: int) -> list[Token]:
    lex = lexicon(lang)
    toks = demote(tokenize(text, start, end), lex.function_words, lower_vocabulary(text))
    return join_titles(merge_particles(toks, particle_names(text, lex.name_particles)), lex.titles)


def test_sentence_tokens_are_one_texts_and_handed_out_as_new_lists(seed_text: str) -> None:
    tokens = SentenceTokens(seed_text, lexicon("en"))
    expected = _tokens_as_the_rules_read_them(seed_text, "en", 0, 120)
    first = tokens.sentence(0, 120)
    assert first == expected
    first.clear()  # a caller changing its list changes nobody else's
    assert tokens.sentence(0, 120) == expected
    assert tokens.sentence(0, 60) == _tokens_as_the_rules_read_them(seed_text, "en", 0, 60)
    other = SentenceTokens(RU, lexicon("ru"))
    assert other.sentence(0, 120) == _tokens_as_the_rules_read_them(RU, "ru", 0, 120)


def test_the_module_caches_are_bounded() -> None:
    # Unknown languages fall back to English's lexicon: the per-language tables never hold more
    # than LEXICON_LANGS languages however many codes come in.
    for code in ("en", "ru", "de", "fr", "es", "it", "pt", "nl", "xx", "yy", "zz", "qq"):
        lang = lexicon(code).lang
        _role_forms(lang)
        _party_first_words(lang)
        _according_by_first_word(lang)
        _cue_lists(lang)
    for cached in (_role_forms, _party_first_words, _according_by_first_word, _cue_lists):
        info: Any = cached.cache_info()
        assert info.maxsize == LEXICON_LANGS
        assert info.currsize <= LEXICON_LANGS
    words = _factory().word_ngrams.cache_info()
    assert words.maxsize == WORD_NGRAMS_CACHE and words.currsize <= WORD_NGRAMS_CACHE


def test_lexicons_are_cached_per_language_that_has_one_whatever_codes_come_in() -> None:
    # The module by name: the package exports its `lexicon` function under the same name.
    lexicon_module = importlib.import_module("briefing.attribution.lexicon")

    every = [a + b for a in "abcdefghijklmnopqrstuvwxyz" for b in "abcdefghijklmnopqrstuvwxyz"]
    codes = [code for code in every if code not in lexicon_module._languages()]
    assert len(codes) == 26 * 26 - 5  # hints with no lexicon (ours: en de fr es ru)
    for code in codes:
        assert lexicon_module.lexicon(code).lang == lexicon_module.FALLBACK_LANG
    assert lexicon_module.lexicon("de").lang == "de"
    assert lexicon_module._load.cache_info().currsize <= len(lexicon_module._languages())
