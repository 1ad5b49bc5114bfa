"""The web page in real headless Chromium: load, type, generate, get playable audio."""

from browser import chromium, needs_chromium
from huayin.voices import DEFAULT_VOICE
from server_fixture import running_server


@needs_chromium
def test_page_generates_playable_audio(synthesizer, tmp_path):
    with running_server(synthesizer=synthesizer) as base, chromium() as browser:
        page = browser.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(base + "/")
        page.wait_for_selector(f"#voice option[value='{DEFAULT_VOICE}']", state="attached")
        assert page.input_value("#voice") == DEFAULT_VOICE  # the server's default is preselected
        page.fill("#text", "你好，这是网页测试。我们看看字幕是否同步显示。")
        assert page.inner_text("#count").startswith("23 /")
        page.click("#generate")
        page.wait_for_function("document.querySelector('#player').src.startsWith('blob:')",
                               timeout=60_000)
        duration = page.evaluate("""() => new Promise((resolve) => {
            const audio = document.querySelector('#player');
            if (audio.readyState >= 1) resolve(audio.duration);
            audio.addEventListener('loadedmetadata', () => resolve(audio.duration));
        })""")
        assert duration > 2.0
        assert page.locator("#subtitles span").count() >= 20
        assert page.locator("#history li").count() == 1
        assert page.is_visible("#download")
        assert not page.is_visible("#error")
        page.screenshot(path=str(tmp_path / "page.png"), full_page=True)
    assert errors == []


@needs_chromium
def test_page_ssml_switch_and_error_display(synthesizer):
    with running_server(synthesizer=synthesizer) as base, chromium() as browser:
        page = browser.new_page()
        page.goto(base + "/")
        page.wait_for_selector(f"#voice option[value='{DEFAULT_VOICE}']", state="attached")
        page.fill("#text", "你好<break time=\"300ms\"/>世界")
        page.check("#ssml")
        assert page.input_value("#text").startswith("<speak>")
        page.click("#generate")
        page.wait_for_function("document.querySelector('#player').src.startsWith('blob:')",
                               timeout=60_000)
        page.fill("#text", "<speak>未闭合")
        page.click("#generate")
        page.wait_for_selector("#error:not([hidden])", timeout=30_000)
        assert "line 1" in page.inner_text("#error")
