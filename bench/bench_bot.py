"""`make bench ONLY=bot`: forward-to-brief latency through the Bot API emulator, and RSS.

A real `briefbot run` process polls the emulator on 127.0.0.1 (flood limits off). 20 chats forward
the seed article at the same time, each waiting for its brief before the next forward (a closed
loop); the latency is from the forward being queued to the brief (the message carrying the
brief's buttons) being in the chat. Then links: the same with a link to a page served on
127.0.0.1 (a new URL every time, so the fetch cache never answers). Finally the bot's RSS after
1,000 briefs. Baseline, measured in this process: the engine alone on the same text.

Targets (issue 6): p95 <= 300 ms for a forwarded text, <= 500 ms for a link; reported as measured.
"""

from __future__ import annotations

import asyncio
import http.server
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from briefing import brief  # noqa: E402
from playground.emulator import Emulator  # noqa: E402
from playground.records import ChatMessage  # noqa: E402

CHATS = 20
TEXT_ROUNDS = 10  # per chat: 200 timed text briefs
LINK_ROUNDS = 5  # per chat: 100 timed link briefs
RSS_BRIEFS = 1000  # briefs done (in total) before the RSS reading
TEXT_CHARS = 3500  # a forwarded post is at most 4096 characters
TARGET_TEXT_P95_MS = 300.0
TARGET_LINK_P95_MS = 500.0
ANSWER_TIMEOUT_S = 60.0
SEED = (ROOT / "tests" / "bot" / "data" / "seed_article.txt").read_text("utf-8")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def _family(pid: int) -> list[int]:
    """The process and all its descendants (the engine's worker processes)."""
    found = [pid]
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = (task / "children").read_text().split()
        for child in children:
            found += _family(int(child))
    return found


def _memory_kb(pid: int, key: str) -> int:
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith(key):
            return int(line.split()[1])
    return 0


def memory(pid: int) -> str:
    """Resident memory of the bot and its engine processes: RSS summed (pages they share are
    counted once per process) and PSS (shared pages divided among them)."""
    family = _family(pid)
    rss = sum(_memory_kb(p, "Rss:") for p in family) / 1024
    pss = sum(_memory_kb(p, "Pss:") for p in family) / 1024
    main = _memory_kb(pid, "Rss:") / 1024
    return (
        f"RSS {rss:.0f} MB summed over {len(family)} processes (main {main:.0f} MB), "
        f"PSS {pss:.0f} MB"
    )


def _cpu_of(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_s(pid: int) -> tuple[float, float]:
    """User + system CPU seconds used so far by the bot's main process (its event loop and
    threads) and by its worker processes (the engine)."""
    return _cpu_of(pid), sum(_cpu_of(member) for member in _family(pid)[1:])


def page_server() -> tuple[http.server.ThreadingHTTPServer, str]:
    paragraphs = "".join(f"<p>{p}</p>" for p in SEED.split("\n\n") if p.strip())
    body = (
        "<!doctype html><html><head><title>Moscow looks for ways to improve relations with EU"
        "</title><meta property='og:site_name' content='UrduPoint'></head><body><article>"
        f"<h1>Moscow looks for ways to improve relations with EU</h1>{paragraphs}</article>"
        "</body></html>"
    ).encode()

    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            return None

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def is_brief(message: ChatMessage) -> bool:
    return "Follow this dispute" in message.button_texts


def answer_of(message: ChatMessage) -> bool:
    """The final answer to a forward: a brief, or a plain refusal (then the run is broken)."""
    return is_brief(message) or message.text.startswith(("I couldn't", "This text", "Something"))


async def closed_loop(
    tg: Emulator, rounds: int, send: Callable[[int, int], None], first_chat: int
) -> tuple[list[float], int]:
    """Every chat sends, waits for its answer, sends again; latencies in ms, failures.
    The chats are coroutines in the emulator's own event loop: no client threads competing
    with the emulator's HTTP server (the bot's process is separate, as with Telegram)."""
    failures = 0

    async def chat_loop(chat: int) -> list[float]:
        nonlocal failures
        times: list[float] = []
        for n in range(rounds):
            transcript = tg.transcript(chat)
            after = transcript[-1].message_id if transcript else 0
            started = time.perf_counter()
            send(chat, n)
            reply = await tg.wait_for_async(chat, answer_of, timeout=ANSWER_TIMEOUT_S, after=after)
            times.append((time.perf_counter() - started) * 1000)
            if not is_brief(reply):
                failures += 1
        return times

    results = await asyncio.gather(*(chat_loop(c) for c in range(first_chat, first_chat + CHATS)))
    return [t for chat_times in results for t in chat_times], failures


def report(name: str, times: list[float], failures: int, target: float) -> None:
    p50, p95 = statistics.median(times), percentile(times, 0.95)
    verdict = "met" if p95 <= target and failures == 0 else "MISSED"
    print(
        f"{name}: n={len(times)} p50={p50:.0f} ms p95={p95:.0f} ms max={max(times):.0f} ms "
        f"failures={failures} (target p95 <= {target:.0f} ms: {verdict})",
        flush=True,
    )


async def run() -> int:
    text = SEED[:TEXT_CHARS]
    # Baseline: the engine alone on the same text, in this process.
    brief(text)
    engine_ms = []
    for _ in range(20):
        started = time.perf_counter()
        brief(text)
        engine_ms.append((time.perf_counter() - started) * 1000)
    engine_p50 = statistics.median(engine_ms)
    print(f"baseline: engine alone p50={engine_p50:.1f} ms on {len(text)} characters", flush=True)

    server, site = page_server()
    data = tempfile.TemporaryDirectory()
    tg = await Emulator().start_async()
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": tg.token,
        "TELEGRAM_API_BASE_URL": tg.base_url,
        "BRIEFBOT_DATA_DIR": data.name,
        "BRIEFBOT_ALLOW_PRIVATE_HOSTS": "127.0.0.1",
        "BRIEFBOT_LOG_LEVEL": "WARNING",
    }
    bot = subprocess.Popen(  # noqa: ASYNC220 (started once, before any timing)
        [sys.executable, "-m", "bot.cli", "run"], env=env, cwd=ROOT
    )
    try:
        deadline = time.monotonic() + 60
        while tg.last_poll is None:
            if bot.poll() is not None or time.monotonic() > deadline:
                print("the bot did not start", file=sys.stderr)
                return 1
            await asyncio.sleep(0.05)
        print(f"bot at start: {memory(bot.pid)}", flush=True)

        def forward(chat: int, n: int) -> None:
            tg.forward_channel_post(chat, text, channel="World Desk", username="worlddesk")

        await closed_loop(tg, 1, forward, 5000)  # warm-up: first touches of the store
        (main_cpu, engine_cpu), own_cpu = cpu_s(bot.pid), time.process_time()
        wall = time.perf_counter()
        times, failures = await closed_loop(tg, TEXT_ROUNDS, forward, 1000)
        wall = time.perf_counter() - wall
        main_after, engine_after = cpu_s(bot.pid)
        main_cpu, engine_cpu = main_after - main_cpu, engine_after - engine_cpu
        own_cpu = time.process_time() - own_cpu
        report(f"forwarded text, {CHATS} concurrent chats", times, failures, TARGET_TEXT_P95_MS)
        per_brief = 1000 / len(times)
        print(
            f"  CPU per brief: bot {(main_cpu + engine_cpu) * per_brief:.1f} ms (main process "
            f"{main_cpu * per_brief:.1f} ms, engine workers {engine_cpu * per_brief:.1f} ms), "
            f"emulator and clients {own_cpu * per_brief:.1f} ms; throughput "
            f"{len(times) / wall:.0f} briefs/s; load average {os.getloadavg()[0]:.1f} on "
            f"{os.cpu_count()} cores"
        )
        print(f"  ratio p50 / engine-alone p50: {statistics.median(times) / engine_p50:.1f}x")
        done = CHATS + CHATS * TEXT_ROUNDS

        def link(chat: int, n: int) -> None:
            tg.send_text(chat, f"{site}/article/{chat}/{n}")

        times, failures = await closed_loop(tg, LINK_ROUNDS, link, 2000)
        report(f"link on loopback, {CHATS} concurrent chats", times, failures, TARGET_LINK_P95_MS)
        done += CHATS * LINK_ROUNDS

        rounds = max(0, -(-(RSS_BRIEFS - done) // CHATS))
        await closed_loop(tg, rounds, forward, 3000)
        done += rounds * CHATS
        print(f"bot after {done} briefs: {memory(bot.pid)}", flush=True)
    finally:
        bot.terminate()
        await asyncio.to_thread(bot.wait, 30)
        await tg.stop_async()
        server.shutdown()
        data.cleanup()
    return 0


def main() -> int:
    return asyncio.run(run())


if __name__ == "__main__":
    sys.exit(main())
