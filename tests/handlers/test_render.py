"""The brief as the user reads it: title and source, summary, who said what per speaker,
dispute with its parties' speakers; everything escaped."""

from __future__ import annotations

import dataclasses

from briefing import Brief, Dispute, Source, Statement
from handlers.render import render_brief, render_statements, to_plain, topic_of
from tests.bot.support import telegram_html_error
from tests.handlers.briefs import SEED_BRIEF


def test_seed_brief_reads_like_the_guide() -> None:
    markup = render_brief(SEED_BRIEF, "en")
    assert telegram_html_error(markup) is None
    text = to_plain(markup)
    assert text.startswith("Moscow looks for ways to improve relations with EU despite differences")
    assert "UrduPoint, via World Desk" in text
    assert '<a href="https://t.me/worlddesk/77">World Desk</a>' in markup
    assert "Who said what" in text
    assert (
        "• Dmitry Peskov, Kremlin spokesman: “We have repeatedly said that we regret this and that "
        "we are looking for ways to normalize relations.” Also: the Europeans switched to double "
        "standards"
    ) in text
    assert "• Josep Borrell, EU foreign policy chief: intends to initiate" in text
    assert (
        "Dispute: Russia (Dmitry Peskov) vs European Union (Josep Borrell) · sanctions over the "
        "Navalny case · conflict"
    ) in text


def test_statements_grouped_per_speaker_in_order() -> None:
    text = to_plain(render_brief(SEED_BRIEF, "en"))
    assert text.count("Dmitry Peskov, Kremlin spokesman") == 1
    assert text.index("Dmitry Peskov,") < text.index("Josep Borrell, EU")


def test_interface_language_changes_the_headings() -> None:
    text = to_plain(render_brief(SEED_BRIEF, "ru"))
    assert "Кто что сказал" in text
    assert "Спор: Russia (Dmitry Peskov) vs European Union (Josep Borrell)" in text
    assert "конфликт" in text


def test_everything_from_the_article_is_escaped() -> None:
    hostile = Brief(
        language="en",
        text="",
        title="<script>alert(1)</script> & <b>bold</b>",
        summary=("Prices < costs & 5 > 3 said <i>someone</i>.",),
        statements=(Statement(quote='He said "</b><a href=x>"', kind="direct", speaker="A <b>"),),
        dispute=Dispute(parties=("A&B", "<C>"), issue="x < y"),
        source=Source(
            url="javascript:alert(1)",
            site="evil<site>",
            channel="<ch>",
            channel_url='https://t.me/ch/1"onmouseover="x',
        ),
    )
    markup = render_brief(hostile, "en")
    assert telegram_html_error(markup) is None
    assert "javascript:" not in markup
    text = to_plain(markup)
    assert "<script>alert(1)</script> & <b>bold</b>" in text
    assert "Prices < costs & 5 > 3 said <i>someone</i>." in text
    assert "A&B vs <C>" in text


def test_unsupported_language_is_said() -> None:
    other = dataclasses.replace(SEED_BRIEF, language="it", language_supported=False)
    assert "(it)" in to_plain(render_brief(other, "en"))


def test_all_statements_are_uncut() -> None:
    long_quote = "word " * 200
    many = dataclasses.replace(
        SEED_BRIEF,
        statements=(
            *SEED_BRIEF.statements,
            Statement(quote=long_quote.strip(), kind="direct", speaker="Dmitry Peskov"),
        ),
    )
    brief_text = to_plain(render_brief(many, "en"))
    assert "(+1)" in brief_text  # the brief shows two per speaker and says how many more
    full = to_plain(render_statements(many, "en"))
    assert long_quote.strip() in full
    assert full.startswith("All statements · Moscow looks")


def test_a_brief_without_statements_or_dispute() -> None:
    bare = Brief(language="en", text="", summary=("Something happened.",))
    text = to_plain(render_brief(bare, "en"))
    assert text == "Something happened."
    assert topic_of(bare) is None
    assert to_plain(render_statements(bare, "en")) == "Nobody is quoted in this article."


def test_follow_topic_names_the_parties() -> None:
    assert topic_of(SEED_BRIEF) == "Russia vs European Union"


def test_a_fallback_note_is_shown() -> None:
    @dataclasses.dataclass(frozen=True, slots=True)
    class NotedBrief(Brief):
        note: str | None = None

    fields = {name: getattr(SEED_BRIEF, name) for name in Brief.__dataclass_fields__}
    noted = NotedBrief(
        **fields, note="The page answered 404 <Not Found>. So this brief is of the post itself."
    )
    markup = render_brief(noted, "en")
    assert telegram_html_error(markup) is None
    assert to_plain(markup).endswith(
        "The page answered 404 <Not Found>. So this brief is of the post itself."
    )


def test_a_truncated_text_is_said() -> None:
    cut = dataclasses.replace(SEED_BRIEF, truncated=True)
    assert to_plain(render_brief(cut, "en")).endswith(
        "The text was very long: this brief covers its beginning."
    )


def test_a_speakers_own_words_lead_and_each_thought_ends_before_also() -> None:
    said = Statement(
        quote="Moscow is looking for ways to normalize relations",
        kind="indirect",
        speaker="Dmitry Peskov",
        role="Kremlin spokesman",
        cue="said",
    )
    quoted = Statement(
        quote="We regret this.",
        kind="direct",
        speaker="Dmitry Peskov",
        role="Kremlin spokesman",
    )
    text = to_plain(render_brief(dataclasses.replace(SEED_BRIEF, statements=(said, quoted)), "en"))
    assert (
        "• Dmitry Peskov, Kremlin spokesman: “We regret this.” Also: Moscow is looking for ways"
    ) in text
    borrell = Statement(
        quote="intends to initiate new sanctions",
        kind="indirect",
        speaker="Josep Borrell",
    )
    dialogue = Statement(
        quote="spoke of the need for dialogue",
        kind="indirect",
        speaker="Josep Borrell",
    )
    text = to_plain(
        render_brief(dataclasses.replace(SEED_BRIEF, statements=(borrell, dialogue)), "en")
    )
    assert "intends to initiate new sanctions. Also: spoke of the need for dialogue" in text
