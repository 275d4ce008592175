"""Fixtures: a Bot API emulator per test, and a real python-telegram-bot Application polling it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from telegram.ext import Application, ApplicationBuilder

from playground.emulator import Emulator


@pytest.fixture
def tg() -> Iterator[Emulator]:
    with Emulator() as emulator:
        yield emulator


App = Application[Any, Any, Any, Any, Any, Any]
Setup = Callable[[App], None]


@asynccontextmanager
async def polling_bot(emulator: Emulator, setup: Setup) -> AsyncIterator[App]:
    """A real PTB Application, built as the bot builds it, polling the emulator over HTTP."""
    app = (
        ApplicationBuilder()
        .token(emulator.token)
        .base_url(emulator.base_url)
        .base_file_url(emulator.base_file_url)
        .build()
    )
    setup(app)
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0.0, timeout=1)
        try:
            yield app
        finally:
            await app.updater.stop()
            await app.stop()
