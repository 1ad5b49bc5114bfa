"""The web page as people use it, in real headless Chromium: long texts play while they stream,
SSML subtitles show the spoken text, the reference clip's drop zone, and the batch-job panel.

Screenshots go to the test's tmp_path (and to $HUAYIN_SCREENSHOTS when set) to look at.
"""

import base64
import io
import os
import shutil
import zipfile
from contextlib import contextmanager
from pathlib import Path

import httpx

from huayin.audio import encode_wav
from browser import chromium, needs_chromium
from huayin.voices import DEFAULT_VOICE
from server_fixture import running_server

pytestmark = needs_chromium


@contextmanager
def page_on_server(synthesizer):
    """A page of a fresh server, with page errors collected in ``page.errors``."""
    with running_server(synthesizer=synthesizer) as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 1000, "height": 900})
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        page.base = base
        page.goto(base + "/")
        page.wait_for_selector(f"#voice option[value='{DEFAULT_VOICE}']", state="attached")
        yield page


def screenshot(page, tmp_path: Path, name: str) -> None:
    page.screenshot(path=str(tmp_path / name), full_page=True)
    if os.environ.get("HUAYIN_SCREENSHOTS"):
        shutil.copy(tmp_path / name, Path(os.environ["HUAYIN_SCREENSHOTS"]) / name)


def test_long_text_plays_while_it_streams_and_can_be_downloaded(synthesizer, tmp_path):
    text = ("华音是一个完全离线运行的中文语音合成系统。它不需要显卡，也不需要从网上下载模型。"
            "你可以用它朗读新闻、小说和通知。长文本会一边合成一边播放，不必等到全部完成。"
            "进度条会显示已经完成的小句、已经生成的音频长度，以及大约还要多久。")
    with page_on_server(synthesizer) as page:
        page.fill("#text", text)
        page.click("#generate")
        page.wait_for_selector("#progress:not([hidden])", timeout=30_000)
        assert page.is_visible("#stop")
        # Mid-stream: clauses done of the total, audio seconds and an estimate of the time left.
        progress = page.wait_for_function(
            """() => { const line = document.querySelector('#timing').textContent;
                       return /[1-9]\\d*\\/\\d+ clauses · [\\d.]+ s audio/.test(line) && line; }""",
            timeout=60_000).json_value()
        screenshot(page, tmp_path, "streaming-progress.png")
        done, total = map(int, progress.split(" · ")[1].split()[0].split("/"))
        assert total == len(synthesizer.stream(text).plans)
        assert done == total or progress.endswith(" s left")
        page.wait_for_function("state.lastStream && state.lastStream.endAt !== null",
                               timeout=120_000)
        log = page.evaluate("state.lastStream")
        # The first audio was scheduled, and was playing, before the stream's last message.
        assert log["firstPlayAt"] < log["endAt"]
        assert log["playedAtEnd"] > 0
        page.wait_for_function("document.querySelector('#player').src.startsWith('blob:')")
        assert page.is_visible("#download")
        seconds = float(page.inner_text("#timing").split(" s of audio")[0])
        assert seconds > 15
        screenshot(page, tmp_path, "streaming.png")
        assert page.errors == []


def test_stop_ends_the_stream_and_keeps_what_arrived(synthesizer):
    text = "。".join(["这是一段用来测试停止按钮的长文本，它会说很久很久"] * 12) + "。"
    with page_on_server(synthesizer) as page:
        page.fill("#text", text)
        page.click("#generate")
        page.wait_for_function("state.lastStream && state.lastStream.firstPlayAt !== null",
                               timeout=60_000)
        page.click("#stop")
        page.wait_for_selector("#generate:not([disabled])")
        assert page.inner_text("#timing").startswith("stopped · ")
        assert page.evaluate("state.lastStream.endAt") is None  # stopped before the end
        assert not page.is_visible("#stop")
        assert page.is_visible("#download")


def test_ssml_subtitles_show_the_spoken_text_not_markup(synthesizer, tmp_path):
    ssml = ('<speak>请拨打<say-as interpret-as="telephone">95588</say-as>'
            '<break time="300ms"/>，谢谢。<prosody rate="slow">再见</prosody>！</speak>')
    with page_on_server(synthesizer) as page:
        page.fill("#text", ssml)
        page.click("#generate")
        page.wait_for_function("document.querySelector('#player').src.startsWith('blob:')",
                               timeout=60_000)
        subtitles = page.inner_text("#subtitles").replace("\n", "")
        assert subtitles == "请拨打95588，谢谢。再见！"
        highlighted = page.locator("#subtitles span").all_inner_texts()
        assert "95588" in highlighted and "<" not in "".join(highlighted)
        screenshot(page, tmp_path, "ssml.png")
        assert page.errors == []


def test_drop_zone_takes_a_clip_and_shows_its_length_and_measurements(synthesizer, tmp_path):
    clip = synthesizer.synthesize("今天天气很好，我们一起去公园散步吧。您的订单已经发货。",
                                  voice="baker")
    data = base64.b64encode(encode_wav(clip.samples, clip.sample_rate)).decode()
    with page_on_server(synthesizer) as page:
        page.evaluate("""(data) => {
            const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], "我的参考音频-a-rather-long-file-name.wav",
                                        { type: "audio/wav" }));
            const zone = document.querySelector('#dropzone');
            zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true }));
            zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true }));
        }""", data)
        page.wait_for_selector("#refclip:not([hidden])")
        page.wait_for_function("document.querySelector('#reflength').textContent.includes(' s ·')")
        assert page.inner_text("#reflength").startswith(f"{clip.duration:.1f} s")
        page.wait_for_selector("#reffeatures:not([hidden])", timeout=30_000)
        terms = page.locator("#reffeatures dt").all_inner_texts()
        assert any("Pitch" in t for t in terms) and any("Rate" in t for t in terms)
        assert "Hz" in page.inner_text("#reffeatures")
        # Play button, name and ✕ share one line however long the name is.
        boxes = [page.locator(s).bounding_box() for s in ("#refplay", "#refname", "#clearref")]
        centers = [box["y"] + box["height"] / 2 for box in boxes]
        assert max(centers) - min(centers) < 4
        page.click("#refplay")
        page.wait_for_function("document.querySelector('#refplay').textContent === '❚❚'")
        screenshot(page, tmp_path, "reference.png")
        page.click("#clearref")
        assert not page.is_visible("#refclip")
        assert page.errors == []


def test_job_panel_finishes_a_three_item_job(synthesizer, tmp_path):
    with page_on_server(synthesizer) as page:
        page.fill("#text", "第一段，很短。\n第二段也很短。\n第三段，最后一段。")
        page.select_option("#jobformat", "wav")
        page.click("#jobsubmit")
        page.wait_for_selector("#jobresult:not([hidden])", timeout=120_000)
        assert page.inner_text("#jobstatus").startswith("succeeded · 3/3 items")
        assert page.is_visible("#jobjoined")
        joined = page.get_attribute("#jobjoined", "href")
        assert page.evaluate("document.querySelector('#player').src").endswith(joined)
        screenshot(page, tmp_path, "job.png")
        # Not joined: the zip holds one file per item.
        page.uncheck("#jobjoin")
        page.click("#jobsubmit")
        page.wait_for_selector("#jobresult:not([hidden])", timeout=120_000)
        assert not page.is_visible("#jobjoined")
        archive = httpx.get(page.base + page.get_attribute("#jobzip", "href"), timeout=30)
        names = zipfile.ZipFile(io.BytesIO(archive.content)).namelist()
        assert len([n for n in names if n.endswith(".wav")]) == 3
        # A text too long for a live request goes to the job panel from Generate.
        page.fill("#text", "这是一个很长的句子，用来测试长文本。" * 30)
        page.click("#generate")
        page.wait_for_function("document.querySelector('#jobstatus').textContent.includes('/')")
        assert "sent as a batch job" in page.inner_text("#timing")
        page.click("#jobcancel")
        page.wait_for_function(
            "document.querySelector('#jobstatus').textContent.startsWith('cancelled')",
            timeout=60_000)
        assert page.errors == []
