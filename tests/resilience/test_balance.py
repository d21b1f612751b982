import random
from collections import Counter

from seawall.resilience.balance import Target, order

A, B, C = Target("a", 3.0, 10), Target("b", 1.0, 10), Target("c", 1.0, 2)


def test_weighted_order_follows_weights():
    rng = random.Random(1)
    firsts = Counter(order([A, B], lambda _: 0, "weighted", rng)[0].id for _ in range(4000))
    assert 0.72 < firsts["a"] / 4000 < 0.78  # weight 3 of 4


def test_least_busy_prefers_the_lowest_share_in_use():
    load = {"a": 6, "b": 1, "c": 1}
    ranked = order([A, B, C], load.__getitem__, "least_busy", random.Random(2))
    assert [t.id for t in ranked] == ["b", "c", "a"]  # 10%, 50%, 60% of their limits in use


def test_least_busy_ties_follow_weights():
    rng = random.Random(3)
    firsts = Counter(order([A, B], lambda _: 0, "least_busy", rng)[0].id for _ in range(4000))
    assert firsts["a"] > firsts["b"] * 2


def test_single_target_is_returned_as_is():
    assert order([A], lambda _: 0, "weighted", random.Random()) == [A]
