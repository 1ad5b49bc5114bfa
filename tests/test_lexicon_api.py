"""The user lexicon over HTTP (GET/PUT/DELETE /api/lexicon), /api/g2p, and the file store."""

import threading

import httpx
import pytest

from huayin.text import pinyin_line
from huayin.text.lexicon_store import FileLexiconStore, LexiconEntryError, validate_entry
from server_fixture import running_server


@pytest.fixture
def lexicon_file(tmp_path, monkeypatch):
    path = tmp_path / "lexicon.txt"
    monkeypatch.setenv("HUAYIN_LEXICON", str(path))
    return path


def test_store_validates_keeps_comments_and_is_read_by_the_front_end(lexicon_file):
    lexicon_file.write_text("# my words\n重庆 chong2 qing4\n", encoding="utf-8")
    store = FileLexiconStore()
    store.put(*validate_entry("银行", "YIN2 xíng"))
    assert pinyin_line("去银行") == "qu4 yin2 xing2"
    store.put(*validate_entry("银行", ["yin2", "hang2"]))  # replaces in place
    assert lexicon_file.read_text(encoding="utf-8") == "# my words\n重庆 chong2 qing4\n银行 yin2 hang2\n"
    assert store.entries() == {"重庆": ("chong2", "qing4"), "银行": ("yin2", "hang2")}
    assert store.delete("重庆") and not store.delete("重庆")
    assert "重庆" not in lexicon_file.read_text(encoding="utf-8")
    assert not list(lexicon_file.parent.glob("lexicon.txt.*[!k]"))  # no temporary files left


@pytest.mark.parametrize(
    ("word", "pinyin", "why"),
    [("", "a1", "1-16"), ("ABC", "a1 b1 c1", "Chinese"), ("银行", "yin2", "2 character(s)"),
     ("行", "hang9", "not a pinyin"), ("行", "xyz2", "not a pinyin")],
)
def test_invalid_entries_say_what_is_wrong(word, pinyin, why):
    with pytest.raises(LexiconEntryError) as raised:
        validate_entry(word, pinyin)
    assert why in raised.value.message


def test_concurrent_writers_lose_no_entry(lexicon_file):
    words = ["银行", "行长", "重庆", "长沙", "便宜", "大夫", "暖和", "头发"]
    stores = [FileLexiconStore(), FileLexiconStore()]  # as two workers would hold them

    def write(index, word):
        stores[index % 2].put(word, tuple(["a1"] * len(word)))

    threads = [threading.Thread(target=write, args=(i, w)) for i, w in enumerate(words)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(FileLexiconStore().entries()) == set(words)


def test_http_lexicon_and_g2p(lexicon_file, synthesizer):
    with running_server(synthesizer=synthesizer) as base:
        assert httpx.get(f"{base}/api/lexicon").json() == {"entries": []}
        before = httpx.get(f"{base}/api/g2p", params={"text": "他在银行工作"}).json()
        assert before["pinyin"] == "ta1 zai4 yin2 hang2 gong1 zuo4"
        hang = before["characters"][3]
        assert (hang["char"], hang["word"], hang["source"]) == ("行", "银行", "word")
        put = httpx.put(f"{base}/api/lexicon", json={"word": "银行", "pinyin": "yin2 XING2"})
        assert put.status_code == 200 and put.json() == {"word": "银行", "pinyin": "yin2 xing2"}
        after = httpx.post(f"{base}/api/g2p", json={"text": "他在银行工作"}).json()
        assert after["pinyin"] == "ta1 zai4 yin2 xing2 gong1 zuo4"
        assert after["characters"][3]["source"] == "lexicon"
        assert lexicon_file.read_text(encoding="utf-8") == "银行 yin2 xing2\n"
        listed = httpx.get(f"{base}/api/lexicon").json()["entries"]
        assert listed == [{"word": "银行", "pinyin": "yin2 xing2"}]
        bad = httpx.put(f"{base}/api/lexicon", json={"word": "银行", "pinyin": "yin2"})
        assert bad.status_code == 400
        assert bad.json()["error"]["code"] == "invalid_lexicon_entry"
        assert httpx.delete(f"{base}/api/lexicon", params={"word": "银行"}).status_code == 200
        missing = httpx.delete(f"{base}/api/lexicon", params={"word": "银行"})
        assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
        inline = httpx.get(f"{base}/api/g2p", params={"text": "行[hang9]"})
        assert inline.status_code == 400
        assert inline.json()["error"]["code"] == "invalid_pronunciation"
        assert "character 2" in inline.json()["error"]["message"]
        empty = httpx.get(f"{base}/api/g2p", params={"text": " "})
        assert empty.status_code == 400
        tts = httpx.post(f"{base}/api/tts", json={"text": "行[hang9]"})
        assert tts.status_code == 400 and tts.json()["error"]["code"] == "invalid_pronunciation"
