"""Intent routing: a message that is clearly one of the configured intents goes to its
deterministic handler; anything else goes to the model."""

from .classifier import DEFAULT_THRESHOLD, IntentClassifier, Match, read_examples

__all__ = ["DEFAULT_THRESHOLD", "IntentClassifier", "Match", "read_examples"]
