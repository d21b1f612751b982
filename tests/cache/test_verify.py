"""The verifier: vetoes for the differences that change an answer, and the shipped model
letting light paraphrases through."""

from __future__ import annotations

import pytest

from seawall.cache.verify import Verdict, Verifier, alignment, compare, read, shipped
from seawall.embed import shared


def check(query: str, cached: str, cosine: float) -> Verdict:
    """The shipped verifier as the cache runs it, with both texts' word pieces."""
    pieces = dict(zip((query, cached), shared().pieces([query, cached]), strict=True))
    return shipped().check(query, cached, cosine, None, pieces)


@pytest.mark.parametrize(
    ("query", "cached", "veto"),
    [
        ("What is the capital of Germany?", "What is the capital of France?", "name"),
        ("how do i install pandas", "how do i install numpy", ""),  # lower case: the score
        ("Week 13 of the NFL season", "Week Three of the NFL season", "number"),
        ("What changed in Python 3.12?", "What changed in Python 3.11?", "number"),
        ("Who won the second race?", "Who won the first race?", "number"),
        ("Which foods are not safe for dogs?", "Which foods are safe for dogs?", "negation"),
        ("Why can't I log in?", "Why can I log in?", "negation"),
        ("What is the worst laptop?", "What is the best laptop?", "opposite"),
        ("How do I hide files in Finder?", "How do I show hidden files in Finder?", "opposite"),
        ("Convert 10 dollars to euros", "Convert 10 euros to dollars", "order"),
        ("Is Java faster than Python?", "Is Python faster than Java?", "order"),
        ("flights from Denver to Boston", "flights from Boston to Denver", "order"),
        ("When is the sky blue?", "Why is the sky blue?", "question kind"),
        (
            "Can I cancel an order after it has shipped?",
            "Can I cancel before it shipped?",
            "opposite",
        ),
        ("Who approves PTO requests over 5 days?", "Who approves PTO under 5 days?", "opposite"),
        ("Is the pool open after 9 pm?", "Is the pool open after 9 pm today?", "time"),
        ("what time does the clinic open on saturdays", "is the clinic open on weekends", "time"),
        ("How do I turn off updates on my Mac?", "How do I turn on updates on my Mac?", "opposite"),
        ("Can students work off campus?", "Can students work on campus?", "opposite"),
        ("can i return an item within 30 days", "can i return an item after 30 days", "opposite"),
        ("How do I sign in on my phone?", "How do I sign in with my phone?", ""),
    ],
)
def test_vetoes(query: str, cached: str, veto: str) -> None:
    assert compare(query, cached).veto == veto


@pytest.mark.parametrize(
    ("query", "cached"),
    [
        ("How can I reset my password?", "How do I reset my password?"),
        ("how do I reset my password", "How do I reset my password?"),
        ("Is coffee or tea healthier?", "Is tea or coffee healthier?"),
        ("What are good movies for kids?", "What are good films for children?"),
        ("Could you please tell me how to learn Python?", "How do I learn Python?"),
    ],
)
def test_light_paraphrases_pass_the_shipped_verifier(query: str, cached: str) -> None:
    verdict = check(query, cached, 0.95)
    assert verdict.same, verdict


def test_a_word_said_in_other_words_passes() -> None:
    query, cached = "How do I talk fluent English?", "How can I speak English fluently?"
    diff = compare(query, cached)
    assert diff.unmatched and not diff.veto  # the words differ: the model decides
    assert check(query, cached, 0.9).same


def test_one_replaced_word_is_not_the_same_question() -> None:
    verdict = check(
        "My girlfriend is a cheater. How can I punish her?",
        "My wife is a cheater. How can I punish her?",
        0.93,
    )
    assert not verdict.same and verdict.reason == "score"
    assert not check("how do i install pandas", "how do i install numpy", 0.95).same


def test_a_word_it_cannot_align_is_never_waved_through() -> None:
    query, cached = "How do I talk fluent English?", "How can I speak English fluently?"
    assert Verifier.needs_pieces(query, cached)
    verdict = shipped().check(query, cached, 0.99)  # no pieces: the model is not asked
    assert verdict == Verdict(False, 0.0, "unaligned")
    # nothing to align: neither a veto nor identical words need the model's pieces
    assert not Verifier.needs_pieces("What is the worst laptop?", "What is the best laptop?")
    assert not Verifier.needs_pieces("Good movies for kids?", "good films for children")


def test_alignment_finds_the_word_in_other_words() -> None:
    query, cached = "How do I talk fluent English?", "How can I speak English fluently?"
    diff = compare(query, cached)
    pieces = dict(zip((query, cached), shared().pieces([query, cached]), strict=True))
    aligned = alignment(diff, pieces[query], pieces[cached])
    assert len(aligned) == diff.unmatched
    other = "how do i install numpy"
    far = compare("how do i install pandas", other)
    far_pieces = shared().pieces(["how do i install pandas", other])
    assert max(alignment(far, *far_pieces)) < min(aligned)


def test_identical_texts_are_the_same_without_looking() -> None:
    assert shipped().check("anything", "anything", 0.0).same


def test_names_are_told_from_sentence_capitals() -> None:
    tokens = read("Yes. Datasets can be used with JAX.").content
    assert [t.norm for t in tokens if t.proper] == ["jax"]  # "Yes" and "Datasets" open sentences


def test_a_model_for_other_features_is_refused() -> None:
    data = shipped().to_json()
    data["features"] = ["cosine"]
    with pytest.raises(ValueError, match="refit"):
        Verifier.from_json(data)


def test_the_shipped_model_knows_its_training_texts() -> None:
    from seawall.evals.common import text_key

    assert text_key("How do I lose weight?") in shipped().train_keys
