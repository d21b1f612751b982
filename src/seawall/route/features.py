"""What a routing rule can ask of a request: pure functions of the request body.

Code and maths are recognised by patterns, not by a model: a fenced block, a stack
trace, lines that read as source code, or a request to write, fix or review code; a
formula (LaTeX, an equation, arithmetic), or a maths task named in words. Only the
user turns are read (a coding assistant's system prompt does not make every question
code), the last ``_READ_CHARS`` of them.
"""

from __future__ import annotations

import re
from typing import Any

_READ_CHARS = 20_000
_CODE_LINES = 2  # lines that read as code before a text counts as code

_FENCE = re.compile(r"```|~~~")
_TRACES = ("Traceback (most recent call last)", "Exception in thread", "NullPointerException",
           "egmentation fault", "panic: ")  # fmt: skip
_ERROR = re.compile(r"(?:Type|Value|Key|Index|Attribute|Name|Syntax|Reference|Runtime)Error\b")
_FRAME = re.compile(r"^\s+at [\w.$<>]+\(.*\)\s*$", re.MULTILINE)  # a Java or JS stack frame
# a line only source code starts this way: one is enough
_SOURCE_LINE = re.compile(
    r"^\s*(?:def \w+\(.*\):|class \w+(?:\(.*\))?:$|import [\w.]+(?: as \w+)?$"
    r"|from [\w.]+ import |#include\b|package [\w.]+;$|func \w+\(|fn \w+\("
    r"|(?:public|private|protected) (?:static )?\w+[\w<>\[\]]* \w+\s*[({=;]"
    r"|(?:const|let|var) \w+\s*=|function\s*\w*\s*\(|SELECT\s.+\sFROM\s|INSERT INTO\s"
    r"|UPDATE \w+ SET\s|CREATE (?:TABLE|INDEX)\s|for \w+ in [\w.()]+:$)",
    re.MULTILINE,
)
# a line that looks like code, which prose can also look like now and then
_CODE_LINE = re.compile(
    r"^\s*(?:if\s*\(.*\)\s*\{$|for\s*\(.*;.*\)|while\s*\(.*\)\s*\{$|\$ \w+|@\w+\("
    r"|\w+\s*=\s*\w+\(.*\)\s*;?$|return\b.*;$|.*[;{}]\s*$|.*(?:=>|::|\+\+|&&|\|\|)\s*\S)",
    re.MULTILINE,
)
_INLINE_CODE = re.compile(r"`[^`\n]{2,}`|\.[A-Za-z_]\w*\([^)\n]*\)|[a-z]_[a-z_]*\(")
_LATEX = re.compile(
    r"\\(?:frac|int|sum|sqrt|lim|prod|partial|alpha|beta|gamma|theta|lambda|sigma|pi|cdot|"
    r"times|leq|geq|neq|infty|mathbb|begin\{(?:equation|align|matrix|pmatrix)\})\b"
    r"|\$\$.+?\$\$|\\\(.+?\\\)|[∫∑∏√∞≤≥≠±∂∇]"
)
_OPERATOR = re.compile(r"[\^*+=/×÷²³]")  # no equation without one of these
_EQUATION = re.compile(
    # 2x + 3 = 7, x^2, f(x) =, 3y², or arithmetic with digits on both sides of an
    # operator (a slash only with spaces around, and no dash: 9/11 and June 5 - 8 are
    # not sums)
    r"\b\d*[a-z]\s*(?:\^|\*\*)\s*\d|\b\d+[a-z]\b\s*[-+*/=]|\b[a-z]\([a-z]\)\s*="
    r"|\b\d+[a-z]?[²³]|\b[a-z]\s*=\s*-?\d+(?:\.\d+)?\s*[-+*/^]\s*\d"
    r"|\d+(?:\.\d+)?\s*[+*^×÷]\s*\(?\d+(?:\.\d+)?|\d+(?:\.\d+)?\s+/\s+\d+(?:\.\d+)?"
)

# Words are looked up in sets, over one pass of the lower-cased text (a regular
# expression with these alternations costs ten times as much on long prompts).
_WORD = re.compile(r"[a-z][a-z0-9+#]*")
_SENTENCE = re.compile(r"[.?!\n]+")
_LANGUAGES = frozenset(
    "python javascript typescript java golang rust c++ c# sql bash kotlin swift ruby php "
    "haskell scala powershell".split()
)
_CODE_VERBS = frozenset(
    "write implement debug fix refactor optimise optimize review port translate compile".split()
)
_CODE_NOUNS = frozenset(
    "code function method script program class query regex algorithm snippet endpoint "
    "bug unittest".split()
) | (_LANGUAGES - {"java"})  # "java" alone is also an island and a coffee
_CODE_WORDS = frozenset("regex segfault dockerfile makefile".split())
_CODE_PHRASES = (
    "regular expression", "stack trace", "compiler error", "syntax error", "git rebase",
    "api endpoint", "unit test",
)  # fmt: skip
_MATH_WORDS = frozenset(
    "integral integrate derivative differentiate equation equations theorem lemma "
    "probability probabilities matrix matrices eigenvalue eigenvalues eigenvector "
    "eigenvectors logarithm logarithms factorial polynomial polynomials quadratic calculus "
    "algebra geometry trigonometry trigonometric variance permutation permutations "
    "hypotenuse".split()
)
_MATH_PHRASES = (
    "solve for", "prove that", "compound interest", "standard deviation", "square root",
    "prime factor", "greatest common divisor", "least common multiple",
    "how many combinations", "expected value",
)  # fmt: skip


def user_text(body: dict[str, Any]) -> str:
    """The user turns of a request, joined, the latest ``_READ_CHARS`` of them."""
    parts: list[str] = []
    size = 0
    for message in reversed(body.get("messages") or ()):
        if not isinstance(message, dict) or message.get("role") != "user":
            continue
        for text in reversed(list(_texts(message.get("content")))):
            parts.append(text)
            size += len(text)
        if size >= _READ_CHARS:
            break
    return "\n".join(reversed(parts))[-_READ_CHARS:]


def _texts(content: Any) -> list[str]:
    if isinstance(content, str):
        return [content]
    if isinstance(content, list):
        return [
            p["text"] for p in content if isinstance(p, dict) and isinstance(p.get("text"), str)
        ]
    return []


def has_code(text: str) -> bool:
    if _FENCE.search(text) or _SOURCE_LINE.search(text) or _traced(text):
        return True
    lower = text.lower()
    if _asks_for_code(lower):
        return True
    lines = sum(1 for _ in zip(range(_CODE_LINES), _CODE_LINE.finditer(text), strict=False))
    return lines >= _CODE_LINES or len(_INLINE_CODE.findall(text)) >= _CODE_LINES


def _traced(text: str) -> bool:
    if any(mark in text for mark in _TRACES):
        return True
    if "Error" in text and _ERROR.search(text):
        return True
    return "at " in text and bool(_FRAME.search(text))


def _asks_for_code(lower: str) -> bool:
    words = set(_WORD.findall(lower))
    if words & _CODE_WORDS or any(phrase in lower for phrase in _CODE_PHRASES):
        return True
    named = words & _LANGUAGES - {"java"}
    if any(f"in {w}" in lower or f"using {w}" in lower for w in named):
        return True  # "how do I do this in python"
    if not (words & _CODE_VERBS and words & _CODE_NOUNS):
        return False
    # a verb and a noun of programming in one sentence: "write a function", "fix my query"
    for sentence in _SENTENCE.split(lower):
        said = set(_WORD.findall(sentence))
        if said & _CODE_VERBS and said & _CODE_NOUNS:
            return True
    return False


def has_math(text: str) -> bool:
    if _LATEX.search(text) or (_OPERATOR.search(text) and _EQUATION.search(text)):
        return True
    lower = text.lower()
    if not _MATH_WORDS.isdisjoint(_WORD.findall(lower)):
        return True
    return any(phrase in lower for phrase in _MATH_PHRASES)


def has_images(body: dict[str, Any]) -> bool:
    for message in body.get("messages") or ():
        content = message.get("content") if isinstance(message, dict) else None
        if isinstance(content, list) and any(
            isinstance(p, dict) and p.get("type") in ("image_url", "input_image") for p in content
        ):
            return True
    return False


def wants_tools(body: dict[str, Any]) -> bool:
    return bool(body.get("tools") or body.get("functions")) and body.get("tool_choice") != "none"
