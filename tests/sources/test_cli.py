"""`briefbot brief URL` and `--jsonl` URL lines, through the real command on 127.0.0.1."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from briefing import BriefError
from sources.cli import LinkBriefError, brief_url
from tests.sources.conftest import LocalServer
from tests.sources.pages import article_html


def _briefbot(
    args: list[str], stdin: str = "", allow: str = "127.0.0.1"
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BRIEFBOT_ALLOW_PRIVATE_HOSTS": allow}
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "brief", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_jsonl_urls_give_the_article_text_and_clear_errors(server: LocalServer) -> None:
    good = server.page("/story", article_html())
    short = server.page("/short", article_html(paragraphs=["Subscribe to continue reading."]))
    lines = [
        {"id": "good", "url": good},
        {"id": "missing", "url": server.url("/nowhere")},
        {"id": "short", "url": short},
        {"id": "blocked", "url": "http://10.0.0.1/"},
    ]
    out = _briefbot(["--jsonl"], "\n".join(json.dumps(line) for line in lines))
    assert out.returncode == 0, out.stderr
    rows = {row["id"]: row for row in map(json.loads, out.stdout.splitlines())}
    assert list(rows) == ["good", "missing", "short", "blocked"]
    assert "Kremlin spokesman Dmitry Peskov" in rows["good"]["text"]
    assert rows["good"]["title"].startswith("Moscow looks for ways")
    assert rows["good"]["source"]["site"] == "World Desk"
    assert "HTTP 404" in rows["missing"]["error"] and "text" not in rows["missing"]
    assert "paywall" in rows["short"]["error"] and "Subscribe" in rows["short"]["text"]
    assert "private" in rows["blocked"]["error"]


def test_single_url_and_the_default_allow_list(server: LocalServer) -> None:
    url = server.page("/one", article_html())
    out = _briefbot(["--json", url])
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["source"]["author"] == "Jane Reporter"
    refused = _briefbot([url], allow="")
    assert (
        refused.returncode == 2 and "ports" in refused.stderr and "Traceback" not in refused.stderr
    )


def test_a_page_the_engine_refuses_still_reports_its_text(
    server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFBOT_ALLOW_PRIVATE_HOSTS", "127.0.0.1")
    numbers = " ".join(str(n * 7919 % 100000) for n in range(120))
    url = server.page("/numbers", article_html(paragraphs=[numbers, numbers]))
    with pytest.raises(LinkBriefError) as caught:
        brief_url(url, sentences=3, lang=None)
    assert isinstance(caught.value, BriefError)  # what bot/cli.py catches
    assert numbers[:40] in caught.value.extra["text"]
    assert caught.value.extra["source"]["site"] == "World Desk"
