"""The user lexicon shared through a real Redis (started here): seeded once from the file, edited
through one store and read through another, by another process, across a Redis restart, and
through the HTTP API of a replica in scale-out mode."""

import os
import subprocess
import sys
import textwrap
import time

import httpx
import pytest

from huayin.service import ServiceSettings
from huayin.service.redis_backend import connect
from huayin.service.redis_lexicon import VERSION_KEY, LexiconUnavailableError, RedisLexiconStore
from huayin.text import pinyin_line
from huayin.text.lexicon import use_lexicon_source
from redis_fixture import needs_redis
from server_fixture import running_server

pytestmark = needs_redis

TEXT = "他在银行工作"


@pytest.fixture
def lexicon_file(tmp_path, monkeypatch):
    path = tmp_path / "lexicon.txt"
    path.write_text("# seed\n重庆 chong2 qing4\n", encoding="utf-8")
    monkeypatch.setenv("HUAYIN_LEXICON", str(path))
    yield path
    use_lexicon_source(None)  # later tests read the file again, not this Redis


def test_file_seeds_redis_once_then_redis_wins(redis_server, lexicon_file):
    first = RedisLexiconStore(connect(redis_server.url))
    assert first.entries() == {"重庆": ("chong2", "qing4")}
    lexicon_file.write_text("银行 yin2 xing2\n", encoding="utf-8")  # too late: Redis holds one
    second = RedisLexiconStore(connect(redis_server.url))
    assert second.entries() == {"重庆": ("chong2", "qing4")}
    assert first.delete("重庆") and not first.delete("重庆")
    # An emptied lexicon stays empty: the file does not seed it again.
    assert second.entries() == {} and second.current().entries == {}
    assert lexicon_file.read_text(encoding="utf-8") == "银行 yin2 xing2\n"  # Redis edits stay in Redis


def test_edit_through_one_store_is_read_through_another(redis_server, lexicon_file):
    editor = RedisLexiconStore(connect(redis_server.url))
    reader = RedisLexiconStore(connect(redis_server.url))
    use_lexicon_source(reader)
    assert pinyin_line(TEXT) == "ta1 zai4 yin2 hang2 gong1 zuo4"
    seeded = reader.current()
    assert reader.current() is seeded  # unchanged version: nothing reloaded
    editor.put("银行", ("yin2", "xing2"))
    assert pinyin_line(TEXT) == "ta1 zai4 yin2 xing2 gong1 zuo4"
    assert reader.current().fingerprint not in ("", seeded.fingerprint)
    editor.put("银行", ("yin2", "hang2"))
    editor.put("工作", ("gong1", "zuo1"))
    assert pinyin_line(TEXT) == "ta1 zai4 yin2 hang2 gong1 zuo1"
    assert editor.delete("工作")
    assert pinyin_line(TEXT) == "ta1 zai4 yin2 hang2 gong1 zuo4"


def test_readers_survive_a_redis_restart_and_the_file_seeds_it_again(redis_server, lexicon_file):
    editor = RedisLexiconStore(connect(redis_server.url))
    reader = RedisLexiconStore(connect(redis_server.url), retry_seconds=1.0)
    editor.put("银行", ("yin2", "xing2"))
    assert reader.current().entries["银行"] == ("yin2", "xing2")
    redis_server.stop()
    # Redis away: the reader keeps what it had instead of failing synthesis.
    assert reader.current().entries["银行"] == ("yin2", "xing2")
    with pytest.raises(LexiconUnavailableError):  # HTTP 503
        editor.put("长沙", ("chang2", "sha1"))
    with pytest.raises(LexiconUnavailableError):
        editor.entries()
    redis_server.start()  # no persistence: it comes back empty
    # Within retry_seconds of the failure the reader does not even ask Redis ...
    assert reader.current().entries["银行"] == ("yin2", "xing2")
    time.sleep(1.1)
    # ... then it finds Redis seeded again from the file, and reloads.
    assert reader.current().entries == {"重庆": ("chong2", "qing4")}
    assert connect(redis_server.url).exists(VERSION_KEY)


WORKER_SCRIPT = textwrap.dedent("""
    import sys
    from huayin.service import ServiceSettings, open_lexicon_store
    from huayin.text import pinyin_line

    open_lexicon_store(ServiceSettings())
    for line in sys.stdin:
        print(pinyin_line(line.strip()), flush=True)
""")


def test_another_process_uses_an_edit_at_its_next_lookup(redis_server, lexicon_file, tmp_path):
    # Its own lexicon file (none): what it reads can only come from Redis.
    env = {**os.environ, "HUAYIN_REDIS_URL": redis_server.url,
           "HUAYIN_LEXICON": str(tmp_path / "other-host" / "lexicon.txt")}
    other = subprocess.Popen([sys.executable, "-c", WORKER_SCRIPT], env=env, text=True,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        def ask() -> str:
            other.stdin.write(TEXT + "\n")
            other.stdin.flush()
            return other.stdout.readline().strip()

        assert ask() == "ta1 zai4 yin2 hang2 gong1 zuo4"
        RedisLexiconStore(connect(redis_server.url)).put("银行", ("yin2", "xing2"))
        assert ask() == "ta1 zai4 yin2 xing2 gong1 zuo4"
    finally:
        other.stdin.close()
        other.wait(30)


def test_http_api_in_scale_out_mode(redis_server, lexicon_file, synthesizer, tmp_path):
    settings = ServiceSettings(redis_url=redis_server.url, home=tmp_path / "home")
    with running_server(synthesizer=synthesizer, service_settings=settings) as base:
        listed = httpx.get(f"{base}/api/lexicon").json()["entries"]
        assert listed == [{"word": "重庆", "pinyin": "chong2 qing4"}]
        bad = httpx.put(f"{base}/api/lexicon", json={"word": "银行", "pinyin": "yin2"})
        assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_lexicon_entry"
        put = httpx.put(f"{base}/api/lexicon", json={"word": "银行", "pinyin": "yin2 XING2"})
        assert put.json() == {"word": "银行", "pinyin": "yin2 xing2"}
        # Made elsewhere (another replica): used by this one at its next request.
        RedisLexiconStore(connect(redis_server.url)).put("工作", ("gong1", "zuo1"))
        g2p = httpx.get(f"{base}/api/g2p", params={"text": TEXT}).json()
        assert g2p["pinyin"] == "ta1 zai4 yin2 xing2 gong1 zuo1"
        assert g2p["characters"][3]["source"] == "lexicon"
        assert httpx.delete(f"{base}/api/lexicon", params={"word": "银行"}).status_code == 200
        missing = httpx.delete(f"{base}/api/lexicon", params={"word": "银行"})
        assert missing.status_code == 404
        redis_server.stop()
        away = httpx.put(f"{base}/api/lexicon", json={"word": "银行", "pinyin": "yin2 hang2"})
        assert away.status_code == 503 and away.json()["error"]["code"] == "lexicon_unavailable"
    assert lexicon_file.read_text(encoding="utf-8") == "# seed\n重庆 chong2 qing4\n"


def test_cli_g2p_reads_the_shared_lexicon(redis_server, lexicon_file):
    """``huayin g2p`` (and ``say``) with HUAYIN_REDIS_URL reads the lexicon the service shares,
    not the local file."""
    RedisLexiconStore(connect(redis_server.url)).put("银行", ("yin2", "xing2"))
    lexicon_file.write_text("银行 yin2 hang2\n", encoding="utf-8")  # the file says otherwise
    huayin = [sys.executable, "-m", "huayin", "g2p", TEXT]
    shared = subprocess.run(huayin, env={**os.environ, "HUAYIN_REDIS_URL": redis_server.url},
                            capture_output=True, text=True, timeout=120)
    assert shared.stdout.strip() == "ta1 zai4 yin2 xing2 gong1 zuo4", shared.stderr
    local = subprocess.run(huayin, env={k: v for k, v in os.environ.items()
                                        if k != "HUAYIN_REDIS_URL"},
                           capture_output=True, text=True, timeout=120)
    assert local.stdout.strip() == "ta1 zai4 yin2 hang2 gong1 zuo4", local.stderr
