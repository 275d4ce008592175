from briefing.summarize import is_eligible, summarize

ARTICLE = [
    "The city council voted on Tuesday to close the old bridge after inspectors found cracks.",
    "The bridge, built in 1932, carries 20,000 cars a day across the river.",
    "Inspectors said the cracks in two steel beams could widen in cold weather.",
    '"We cannot take that risk," the mayor said.',
    "Drivers will be diverted to the new bridge two miles north, adding ten minutes to trips.",
    "The council will decide next month whether to repair or replace the old bridge.",
    "A local baker said business had been slow all winter anyway.",
]


def test_summary_is_in_article_order_and_of_the_asked_length() -> None:
    for count in (1, 2, 3, 5):
        summary = summarize(ARTICLE, "en", count)
        assert len(summary) == count
        assert [ARTICLE.index(s) for s in summary] == sorted(ARTICLE.index(s) for s in summary)


def test_the_lead_is_in_the_summary() -> None:
    assert summarize(ARTICLE, "en", 3)[0] == ARTICLE[0]


def test_near_duplicates_are_dropped() -> None:
    article = [ARTICLE[0], ARTICLE[0].replace("Tuesday", "Tuesday evening"), *ARTICLE[1:]]
    summary = summarize(article, "en", 3)
    assert not (article[0] in summary and article[1] in summary)


def test_fragments_datelines_captions_and_bare_quotes_are_skipped() -> None:
    assert not is_eligible("Read more")
    assert not is_eligible("date 2021-02-10 UrduPoint.com")
    assert not is_eligible('"We cannot take that risk and we never will."')
    assert not is_eligible("Stokes (left) clashed with Samuels during the second Test in Grenada.")
    assert is_eligible('"We cannot take that risk," the mayor said.')
    assert is_eligible("He was 88 years old.")
    # The tail of a sentence a broken page cut in two.
    assert not is_eligible(", a déclaré le chef de la police locale à la presse.")


def test_an_article_of_fragments_still_gets_a_summary() -> None:
    assert summarize(["Breaking news", "More soon"], "en", 3) == ["Breaking news", "More soon"]


def test_russian_without_stop_words_from_sumy() -> None:
    article = [
        "Правительство России в понедельник объявило о повышении налогов на топливо.",
        "Эти деньги пойдут на строительство новых дорог в регионах страны.",
        "Эксперты считают, что цены на бензин вырастут на пять процентов.",
        "Решение вступит в силу с первого января следующего года.",
    ]
    assert summarize(article, "ru", 2)[0] == article[0]


def test_a_summary_never_repeats_a_sentence() -> None:
    article = ["It is what it is and it was.", "It is what it is and it was.", ARTICLE[1]]
    summary = summarize(article, "en", 3)
    assert len(summary) == len(set(summary))


def test_a_wall_of_text_is_cut_with_an_ellipsis() -> None:
    (only,) = summarize(["word " * 5_000], "en", 1)
    assert len(only) <= 601 and only.endswith("…")


def test_link_prompts_are_skipped_in_every_language() -> None:
    assert not is_eligible("Si no puede ver la retransmisión del desfile en directo, pinche aquí.")
    assert not is_eligible("Pour voir la vidéo du discours en entier, cliquez ici.")


def test_the_last_pick_adds_news_rather_than_restating_the_first_ones() -> None:
    article = [
        "The city council closed the old river bridge on Tuesday after engineers found cracks.",
        "Engineers said two supports of the bridge had deep cracks and could fail in floods.",
        # Comes earlier, but only restates the closure and the cracks.
        "Officials said the bridge would stay shut for months because the cracks were dangerous.",
        "A ferry service will carry commuters while repairs costing 40 million dollars go ahead.",
        "Commuters pay nothing for the ferry service during the repairs, which cost 40 million "
        "dollars.",
        "The ferry service starts on Monday for commuters.",
    ]
    assert summarize(article, "en", 3) == [*article[:2], article[3]]


def test_a_long_brief_gets_a_third_sentence_only_if_it_tells_something_new() -> None:
    article = [
        "The city council of the northern port town voted late on Tuesday evening to close the "
        "old river bridge to all traffic after engineers found deep cracks in two of its supports.",
        "According to the engineers, a winter flood could bring the bridge down, and repairs would "
        "take at least two years and cost the town about 40 million euros, money it does not have.",
        # Next in line, but it only comments on the vote, and the brief is already long.
        "Several officials present at the meeting described the vote as painful but right for "
        "the people of the northern port town and for everyone who crosses the river.",
        "The repairs will cost 40 million euros, and the town will ask the government for money.",
        "A winter flood is expected, and the repairs cannot start before the engineers finish "
        "two more years of tests.",
    ]
    assert summarize(article, "en", 3) == article[:2]
    # Short sentences: three fit in a brief.
    short = [
        "The council closed the old river bridge on Tuesday.",
        "Engineers found deep cracks in two of its supports.",
        "A ferry will carry commuters across the river until the repairs end.",
    ]
    assert summarize(short, "en", 3) == short
