import json
import subprocess
import sys


def test_jsonl_batch_keeps_order_and_survives_bad_lines() -> None:
    article = "Moscow and Brussels disagree. " * 10
    lines = "\n".join(
        [json.dumps({"id": "a", "text": article}), "not json", json.dumps({"id": "c", "text": ""})]
    )
    out = subprocess.run(
        [sys.executable, "-m", "bot.cli", "brief", "--jsonl"],
        input=lines,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    rows = [json.loads(line) for line in out]
    assert [r["id"] for r in rows] == ["a", 2, "c"]
    assert rows[0]["summary"] and "error" in rows[1] and "error" in rows[2]
