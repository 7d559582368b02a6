"""Normalisation of Indonesian social-media text (tweets, captions, chat) for classification."""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache

from siaga.mediaintel.lexicon import builtin_slang

USER_TOKEN = "USER"
URL_TOKEN = "URL"
EMOJI_TOKEN = "EMOJI"

# Crawled tweets often hold UTF-8 bytes written out as text ("\xf0\x9f\x98\x84"), and tweets cut
# at a length limit can end in half an escape ("\xf0\x9").
_BYTE_ESCAPES = re.compile(r"(?:\\x[0-9a-fA-F]{2})+")
_BROKEN_ESCAPE = re.compile(r"\\x[0-9a-fA-F]?(?=[^0-9a-fA-F]|$)")
_LITERAL_CONTROL = re.compile(r"\\[nrt]")
_REAL_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_MENTION = re.compile(r"@\w+")
# "RT" marks a retweet only at the start or right before the quoted account; elsewhere it is the
# neighbourhood unit (rukun tetangga) and must stay.
_RETWEET = re.compile(r"^\s*RT\b:?|\bRT\s*:?\s*(?=USER\b|@)")
_HASHTAG = re.compile(r"#(\w+)")
_CAMEL_SPLIT = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Za-z])(?=[0-9])|(?<=[0-9])(?=[A-Za-z])")
# Words, runs of one punctuation mark ("!!!", "..."), or any other single symbol.
_TOKEN = re.compile(r"[^\W_]+|([^\w\s])\1*")
RETWEET_TOKEN = "RT"
# Stands in for the retweet marker until tokenising, so that it cannot be taken for "rt".
_RETWEET_SENTINEL = "RTxRETWEET"
_MARKERS = frozenset({USER_TOKEN, URL_TOKEN, _RETWEET_SENTINEL})
# Punctuation that carries register (questions, shouting, quoting, lists) rather than noise.
DEFAULT_MARKS = "!?,.:;\"()/-"

_TRIPLED = re.compile(r"([^\W\d_])\1{2,}")
_DOUBLED = re.compile(r"([^\W\d_])\1")
_HAS_DIGIT = re.compile(r"\d")
_HAS_LETTER = re.compile(r"[^\W\d_]")
_NUMBER_THEN_WORD = re.compile(r"^(\d+)([^\W\d_]+)$")
_WORD_THEN_NUMBER = re.compile(r"^([^\W\d_]+)(\d+)$")
_LEET = str.maketrans({"4": "a", "3": "e", "1": "i", "0": "o", "5": "s", "7": "t"})


@lru_cache(maxsize=4096)
def _decode_escapes(escaped: str) -> str:
    """Turn a run of textual byte escapes into the characters they encode."""
    raw = bytes(int(escaped[i + 2 : i + 4], 16) for i in range(0, len(escaped), 4))
    return " " + raw.decode("utf-8", errors="ignore") + " "


@lru_cache(maxsize=8192)
def _symbol_token(char: str, emoji_as_token: bool) -> str | None:
    """Keep pictographs (emoji, dingbats) as tokens and drop punctuation and joiners."""
    if unicodedata.category(char) != "So":
        return None
    return EMOJI_TOKEN if emoji_as_token else char


def _split_hashtag(match: re.Match[str]) -> str:
    # "#2019GantiPresiden" carries the words "2019 ganti presiden"; split before lower-casing.
    return " " + _CAMEL_SPLIT.sub(" ", match.group(1)) + " "


class Normalizer:
    """Callable that maps raw Indonesian social-media text to a space-separated token string."""

    def __init__(
        self,
        *,
        slang: Mapping[str, str] | None = None,
        vocabulary: Iterable[str] = (),
        marks: str = DEFAULT_MARKS,
        keep_retweet: bool = True,
        emoji_as_token: bool = False,
    ) -> None:
        self.slang: dict[str, str] = dict(slang or {})
        self.marks = marks
        self.keep_retweet = keep_retweet
        self.emoji_as_token = emoji_as_token
        # Words known to be spelt right; they decide whether "maaaf" becomes "maaf" or "maf".
        known = set(self.slang)
        for standard in self.slang.values():
            known.update(standard.split())
        for entry in vocabulary:
            known.update(entry.lower().split())
        self.known: frozenset[str] = frozenset(known)
        self._cache: dict[str, tuple[str, ...]] = {}

    def __call__(self, text: str) -> str:
        return " ".join(self.tokens(text))

    def __getstate__(self) -> dict[str, object]:
        # The word cache is rebuilt on demand; pickling it would bloat saved models.
        state = dict(self.__dict__)
        state["_cache"] = {}
        return state

    def clear_cache(self) -> None:
        """Forget memoised word normalisations (for fair timing, or to free memory)."""
        self._cache.clear()

    def tokens(self, text: str) -> list[str]:
        """Return the normalised tokens of ``text``."""
        text = self._clean(text)
        out: list[str] = []
        cache = self._cache
        marks = self.marks
        for match in _TOKEN.finditer(text):
            token = match.group(0)
            if token in _MARKERS:
                if token != _RETWEET_SENTINEL:
                    out.append(token)
                elif self.keep_retweet:
                    out.append(RETWEET_TOKEN)
                continue
            first = token[0]
            if not first.isalnum():
                if first in marks:
                    out.append(first)
                else:
                    # A run of one emoji ("\U0001f602" x3) counts once, like "!!!".
                    symbol = _symbol_token(first, self.emoji_as_token)
                    if symbol is not None:
                        out.append(symbol)
                continue
            words = cache.get(token)
            if words is None:
                words = self._word(token.lower())
                if len(cache) < 200_000:
                    cache[token] = words
            out.extend(words)
        return out

    def word(self, word: str) -> str:
        """The standard spelling of one lower-cased word (slang may expand to several)."""
        words = self._cache.get(word)
        if words is None:
            words = self._word(word)
        return " ".join(words)

    def surface(self, text: str) -> str:
        """Return cleaned, lower-cased text that keeps the writer's own spelling and punctuation."""
        text = self._clean(text).replace(_RETWEET_SENTINEL, RETWEET_TOKEN).rstrip()
        # Tweets crawled as Python byte strings end in a stray quote; it says how the tweet was
        # collected, not what it says, so it must not become a feature.
        if text.endswith("'"):
            text = text[:-1]
        return " ".join(text.lower().split())

    def _clean(self, text: str) -> str:
        """Undo crawl artefacts and mask accounts and links before tokenising."""
        if "\\" in text:
            text = _BYTE_ESCAPES.sub(lambda m: _decode_escapes(m.group(0)), text)
            text = _BROKEN_ESCAPE.sub(" ", text)
            text = _LITERAL_CONTROL.sub(" ", text)
        if "\u2026" in text:
            text = text.replace("\u2026", "...")
        if "&" in text:
            text = html.unescape(text)
        if "://" in text or "www." in text:
            text = _REAL_URL.sub(" URL ", text)
        if "@" in text:
            text = _MENTION.sub(" USER ", text)
        if "RT" in text:
            text = _RETWEET.sub(" " + _RETWEET_SENTINEL + " ", text)
        if "#" in text:
            text = _HASHTAG.sub(_split_hashtag, text)
        return text

    def _word(self, word: str) -> tuple[str, ...]:
        """Normalise one lower-cased word: slang, number spellings, stretched letters."""
        slang = self.slang
        if word in slang:
            return tuple(slang[word].split())
        if _HAS_DIGIT.search(word) and _HAS_LETTER.search(word):
            return self._alphanumeric(word)
        if _TRIPLED.search(word):
            word = self._squeeze(word)
            if word in slang:
                return tuple(slang[word].split())
        elif word not in self.known and _DOUBLED.search(word):
            # "gass" or "bangett": a doubled letter that is not part of a known spelling.
            single = _DOUBLED.sub(r"\1", word)
            if single in self.known:
                return tuple(slang[single].split()) if single in slang else (single,)
        return (word,)

    def _squeeze(self, word: str) -> str:
        """Shorten stretched letters, keeping a double letter only where it is a known spelling."""
        double = _TRIPLED.sub(r"\1\1", word)
        if double in self.known:
            return double
        return _TRIPLED.sub(r"\1", word)

    def _alphanumeric(self, word: str) -> tuple[str, ...]:
        """Handle words mixing letters and digits: "orang2", "10jt", "covid19", "b4ngs4t"."""
        if word.endswith("2") and word[:-1].isalpha() and len(word) > 2:
            # A trailing 2 writes the Indonesian reduplication "orang-orang".
            base = self._word(word[:-1])
            return base + base
        plain = word.translate(_LEET)
        if plain.isalpha() and (plain in self.slang or plain in self.known):
            return self._word(plain)  # "l0" is "lo", not "l 0"
        match = _NUMBER_THEN_WORD.match(word) or _WORD_THEN_NUMBER.match(word)
        if match is not None:
            left, right = match.groups()
            left_words = (left,) if left.isdigit() else self._word(left)
            right_words = (right,) if right.isdigit() else self._word(right)
            return left_words + right_words
        # Digits inside a word stand for letters ("4nj1ng", "b4ngs4t").
        if _HAS_DIGIT.search(plain):
            return (word,)
        return self._word(plain)


_default: Normalizer | None = None


def default_normalizer() -> Normalizer:
    """Return a shared normaliser that uses only the built-in slang list."""
    global _default
    if _default is None:
        _default = Normalizer(slang=builtin_slang())
    return _default


def normalize(text: str) -> str:
    """Normalise ``text`` with the built-in slang list."""
    return default_normalizer()(text)
