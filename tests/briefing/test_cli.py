"""`briefbot brief` as a user runs it: exit codes, messages, the JSON-lines batch contract."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ARTICLE = (
    "Norland accused Estavia on Saturday of sending trawlers into disputed waters, a day after "
    "talks on a fishing deal broke up. Estavia rejected the charge and said its boats had stayed "
    "inside the agreed limits. The two neighbours have argued over the cod grounds for a decade."
)


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "brief", *args],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )


def test_bad_input_exits_2_with_a_message_and_no_traceback(tmp_path: Path) -> None:
    binary = tmp_path / "photo.jpg"
    binary.write_bytes(bytes(range(256)) * 64)
    for args, stdin in [
        (["-"], ""),
        (["-"], "😀😀😀 123 456"),
        ([str(binary)], ""),
        ([str(tmp_path / "missing.txt")], ""),
    ]:
        result = run(*args, stdin=stdin)
        assert result.returncode == 2, (args, result.stderr)
        assert result.stderr.startswith("briefbot: ")
        assert "Traceback" not in result.stderr


def test_text_and_json_output() -> None:
    text = run("-", stdin=ARTICLE)
    assert text.returncode == 0
    assert "Norland accused Estavia" in text.stdout
    data = json.loads(run("-", "--json", "--sentences", "2", stdin=ARTICLE).stdout)
    assert data["language"] == "en" and len(data["summary"]) == 2


def test_parallel_batch_keeps_input_order_and_ids() -> None:
    lines = []
    for i in range(40):
        item = {"id": f"a{i}", "text": ARTICLE} if i % 7 else {"id": f"a{i}", "text": "too short"}
        lines.append(json.dumps(item))
    lines.insert(5, "{broken json")
    for workers in ("1", "2"):
        result = run("--jsonl", "--workers", workers, stdin="\n".join(lines) + "\n")
        assert result.returncode == 0, result.stderr
        rows = [json.loads(line) for line in result.stdout.splitlines()]
        assert [r["id"] for r in rows][:7] == ["a0", "a1", "a2", "a3", "a4", 6, "a5"]
        assert len(rows) == 41
        assert all(
            ("error" in r) == (r["id"] in ("a0", "a7", "a14", "a21", "a28", "a35", 6)) for r in rows
        )


def test_a_bug_on_one_line_is_reported_on_that_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot import cli

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(cli, "brief", broken)
    row = cli._brief_line((3, json.dumps({"id": "x", "text": ARTICLE}), 3))
    assert row["id"] == "x" and row["error"].startswith("Internal error (RuntimeError)")
