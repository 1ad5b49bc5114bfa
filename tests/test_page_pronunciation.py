"""The page's pronunciation section in headless Chromium: look up, fix a word, hear it."""

from browser import chromium, needs_chromium
from huayin.voices import DEFAULT_VOICE
from server_fixture import running_server


@needs_chromium
def test_page_looks_up_fixes_and_plays_a_reading(synthesizer, tmp_path, monkeypatch):
    lexicon = tmp_path / "lexicon.txt"
    monkeypatch.setenv("HUAYIN_LEXICON", str(lexicon))
    with running_server(synthesizer=synthesizer) as base, chromium() as browser:
        page = browser.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(base + "/")
        page.wait_for_selector(f"#voice option[value='{DEFAULT_VOICE}']", state="attached")
        page.fill("#text", "他在银行工作。")
        page.click("#g2p-lookup")
        page.wait_for_selector("#g2p-result ruby")
        assert page.inner_text("#g2p-pinyin") == "ta1 zai4 yin2 hang2 gong1 zuo4"
        hang = page.locator("#g2p-result ruby").nth(3)
        assert "word" in hang.get_attribute("title")
        hang.click()
        assert page.input_value("#lex-word") == "银行"
        assert page.input_value("#lex-pinyin") == "yin2 hang2"
        assert "行 hang2" in page.inner_text("#g2p-why")
        page.fill("#lex-pinyin", "yin2 xing2")
        page.click("#lex-save")
        page.wait_for_function(
            "document.querySelector('#g2p-pinyin').textContent.includes('yin2 xing2')")
        assert page.locator("#lex-list li").count() == 1
        assert "lexicon" in page.locator("#g2p-result ruby").nth(3).get_attribute("title")
        assert lexicon.read_text(encoding="utf-8") == "银行 yin2 xing2\n"
        page.click("#lex-hear")
        page.wait_for_function("document.querySelector('#player').src.startsWith('blob:')",
                               timeout=60_000)
        page.fill("#lex-pinyin", "yin2")
        page.click("#lex-save")
        page.wait_for_selector("#lex-error", state="visible")
        assert "syllable" in page.inner_text("#lex-error")
        page.click("#lex-list button")
        page.wait_for_function("document.querySelectorAll('#lex-list li').length === 0")
        page.wait_for_function(
            "document.querySelector('#g2p-pinyin').textContent.includes('yin2 hang2')")
    assert errors == []
