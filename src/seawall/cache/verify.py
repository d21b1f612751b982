"""Is a cached question the same question? The semantic cache's second opinion.

Sentence embeddings put "capital of France" next to "capital of Germany", a question
next to its negation and "week 3" next to "week 13": nearness in embedding space is
topical similarity, not sameness. So a nearest neighbour above the cosine threshold
is only a candidate; this module compares the two texts word by word and answers
whether the difference could change the answer.

Two layers:

- vetoes, which no score overrides: a number, a proper name, a day or a negation that
  one text has and the other lacks; a word swapped for its opposite ("turn on" against
  "turn off", "within 30 days" against "after 30 days"); the same word in a different
  role ("from Paris to Rome" against "from Rome to Paris"); a different kind of
  question (why against when).
- a small logistic model over the remaining difference (how many content words only
  one side has, how well the other side says each of them in other words, the cosine,
  the lengths), fitted by ``training/train_cache.py``; its weights and threshold ship
  in ``verifier.json``.

The word-by-word comparison is pure Python over short texts and costs tens of
microseconds, so every candidate above the cosine threshold can be checked. "In other
words" is the embedding model's word pieces in context (``Embedder.pieces``): one more
model run over the question and its candidates, made only when a word differs and no
veto has decided.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..embed import Pieces

_WORD = re.compile(
    r"[^\W\d_]+\d[^\W_]*"  # identifiers that mix letters and digits: ps5, k8s, ec2
    r"|\d+(?:[.,:/]\d+)*(?:st|nd|rd|th|s)?(?![^\W_])"
    r"|\d+[^\W\d_]+[^\W_]*"  # 3d, 4k, 2fa
    r"|[^\W\d_]+(?:['-][^\W\d_]+)*",
    re.UNICODE,
)
_ORDINAL_DIGITS = re.compile(r"(\d+)(?:st|nd|rd|th)")

# Words whose presence or absence rarely changes what is asked. Question words are
# kept out of this list on purpose: they decide the kind of question.
_STOP = frozenset(
    """a an the of to in on at for from by with about as into onto over under and or but
    if then so than that this these those is are was were be been being am do does did
    doing done have has had having can could should would will shall may might must
    i me my mine myself we us our ours you your yours yourself he him his she her hers it
    its they them their theirs there here some any all much many very really just also
    still even ever way ways thing things get gets got getting go going one ones someone
    something anyone anything s t d ll m re ve please tell know let possible actually
    someone's i'm it's what's what which",
    """.replace('"', " ").split()
)
_NEGATION = frozenset(
    "not no never cannot can't don't doesn't didn't isn't aren't wasn't weren't won't "
    "wouldn't shouldn't couldn't haven't hasn't hadn't without none nobody nothing "
    "neither nor n't dont doesnt didnt isnt arent wasnt werent wont wouldnt shouldnt "
    "couldnt cant havent hasnt hadnt".split()
)
# relation words and their opposites (see Reading.relations): small words, mostly stop
# words, that reverse a question when swapped ("turn on" / "turn off", "within 30 days"
# / "after 30 days")
_RELATION_PAIRS = """before after | over under | above below | since until | within outside
| within after | on off | in out | up down"""


def _paired(pairs: str) -> dict[str, frozenset[str]]:
    """Each word of ``pairs`` ("a b | c d") with the words paired with it."""
    out: dict[str, frozenset[str]] = {}
    for pair in pairs.split("|"):
        x, y = pair.split()
        out[x] = out.get(x, frozenset()) | {y}
        out[y] = out.get(y, frozenset()) | {x}
    return out


_RELATIONS = _paired(_RELATION_PAIRS)
# words that name a day or a time of it: a change of one asks about another time, as a
# change of number does ("open on saturdays" / "open on weekends")
_TIMES = frozenset(
    """today tomorrow yesterday tonight morning afternoon evening night weekend weekends
    weekday weekdays monday tuesday wednesday thursday friday saturday sunday mondays
    tuesdays wednesdays thursdays fridays saturdays sundays""".split()
)
# prepositions that give the word after them a role in the question
_ROLE = frozenset(
    "from to than into onto before after over against versus vs toward towards".split()
)
_KINDS = {
    "why": "why",
    "when": "when",
    "where": "where",
    "who": "who",
    "whom": "who",
    "whose": "who",
}
_NUMBER_WORDS = {
    w: str(i)
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
}
_NUMBER_WORDS |= {
    "thirty": "30",
    "forty": "40",
    "fifty": "50",
    "sixty": "60",
    "seventy": "70",
    "eighty": "80",
    "ninety": "90",
    "hundred": "100",
    "thousand": "1000",
    "million": "1000000",
    "billion": "1000000000",
    "twice": "2",
    "dozen": "12",
    "half": "0.5",
}
_ORDINALS = {
    w: f"{i + 1}th"
    for i, w in enumerate(
        "first second third fourth fifth sixth seventh eighth ninth tenth".split()
    )
}
# "one" is nearly always a pronoun in questions ("which one", "one of"); counted only
# when a digit could stand in its place is too subtle here, so it is a stop word
_NUMBER_WORDS.pop("one")
# words people swap freely in a paraphrase; each maps to the group's first word
_SYNONYMS_TEXT = """
kid child | kids children | film movie | films movies | buy purchase | big large huge
| start begin | started began | small little | quick fast | quickly fast | choose pick select
| photo picture | photos pictures | shop store | shops stores | car automobile
| job work | jobs | earn make | mobile phone cellphone smartphone | laptop notebook
| learn study | improve enhance boost | use utilise utilize | help assist | need require
| create make build | methods ways | method way | guide tutorial | suggest recommend
| suggested recommended | cheap inexpensive affordable | easy simple | difference differences
| advantage benefit | advantages benefits | problem issue | problems issues | fix solve
| shows displays | show display | stop quit | website site | websites sites
| tv television | us usa america | uk britain | pc computer | app application | apps applications
| kubernetes k8s | javascript js | typescript ts | python py | postgres postgresql | repo repository
| account acct | please pls plz | you u | your ur | thanks thx | message msg | info information
"""


# opposites: a question that swaps one for the other asks the reverse
_OPPOSITES_TEXT = """
best worst | better worse | most least | more less | max min | maximum minimum
| increase decrease | increase reduce | raise lower | up down | high low | higher lower
| buy sell | bought sold | cheap expensive | cheapest expensive | before after | early late
| first last | start end | start stop | open close | on off | enable disable | add remove
| install uninstall | encrypt decrypt | import export | upload download | push pull
| show hide | hidden visible | fast slow | speed slow | hot cold | warm cool | win lose
| won lost | pros cons | advantage disadvantage | benefit risk | safe dangerous | safe unsafe
| legal illegal | true false | right wrong | old new | young old | big small | long short
| heavy light | gain lose | profit loss | import export | input output | send receive
| enter exit | in out | inside outside | above below | over under | north south
| east west | left right | positive negative | allow deny | accept reject | like dislike
| love hate | friend enemy | rich poor | always never | compress decompress | lock unlock
| mount unmount | zip unzip | follow unfollow | subscribe unsubscribe | connect disconnect
| keep discard | keep delete | keep throw | keep remove | give get | give take | lend borrow
| upgrade downgrade | include exclude | attach detach | merge split | join leave
"""


def _synonyms() -> dict[str, str]:
    table: dict[str, str] = {}
    for group in _SYNONYMS_TEXT.split("|"):
        words = group.split()
        for word in words[1:]:
            table[word] = words[0]
    return table


_SYN = _synonyms()


def _opposites() -> frozenset[tuple[str, str]]:
    pairs = set()
    for group in _OPPOSITES_TEXT.split("|"):
        first, second = (_stem(w) for w in group.split())
        pairs |= {(first, second), (second, first)}
    return frozenset(pairs)


def _stem(word: str) -> str:
    """A light suffix strip, enough that "videos" meets "video", "rupees" "rupee" and
    "writing" "write": plural, then -ing / -ed, then a final e."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    return word


@dataclass(frozen=True, slots=True)
class Token:
    norm: str  # what two texts compare on
    proper: bool  # a name, an acronym, a code: a change of it is a change of subject
    number: bool
    role: str  # the role preposition governing it, or ""
    time: bool = False  # a day or a time of day (``_TIMES``)
    # where it stands in the text: to find the model's word pieces for it
    start: int = field(default=0, compare=False)
    end: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Reading:
    content: tuple[Token, ...]
    negations: int
    kind: str  # why / when / where / who, or "" for the rest
    # the relation words it has, each as often as it occurs ("on" twice in "turn on
    # updates on my Mac"), sorted
    relations: tuple[str, ...] = ()


@lru_cache(maxsize=4096)
def read(text: str) -> Reading:
    text = text[:2000].replace("\u2019", "'")
    content: list[Token] = []
    negations = 0
    kind = ""
    role = ""
    role_age = 0
    relations: list[str] = []
    for match in _WORD.finditer(text):
        raw = match.group()
        lower = raw.lower()
        if lower in _RELATIONS:
            relations.append(lower)
        if lower in _NEGATION or lower.endswith("n't"):
            negations += 1
            continue
        if not kind and lower in _KINDS:
            kind = _KINDS[lower]
        if lower in _ROLE:
            role, role_age = lower, 3
            continue
        if role_age:
            role_age -= 1
            if not role_age:
                role = ""
        number = False
        if (raw[0].isdigit() and not raw[-1].isalpha()) or _ORDINAL_DIGITS.fullmatch(lower):
            ordinal = _ORDINAL_DIGITS.fullmatch(lower)
            norm, number = (ordinal.group(1) + "th" if ordinal else lower), True
        elif lower in _NUMBER_WORDS:
            norm, number = _NUMBER_WORDS[lower], True
        elif lower in _ORDINALS:
            norm, number = _ORDINALS[lower], True
        elif lower in _STOP:
            continue
        else:
            if lower.endswith("'s"):
                lower = lower[:-2]  # "the manager's calendar" is about the manager
            norm = _SYN.get(lower, lower)
            norm = _SYN.get(_stem(norm), _stem(norm))
        proper = not number and (
            (raw[0].isupper() and not _starts_sentence(text, match.start()) and raw != "I")
            or (len(raw) >= 2 and raw.isupper() and raw.isalpha())
            or any(ch.isdigit() for ch in raw)
        )
        time = lower in _TIMES
        content.append(Token(norm, proper, number, role, time, match.start(), match.end()))
        if role:
            role = ""  # one preposition governs the next content word only
            role_age = 0
    return Reading(tuple(content), negations, kind, tuple(sorted(relations)))


def _starts_sentence(text: str, at: int) -> bool:
    """Whether the word at ``at`` opens a sentence (so its capital says nothing)."""
    before = text[:at].rstrip(" \t\"'(\u201c[*-")
    return not before or before[-1] in ".?!:;\n"


@dataclass(frozen=True, slots=True)
class Difference:
    """What one text has that the other has not (``query`` / ``cached`` sides)."""

    query_only: tuple[Token, ...]
    cached_only: tuple[Token, ...]
    shared: int
    veto: str  # why the two cannot be the same question, or ""

    @property
    def unmatched(self) -> int:
        return len(self.query_only) + len(self.cached_only)


def compare(query: str, cached: str) -> Difference:
    a, b = read(query), read(cached)
    a_norms = {t.norm for t in a.content}
    b_norms = {t.norm for t in b.content}
    # a word that is proper on either side counts as a name on both
    proper = {t.norm for t in a.content + b.content if t.proper}
    query_only = tuple(t for t in a.content if t.norm not in b_norms)
    cached_only = tuple(t for t in b.content if t.norm not in a_norms)
    shared = len(a_norms & b_norms)
    veto = ""
    if (a.negations > 0) != (b.negations > 0):
        veto = "negation"
    elif a.kind != b.kind and a.kind and b.kind:
        veto = "question kind"
    elif any(t.number for t in query_only + cached_only):
        veto = "number"
    elif any(t.norm in proper for t in query_only + cached_only):
        veto = "name"
    elif any(t.time for t in query_only + cached_only):
        veto = "time"
    elif (
        any((x.norm, y.norm) in _OPPOSITES for x in query_only for y in cached_only)
        or _opposite_added(query_only, b)
        or _opposite_added(cached_only, a)
        or _relation_reversed(a, b)
    ):
        veto = "opposite"
    elif not query_only and not cached_only and _reordered(a, b, query):
        veto = "order"
    else:
        roles_a = {t.norm: t.role for t in a.content if t.role}
        roles_b = {t.norm: t.role for t in b.content if t.role}
        for norm in roles_a.keys() & roles_b.keys():
            if roles_a[norm] != roles_b[norm]:
                veto = "role"
                break
        else:
            # "flights from Paris to Rome" / "flights to Paris from Rome": the same
            # words, each under the other preposition
            if roles_a and roles_b and _swapped(a, b):
                veto = "role"
    return Difference(query_only, cached_only, shared, veto)


def _relation_reversed(a: Reading, b: Reading) -> bool:
    """ "before it has shipped" against "after it has shipped", "under 5 days" against
    "over 5 days": a relation word on one side whose opposite is on the other only."""
    counts_a, counts_b = Counter(a.relations), Counter(b.relations)
    only_a, only_b = counts_a - counts_b, counts_b - counts_a
    return any(y in _RELATIONS[x] for x in only_a for y in only_b)


def _opposite_added(extra: tuple[Token, ...], other: Reading) -> bool:
    """A word one side adds whose opposite the other side has ("hidden" against "show")."""
    norms = {t.norm for t in other.content}
    return any((x.norm, y) in _OPPOSITES for x in extra for y in norms)


_COORDINATION = re.compile(r"^\s*(?:,\s*)?(?:and|or|&|vs\.?|versus|,)\s*(?:the |a |an )?$", re.I)


def _reordered(a: Reading, b: Reading, text: str) -> bool:
    """The same content words in another order: "convert a string to an int" against
    "convert an int to a string". Two words joined by "and", "or" or "vs" may swap
    freely ("tea or coffee")."""
    order_a = [t.norm for t in a.content]
    order_b = [t.norm for t in b.content]
    if order_a == order_b or sorted(order_a) != sorted(order_b):
        return False
    if len(set(order_a)) != len(order_a):
        # a repeated word ("the iphone 15 case on the iphone 15 pro"): where they part
        at = next(i for i, (x, y) in enumerate(zip(order_a, order_b, strict=True)) if x != y)
        x, y = order_a[at], order_b[at]
        return not (_coordinated(text, x, y) or _coordinated(text, y, x))
    position = {norm: i for i, norm in enumerate(order_b)}
    ranks = [position[n] for n in order_a if n in position]
    moved = [(order_a[i], order_a[i + 1]) for i in range(len(ranks) - 1) if ranks[i] > ranks[i + 1]]
    for first, second in moved:
        if not _coordinated(text, first, second):
            return True
    return False


def _coordinated(text: str, first: str, second: str) -> bool:
    lower = text.lower()
    left, right = lower.find(first[:4]), lower.find(second[:4])
    if left < 0 or right < 0 or right <= left:
        return False
    between = lower[left:right]
    between = between[between.find(" ") if " " in between else len(between) :]
    return bool(_COORDINATION.match(between))


def _swapped(a: Reading, b: Reading) -> bool:
    order_a = [t.norm for t in a.content if t.role]
    order_b = [t.norm for t in b.content if t.role]
    return len(order_a) >= 2 and sorted(order_a) == sorted(order_b) and order_a != order_b


FEATURES = (
    "cosine",
    "query_only",
    "cached_only",
    "swapped",  # words one side has in place of the other's: min of the two above
    "unmatched_share",
    "shared",
    "no_shared",
    # the near-identical shapes, where one word decides: nothing differs, one word
    # added or dropped, one word replaced
    "same_words",
    "one_extra",
    "one_replaced",
    # words only one side has, the other having none of its own: a qualifier that
    # narrows the question ("a specific container in a pod")
    "one_sided",
    # how well the other question says each word only one side has, in other words:
    # the word's pieces in context against the other text's pieces (``alignment``)
    "least_aligned",
    "unaligned_50",
    "unaligned_65",
)


def alignment(diff: Difference, query: Pieces, cached: Pieces) -> list[float]:
    """For each word only one side has, the mean over its word pieces of the best cosine
    with any piece of the other text. In "How do I talk fluent English?" against "How can
    I speak English fluently?", "fluent" finds "fluently" (0.94); in "how do i install
    pandas" against "how do i install numpy", "pandas" finds nothing close (0.30)."""
    return _aligned(diff.query_only, query, cached) + _aligned(diff.cached_only, cached, query)


def _aligned(words: tuple[Token, ...], own: Pieces, other: Pieces) -> list[float]:
    out = []
    for word in words:
        rows = [i for i, (a, _) in enumerate(own.spans) if word.start <= a < word.end]
        if not rows:
            continue  # past the model's window
        if not len(other.vectors):
            out.append(0.0)
            continue
        best = (own.vectors[rows] @ other.vectors.T).max(axis=1)
        out.append(float(best.mean()))
    return out


def features(diff: Difference, cosine: float, aligned: Sequence[float] = ()) -> list[float]:
    """The model's inputs; ``aligned`` is ``alignment(diff, ...)`` (empty when no word
    differs)."""
    total = diff.unmatched + 2 * diff.shared
    return [
        cosine,
        float(len(diff.query_only)),
        float(len(diff.cached_only)),
        float(min(len(diff.query_only), len(diff.cached_only))),
        diff.unmatched / total if total else 0.0,
        math.log1p(diff.shared),
        1.0 if diff.shared == 0 else 0.0,
        1.0 if diff.unmatched == 0 else 0.0,
        1.0 if diff.unmatched == 1 else 0.0,
        1.0 if len(diff.query_only) == 1 and len(diff.cached_only) == 1 else 0.0,
        float(diff.unmatched) if not (diff.query_only and diff.cached_only) else 0.0,
        min(aligned, default=1.0),
        float(sum(a < 0.5 for a in aligned)),
        float(sum(a < 0.65 for a in aligned)),
    ]


@dataclass(frozen=True, slots=True)
class Verdict:
    same: bool
    score: float  # the model's probability that the two are the same question
    reason: str  # "" when same; else the veto or "score"


class Verifier:
    """Vetoes, then a logistic score against a threshold."""

    def __init__(
        self, weights: list[float], bias: float, threshold: float, cosine: float = 0.80
    ) -> None:
        if len(weights) != len(FEATURES):
            raise ValueError(f"the verifier has {len(FEATURES)} features, got {len(weights)}")
        self.weights = list(weights)
        self.bias = bias
        self.threshold = threshold
        self.cosine = cosine  # the shipped cosine threshold for candidates
        self.train_keys: frozenset[int] = frozenset()  # text_key of each training text

    def score(self, diff: Difference, cosine: float, aligned: Sequence[float] = ()) -> float:
        z = self.bias + sum(
            w * x for w, x in zip(self.weights, features(diff, cosine, aligned), strict=True)
        )
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))

    @staticmethod
    def needs_pieces(query: str, cached: str) -> bool:
        """Whether ``check`` must see the two texts' word pieces: some word differs and
        no veto has decided already."""
        if query == cached:
            return False
        diff = compare(query, cached)
        return not diff.veto and diff.unmatched > 0

    def check(
        self,
        query: str,
        cached: str,
        cosine: float,
        threshold: float | None = None,
        pieces: Mapping[str, Pieces] | None = None,
    ) -> Verdict:
        """``pieces``: ``Embedder.pieces`` of each text by text. Where a word differs
        and either text's pieces are missing, the answer is "unaligned" (not the same):
        a miss costs a model call, a wrong hit a wrong answer."""
        if query == cached:
            return Verdict(True, 1.0, "")
        diff = compare(query, cached)
        if diff.veto:
            return Verdict(False, 0.0, diff.veto)
        aligned: list[float] = []
        if diff.unmatched:
            mine = pieces.get(query) if pieces is not None else None
            theirs = pieces.get(cached) if pieces is not None else None
            if mine is None or theirs is None:
                return Verdict(False, 0.0, "unaligned")
            aligned = alignment(diff, mine, theirs)
        score = self.score(diff, cosine, aligned)
        if score < (self.threshold if threshold is None else threshold):
            return Verdict(False, score, "score")
        return Verdict(True, score, "")

    def to_json(self) -> dict[str, object]:
        return {
            "features": list(FEATURES),
            "weights": self.weights,
            "bias": self.bias,
            "threshold": self.threshold,
            "cosine": self.cosine,
            "train_keys": sorted(self.train_keys),
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Verifier:
        if data.get("features") != list(FEATURES):
            raise ValueError("verifier.json was fitted for other features; refit it")
        weights = data["weights"]
        assert isinstance(weights, list)
        verifier = cls(
            [float(w) for w in weights],
            float(data["bias"]),  # type: ignore[arg-type]
            float(data["threshold"]),  # type: ignore[arg-type]
            float(data["cosine"]),  # type: ignore[arg-type]
        )
        keys = data.get("train_keys") or []
        assert isinstance(keys, list)
        verifier.train_keys = frozenset(int(k) for k in keys)
        return verifier


def shipped() -> Verifier:
    text = resources.files("seawall.cache").joinpath("verifier.json").read_text()
    return Verifier.from_json(json.loads(text))


_OPPOSITES = _opposites()
