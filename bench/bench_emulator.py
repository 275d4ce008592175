"""The Bot API emulator's own share of the bot's latency budget.

A real python-telegram-bot 22 Application with a trivial echo handler polls the emulator; 20
chats each send messages one after another, all at once. The time from a user's message to the
bot's reply in the emulator is the floor under every end-to-end figure measured through it (the
bot's forward-to-brief target is p95 <= 300 ms). Also: one sendMessage round trip over HTTP.
Prints medians and p95; asserts nothing.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time

import httpx
from telegram import Update
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters

from playground.emulator import Emulator

CHATS = 20
MESSAGES_PER_CHAT = 10
ROUND_TRIPS = 300


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message and update.effective_message.text
    await update.effective_message.reply_text("echo " + update.effective_message.text)


async def through_a_bot(tg: Emulator) -> list[float]:
    app = ApplicationBuilder().token(tg.token).base_url(tg.base_url).concurrent_updates(
        True).build()
    app.add_handler(MessageHandler(filters.TEXT, echo))
    latencies: list[float] = []

    async def user(chat_id: int) -> None:
        for number in range(MESSAGES_PER_CHAT):
            text = f"m{number}"
            started = time.perf_counter()
            tg.send_text(chat_id, text)
            await tg.wait_for_async(chat_id, lambda m, t=text: m.text == f"echo {t}")  # type: ignore[misc]
            latencies.append(time.perf_counter() - started)

    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0.0, timeout=10)
        await asyncio.gather(*(user(1000 + chat) for chat in range(CHATS)))
        await app.updater.stop()
        await app.stop()
    return latencies


def round_trips(tg: Emulator) -> list[float]:
    tg.add_user(7)
    times = []
    with httpx.Client(trust_env=False) as client:
        for _ in range(ROUND_TRIPS):
            started = time.perf_counter()
            client.post(f"{tg.base_url}{tg.token}/sendMessage",
                        data={"chat_id": "7", "text": "<b>hi</b>", "parse_mode": "HTML"})
            times.append(time.perf_counter() - started)
    return times


def report(name: str, values: list[float]) -> None:
    print(f"{name}: n={len(values)} p50={1000 * statistics.median(values):.1f} ms "
          f"p95={1000 * percentile(values, 0.95):.1f} ms max={1000 * max(values):.1f} ms")


def emulator_cpu_s(tg: Emulator) -> float:
    """CPU seconds the emulator's server thread has used so far."""
    loop = tg._loop
    assert loop is not None

    async def read() -> float:
        return time.thread_time()

    return asyncio.run_coroutine_threadsafe(read(), loop).result(5)


def main() -> int:
    with Emulator() as tg:
        report("sendMessage round trip (HTTP, HTML parse)", round_trips(tg))
        server_before, process_before = emulator_cpu_s(tg), time.process_time()
        started = time.perf_counter()
        latencies = asyncio.run(through_a_bot(tg))
        wall = time.perf_counter() - started
        server = emulator_cpu_s(tg) - server_before
        process = time.process_time() - process_before
        report(f"message -> PTB echo reply, {CHATS} concurrent chats", latencies)
        count = len(latencies)
        print(f"CPU per message: emulator {1000 * server / count:.2f} ms, "
              f"bot + test client {1000 * (process - server) / count:.2f} ms; "
              f"wall {wall:.2f} s for {count} messages ({100 * process / wall:.0f}% of one core)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
