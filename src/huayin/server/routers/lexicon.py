"""Pronunciation over HTTP: how a text will be read (``/api/g2p``) and the user lexicon
(``GET/PUT/DELETE /api/lexicon``).

The lexicon lives behind :class:`huayin.text.lexicon_store.LexiconStore`, chosen by
:func:`huayin.service.wiring.open_lexicon_store`: the lexicon file, or with Redis configured one
lexicon shared by every replica and worker; an edit is used by the next request of each of them.
"""

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from huayin.errors import EmptyTextError
from huayin.server.errors import ServiceError
from huayin.server.schemas import Text
from huayin.text.explain import explain
from huayin.text.lexicon_store import LexiconStore, validate_entry

router = APIRouter(tags=["pronunciation"])

#: Longest text /api/g2p reads (it is a look-up, not synthesis).
MAX_G2P_CHARS = 2000


class LexiconEntry(BaseModel):
    """One user lexicon entry."""

    word: Text = Field(description="Chinese characters, e.g. 银行")
    pinyin: Text = Field(description="one syllable per character with tone digits, e.g. "
                                    "'yin2 hang2' (ü as v; tone marks accepted)")


class G2pRequest(BaseModel):
    """A text to look up."""

    text: Text = Field(description="plain text (inline 行[hang2] allowed) or SSML")


def _store(request: Request) -> LexiconStore:
    return request.app.state.lexicon_store


def _entry(word: str, syllables) -> dict:
    return {"word": word, "pinyin": " ".join(syllables)}


@router.get("/api/lexicon")
def list_lexicon(request: Request):
    """Every entry of the user lexicon."""
    entries = _store(request).entries()
    return {"entries": [_entry(word, syllables) for word, syllables in entries.items()]}


@router.put("/api/lexicon")
def put_lexicon_entry(entry: LexiconEntry, request: Request):
    """Add or replace one entry (validated: Chinese word, one known syllable per character)."""
    word, syllables = validate_entry(entry.word, entry.pinyin)
    _store(request).put(word, syllables)
    return _entry(word, syllables)


@router.delete("/api/lexicon")
def delete_lexicon_entry(request: Request, word: str = Query(description="the word to remove")):
    """Remove one entry; 404 if the lexicon does not have it."""
    if not _store(request).delete(word.strip()):
        raise ServiceError("not_found", f"{word!r} is not in the lexicon")
    return {"deleted": word.strip()}


@router.get("/api/g2p")
def g2p_get(request: Request, text: str = Query(description="text to look up")):
    """How a text will be read: the pinyin and, per Chinese character, the source that decided
    its reading (inline, lexicon, word, rule, model)."""
    return _g2p(text)


@router.post("/api/g2p")
def g2p_post(body: G2pRequest):
    """As ``GET /api/g2p``, for longer texts."""
    return _g2p(body.text)


def _g2p(text: str) -> dict:
    if not text.strip():
        raise EmptyTextError("text is empty")
    if len(text) > MAX_G2P_CHARS:
        raise ServiceError("text_too_long", f"text is longer than {MAX_G2P_CHARS} characters")
    characters = explain(text)
    return {
        "text": text,
        "pinyin": " ".join(c.pinyin for c in characters),
        "characters": [
            {"char": c.char, "pinyin": c.pinyin, "word": c.word, "span": list(c.span),
             "source": c.source, "detail": c.detail}
            for c in characters
        ],
    }
