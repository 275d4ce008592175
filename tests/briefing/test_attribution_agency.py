"""Whole agency-style articles in English and Russian (written for these tests, Reuters/AP and
TASS/RIA style): every quote with its speaker, no dateline in what was said, and names or titles
in quotation marks never taken for statements."""

from __future__ import annotations

from briefing.attribution import extract_statements
from briefing.model import Statement

EN = """MOSCOW, March 3 (Reuters) - Russia will respond to any new European Union sanctions \
over the jailing of opposition politician Alexei Navalny, Kremlin spokesman Dmitry Peskov said \
on Wednesday.

"We regret that Brussels continues down this path," Peskov told reporters on a conference call. \
"Such steps will not go unanswered."

EU foreign policy chief Josep Borrell, speaking after a meeting of foreign ministers in Brussels, \
said the bloc had agreed to impose travel bans and asset freezes on four senior Russian officials.

"This is a clear signal that we will not accept violations of human rights," Borrell said.

The Nord Stream 2 pipeline, which Gazprom is building under the Baltic Sea, was not mentioned in \
the "Brussels Declaration" adopted by ministers.

White House press secretary Jen Psaki said Washington was coordinating closely with European \
partners. She added that the United States was considering its own measures.

"We are not going to telegraph our punches," she said.
"""

RU = """МОСКВА, 3 марта. /ТАСС/. Россия ответит на новые санкции Евросоюза, заявил в среду \
пресс-секретарь президента РФ Дмитрий Песков.

"Мы сожалеем, что Брюссель продолжает двигаться по этому пути", - сказал Песков журналистам. \
По его словам, подобные шаги "не останутся без ответа".

Глава европейской дипломатии Жозеп Боррель, выступая после заседания Совета ЕС, сообщил, что \
страны союза согласовали ограничительные меры против четырех российских чиновников.

Как отметили в МИД России, решение Брюсселя является нелегитимным.

— Это очередная попытка давления на нашу страну, — сказала официальный представитель МИД \
Мария Захарова.

Компания «Газпром» продолжает строительство газопровода «Северный поток — 2» в Балтийском море.

Министр иностранных дел Сергей Лавров подчеркнул, что Москва открыта к диалогу. «Мы готовы к \
разговору, но не на языке ультиматумов», — добавил он.
"""


def by_quote(statements: list[Statement], start: str) -> Statement:
    found = [s for s in statements if s.quote.startswith(start)]
    assert len(found) == 1, (start, statements)
    return found[0]


def test_english_agency_article() -> None:
    said = extract_statements(EN, "en")
    lead = by_quote(said, "Russia will respond")
    assert (lead.speaker, lead.role) == ("Dmitry Peskov", "Kremlin spokesman")
    assert lead.kind == "indirect"
    assert by_quote(said, "We regret").speaker == "Dmitry Peskov"
    assert by_quote(said, "Such steps").speaker == "Dmitry Peskov"  # the quote continues
    assert by_quote(said, "the bloc had agreed").speaker == "Josep Borrell"
    assert by_quote(said, "This is a clear signal").speaker == "Josep Borrell"
    assert by_quote(said, "the United States was considering").speaker == "Jen Psaki"
    assert by_quote(said, "We are not going").speaker == "Jen Psaki"
    quotes = " ".join(s.quote for s in said)
    assert "MOSCOW" not in quotes and "Reuters" not in quotes
    assert "Brussels Declaration" not in [s.quote for s in said]
    assert all(s.speaker for s in said)


def test_russian_agency_article() -> None:
    said = extract_statements(RU, "ru")
    lead = by_quote(said, "Россия ответит")
    assert lead.speaker == "Дмитрий Песков"
    assert lead.role is not None and "пресс-секретарь" in lead.role
    assert by_quote(said, "Мы сожалеем").speaker == "Дмитрий Песков"
    assert by_quote(said, "не останутся").speaker == "Дмитрий Песков"  # по его словам
    assert by_quote(said, "страны союза").speaker == "Жозеп Боррель"
    assert by_quote(said, "решение Брюсселя").speaker == "МИД России"
    assert by_quote(said, "Это очередная попытка").speaker == "Мария Захарова"
    assert by_quote(said, "Москва открыта").speaker == "Сергей Лавров"
    assert by_quote(said, "Мы готовы к разговору").speaker == "Сергей Лавров"  # добавил он
    quotes = [s.quote for s in said]
    assert "Газпром" not in quotes and "Северный поток — 2" not in quotes
    assert not any("ТАСС" in q for q in quotes)


EN_AP = """\
WASHINGTON (AP) — The United States will not lift sanctions on Iran until Tehran returns to \
full compliance with the nuclear deal, Secretary of State Antony Blinken said Tuesday.

"We regret this decision," Blinken told a news conference, "but the door to diplomacy remains \
open."

In a statement, the Iranian Foreign Ministry said Washington had "no right" to set conditions. \
Ministry spokesman Saeed Khatibzadeh accused the U.S. of bad faith.

"The ball is in America's court," Khatibzadeh said, adding that Iran would not negotiate under \
pressure.

The European Union's foreign policy chief, Josep Borrell, urged both sides to show restraint. \
He warned that time was running out.

Analysts said the standoff could drag on for months. "Neither side wants to blink first," said \
Ali Vaez of the International Crisis Group.
"""

RU_RIA = """\
МОСКВА, 12 апр — РИА Новости. Киев не выполняет минские соглашения, заявил глава МИД России \
Сергей Лавров на пресс-конференции в Москве.

«Мы видим, что украинская сторона саботирует договоренности», — сказал министр.

Об этом также сообщил официальный представитель Кремля Дмитрий Песков. По словам Пескова, \
Москва «не намерена вмешиваться во внутренние дела соседней страны».

В Киеве эти обвинения отвергли. Министр иностранных дел Украины Дмитрий Кулеба назвал заявления\
 Москвы «пропагандой».

Как сообщает агентство Reuters, в Брюсселе готовят новый пакет санкций против России.

— Мы не исключаем новых мер, — отметил собеседник агентства в Еврокомиссии.
"""


def test_english_ap_article() -> None:
    said = extract_statements(EN_AP, "en")
    lead = by_quote(said, "The United States will not lift")
    assert (lead.speaker, lead.role) == ("Antony Blinken", "Secretary of State")  # "of" inside
    split = by_quote(said, "We regret this decision")
    assert split.quote.endswith("the door to diplomacy remains open.")  # one split quote
    assert split.speaker == "Antony Blinken"
    assert by_quote(said, "The ball is").speaker == "Saeed Khatibzadeh"
    assert by_quote(said, "Neither side").speaker == "Ali Vaez"
    assert not any(s.cue == "States" for s in said)  # "United States" holds no verb


def test_russian_ria_article() -> None:
    said = extract_statements(RU_RIA, "ru")
    assert by_quote(said, "Киев не выполняет").speaker == "Сергей Лавров"
    # "сказал министр": the only minister named before is Lavrov's role "глава МИД"; the
    # minister named later (Kuleba) must not be taken.
    assert by_quote(said, "Мы видим").speaker != "Дмитрий Кулеба"
    assert by_quote(said, "не намерена").speaker == "Дмитрий Песков"
    assert by_quote(said, "пропагандой").speaker == "Дмитрий Кулеба"
    reuters = [s for s in said if s.cue == "Как сообщает"]
    assert reuters and reuters[0].speaker == "Reuters"
