"""Errors cross the bot's engine process pool by pickle: what the user is told must survive it."""

import pickle

from briefing import BriefError
from sources.model import Article, FetchError, TooShortError


def test_brief_error_keeps_its_message_and_code() -> None:
    error = pickle.loads(  # noqa: S301 (our own bytes)
        pickle.dumps(BriefError("The text is too short to brief.", code="too_short"))
    )
    assert isinstance(error, BriefError)
    assert str(error) == "The text is too short to brief."
    assert error.code == "too_short"


def test_fetch_errors_keep_their_code_and_article() -> None:
    error = pickle.loads(  # noqa: S301 (our own bytes)
        pickle.dumps(FetchError("That address is not public.", code="blocked"))
    )
    assert (str(error), error.code) == ("That address is not public.", "blocked")
    article = Article(url="https://example.org/a", text="Subscribe to read.")
    short = pickle.loads(  # noqa: S301 (our own bytes)
        pickle.dumps(TooShortError("Behind a paywall.", article=article))
    )
    assert isinstance(short, TooShortError)
    assert (str(short), short.code, short.article) == ("Behind a paywall.", "too_short", article)
