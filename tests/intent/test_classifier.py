from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from seawall.embed import Embedder, EmbedderUnavailable, shared
from seawall.errors import ConfigError
from seawall.intent import DEFAULT_THRESHOLD, IntentClassifier, Match

DATA = Path(__file__).parents[3] / "shared" / "data"

INTENTS = {
    "balance": [
        "what's my account balance",
        "how much money is in my checking account",
        "tell me my savings balance",
        "how much do i have in the bank right now",
        "what is the current balance of my account",
        "show me the balance of my debit account",
        "do i have enough money in checking to buy a laptop",
        "what's left in my savings",
        "check how much cash is in my account",
        "balance of my joint account please",
    ],
    "book_flight": [
        "book a flight from boston to denver",
        "i need a plane ticket to chicago on friday",
        "reserve me a flight to london next week",
        "find me a flight to miami for the weekend",
        "get me a seat on a flight to seattle tomorrow",
        "buy a round trip ticket to new york",
        "i want to fly to rome in june, book it",
        "book the cheapest flight to dallas",
        "can you get me on a plane to atlanta monday morning",
        "schedule a flight to san diego for two people",
    ],
    "translate": [
        "how do you say hello in spanish",
        "translate thank you into french",
        "what is the german word for apple",
        "how would i say good morning in italian",
        "what does bonjour mean in english",
        "translate where is the station to japanese",
        "say i love you in portuguese",
        "what's the russian for cheers",
        "how do i ask for the bill in greek",
        "give me the dutch translation of welcome",
    ],
    "pin_change": [
        "change my pin",
        "i want a new pin for my debit card",
        "how do i reset my card pin",
        "set my atm pin to 4321",
        "update the pin number on my bank card",
        "i forgot my pin and need to change it",
        "can i pick a different pin",
        "switch my card's pin code",
        "help me change the pin on my visa",
        "my pin needs updating",
    ],
    "lost_luggage": [
        "the airline lost my suitcase",
        "my bag never arrived at baggage claim",
        "how do i report missing luggage",
        "where is my lost baggage",
        "my luggage didn't make it to my destination",
        "help me track down my lost bags",
        "united lost my checked bag",
        "what do i do if my suitcase is lost",
        "i can't find my luggage after the flight",
        "file a claim for my missing suitcase",
    ],
}


@pytest.fixture(scope="module")
def embedder() -> Iterator[Embedder]:
    try:
        loaded = shared()
        loaded.load()
    except EmbedderUnavailable as exc:
        pytest.skip(f"no embedder: {exc}")
    yield loaded


@pytest.fixture(scope="module")
def classifier(embedder: Embedder) -> IntentClassifier:
    return IntentClassifier(INTENTS, embedder)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("can you tell me how much money i've got in my savings account", "balance"),
        ("please book me a flight to paris on tuesday", "book_flight"),
        ("how do i say goodbye in portuguese", "translate"),
        ("my suitcase was lost on my flight from denver", "lost_luggage"),
    ],
)
def test_a_clear_paraphrase_is_routed(classifier: IntentClassifier, text: str, intent: str) -> None:
    match = classifier.classify(text)
    assert match.intent == intent
    assert DEFAULT_THRESHOLD <= match.score <= 1
    assert match.runner_up not in (None, intent)


@pytest.mark.parametrize(
    "text",
    [
        "what's a good recipe for banana bread",
        "who won the football game last night",
        "write a python function that reverses a list",
        "",
    ],
)
def test_an_unrelated_question_abstains(classifier: IntentClassifier, text: str) -> None:
    match = classifier.classify(text)
    assert match.intent is None
    assert match.score < DEFAULT_THRESHOLD


def test_classify_vector_matches_classify(classifier: IntentClassifier, embedder: Embedder) -> None:
    text = "change the pin on my card"
    vector = embedder.embed([text])[0]
    assert classifier.classify_vector(text, vector) == classifier.classify(text)


def test_the_threshold_moves_the_cutoff(embedder: Embedder) -> None:
    strict = IntentClassifier(INTENTS, embedder, threshold=0.2)
    assert strict.cutoff < IntentClassifier(INTENTS, embedder).cutoff
    assert IntentClassifier(INTENTS, embedder, threshold=0).classify("tell me a joke").intent


def test_match_is_a_frozen_value() -> None:
    match = Match("balance", 0.5, "transfer")
    with pytest.raises(AttributeError):
        match.intent = "other"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not a JSON file"),
        ('["a", "b"]', "'intents' mapping"),
        ('{"intents": {}}', "non-empty mapping"),
        ('{"intents": {"a": "hello"}}', "intents.a: expected a list"),
        ('{"intents": {"a": ["hi", 3]}}', "intents.a: expected a list"),
        ('{"intents": {"a": ["hello", " hello "]}}', "at least 2 distinct"),
        ('{"intents": {"a": ["x", "y"], "b": ["X", "z"]}}', "example of both 'a' and 'b'"),
    ],
)
def test_a_bad_examples_file_is_a_config_error(
    tmp_path: Path, embedder: Embedder, content: str, message: str
) -> None:
    path = tmp_path / "intents.json"
    path.write_text(content)
    with pytest.raises(ConfigError, match=message) as caught:
        IntentClassifier.from_file(path, embedder)
    assert str(path) in caught.value.message


def test_a_missing_file_and_a_bad_threshold_are_config_errors(
    tmp_path: Path, embedder: Embedder
) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        IntentClassifier.from_file(tmp_path / "missing.json", embedder)
    with pytest.raises(ConfigError, match="threshold"):
        IntentClassifier(INTENTS, embedder, threshold=1.5)


@pytest.mark.skipif(not (DATA / "intent_dev.jsonl").exists(), reason="no shared data")
def test_dev_figures_meet_the_targets() -> None:
    from seawall.evals.intent import evaluate

    result = evaluate(DATA / "intent_examples.json", DATA / "intent_dev.jsonl")
    assert {"task", "n", "in_scope_accuracy", "oos_recall", "oos_recall_by_source"} <= set(result)
    assert result["n"] == 1160
    assert result["in_scope_accuracy"] >= 0.93
    assert result["oos_recall"] >= 0.90
    assert min(result["oos_recall_by_source"].values()) >= 0.6  # credit cards: 0.64
    assert set(result["latency_ms"]) == {"p50", "p99"}
    json.dumps(result)
