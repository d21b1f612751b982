"""``seawall eval cache``: the contract's JSON, clear refusals of bad input, and the
figures held to what was measured: on the dev file out of fold, and on the project's
own near-identical pairs, where verification is what keeps wrong hits down."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEV = ROOT.parent / "shared" / "data" / "cache_pairs_dev.jsonl"
HARD = ROOT / "tests" / "data" / "cache_pairs_hard.jsonl"


def eval_cache(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "seawall.cli.main", "eval", "cache", *args],
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_the_contract_json_on_a_small_file(tmp_path):
    rows = [
        {"a": "How do I reset my password?", "b": "how can i reset my password", "duplicate": True},
        {
            "a": "What is the capital of France?",
            "b": "What is the capital of Germany?",
            "duplicate": False,
        },
        {
            "a": "Convert 10 euros to dollars",
            "b": "Convert 10 dollars to euros",
            "duplicate": False,
        },
        {  # words differ: decided on the model's word pieces
            "a": "How can I speak English fluently?",
            "b": "How do I talk fluent English?",
            "duplicate": True,
        },
    ]
    data = tmp_path / "pairs.jsonl"
    data.write_text("\n".join(json.dumps(r) for r in rows))
    done = eval_cache("--data", str(data), "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["task"] == "cache" and result["pairs"] == 4 and result["out_of_fold"] is False
    assert (result["hit_rate"], result["wrong_hit_share"]) == (1.0, 0.0)
    assert result["wrong_hits_per_nonduplicate"] == 0.0
    assert result["lookups_aligned"] == 1
    assert result["threshold"] == 0.8
    shipped = [row for row in result["by_threshold"] if row.get("shipped")]
    assert [row["threshold"] for row in shipped] == [0.8]
    # what the verifier buys: trusting the nearest neighbour answers both traps wrongly
    low = next(row for row in result["by_threshold"] if row["threshold"] == 0.7)
    assert low["cosine_only"]["wrong_hits"] >= 1 and low["wrong_hits"] == 0
    assert set(result["lookup_ms"]) == {"p50", "p99"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"a": "x"}\n', "missing b, duplicate"),
        ('{"a": "x", "b": "y", "duplicate": "yes"}\n', "true or false"),
        ('{"a": "x", "b": "y", "duplicate": false}\n', "at least one duplicate"),
        ('{"a": "", "b": "y", "duplicate": true}\n', "must not be empty"),
    ],
)
def test_bad_files_are_refused_clearly(tmp_path, content, message):
    data = tmp_path / "bad.jsonl"
    data.write_text(content)
    done = eval_cache("--data", str(data))
    assert done.returncode == 2 and message in done.stderr, done.stderr


def test_near_identical_pairs_are_kept_apart():
    done = eval_cache("--data", str(HARD), "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["wrong_hit_share"] <= 0.05 and result["hit_rate"] >= 0.40  # 0.436 / 0.032
    at = next(row for row in result["by_threshold"] if row.get("shipped"))
    assert at["cosine_only"]["wrong_hit_share"] >= 0.5  # what a cosine cache would serve


@pytest.mark.skipif(not DEV.exists(), reason="the shared dev data is not beside this checkout")
@pytest.mark.timeout(600)  # five refits, and embedding 2,600 questions on a cold cache
def test_dev_figures_out_of_fold():
    done = eval_cache("--data", str(DEV), "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["out_of_fold"] is True and result["rows_seen_in_training"] > 1000
    # measured 0.335 / 0.085 (README "Cache"): held a little below, to catch a regression
    assert result["hit_rate"] >= 0.31
    assert result["wrong_hit_share"] <= 0.10
    at = next(row for row in result["by_threshold"] if row.get("shipped"))
    assert at["cosine_only"]["wrong_hit_share"] > 0.12
