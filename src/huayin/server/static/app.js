// huayin web page: streams speech over /ws/tts (plays while it arrives), or posts to
// /api/synthesize when a reference clip is given; shows subtitles in sync; keeps a history;
// looks up readings (/api/g2p) and edits the user lexicon (/api/lexicon).
// The reference clip lives in reference.js, long texts (batch jobs) in jobs.js.
"use strict";
const $ = (id) => document.getElementById(id);
const state = { reference: null, referenceName: "", recorder: null, history: [], cues: [],
  stop: null, lastStream: null };
const apiKey = () => localStorage.getItem("huayin-api-key") || "";
const authHeaders = () => (apiKey() ? { Authorization: "Bearer " + apiKey() } : {});

function showError(message) { $("error").textContent = message; $("error").hidden = !message; }

for (const id of ["intensity", "speed", "pitch", "volume"]) {
  const input = $(id);
  input.addEventListener("input", () => { input.nextElementSibling.textContent = input.value; });
}
const updateCount = () => { $("count").textContent = `${$("text").value.length} / 10000`; };
$("text").addEventListener("input", updateCount);
updateCount();

async function loadVoices() {
  try {
    const response = await fetch("/api/voices", { headers: authHeaders() });
    const body = await response.json();
    if (!response.ok) throw new Error(body.error ? body.error.message : response.statusText);
    $("voice").innerHTML = "";
    for (const voice of body.voices) {
      const option = document.createElement("option");
      option.value = voice.id;
      option.disabled = !voice.installed;
      option.textContent = `${voice.display_name} · ${voice.gender === "female" ? "女" : "男"}` +
        (voice.installed ? "" : " (not installed)");
      $("voice").appendChild(option);
    }
    // The server names its default voice; if that one is not installed, the first one that is.
    const installed = body.voices.filter((voice) => voice.installed).map((voice) => voice.id);
    const chosen = installed.includes(body.default) ? body.default : installed[0];
    if (chosen) $("voice").value = chosen;
    const health = await (await fetch("/health")).json();
    $("status").textContent = health.ready ? "ready" : "loading voices…";
  } catch (error) {
    $("status").textContent = "offline";
    showError("Cannot list voices: " + error.message);
  }
}

function params() {
  return {
    voice: $("voice").value, emotion: $("emotion").value,
    intensity: parseFloat($("intensity").value), speed: parseFloat($("speed").value),
    pitch: parseFloat($("pitch").value), volume: parseFloat($("volume").value),
  };
}

// ---- WAV helpers -------------------------------------------------------------------------
function wavBlob(pcmChunks, rate) {
  const length = pcmChunks.reduce((n, c) => n + c.byteLength, 0);
  const header = new DataView(new ArrayBuffer(44));
  const put = (offset, text) => [...text].forEach((ch, i) => header.setUint8(offset + i, ch.charCodeAt(0)));
  put(0, "RIFF"); header.setUint32(4, 36 + length, true); put(8, "WAVEfmt ");
  header.setUint32(16, 16, true); header.setUint16(20, 1, true); header.setUint16(22, 1, true);
  header.setUint32(24, rate, true); header.setUint32(28, rate * 2, true);
  header.setUint16(32, 2, true); header.setUint16(34, 16, true);
  put(36, "data"); header.setUint32(40, length, true);
  return new Blob([header, ...pcmChunks], { type: "audio/wav" });
}

// ---- subtitles -----------------------------------------------------------------------------
// Each sentence is shown as the user wrote it; every source character range (e.g. "2026" read
// as 二零二六) lights up while the characters spoken for it are heard.
function renderSubtitles(sentences, original) {
  state.cues = [];
  const box = $("subtitles");
  box.innerHTML = "";
  for (const sentence of sentences) {
    const line = document.createElement("p");
    const [from, to] = sentence.span;
    const ranges = new Map();
    for (const ch of sentence.characters) {
      const key = ch.span.join(":");
      const range = ranges.get(key) || { span: ch.span, start: ch.start, end: ch.end };
      range.start = Math.min(range.start, ch.start); range.end = Math.max(range.end, ch.end);
      ranges.set(key, range);
    }
    let position = from;
    for (const range of [...ranges.values()].sort((a, b) => a.span[0] - b.span[0])) {
      if (range.span[0] > position) line.append(original.slice(position, range.span[0]));
      const span = document.createElement("span");
      span.textContent = original.slice(range.span[0], range.span[1]);
      line.appendChild(span);
      state.cues.push({ start: range.start, end: range.end, span });
      position = range.span[1];
    }
    if (position < to) line.append(original.slice(position, to));
    box.appendChild(line);
  }
}
function highlight(time) {
  for (const cue of state.cues) cue.span.classList.toggle("active", time >= cue.start && time < cue.end);
}
$("player").addEventListener("timeupdate", () => highlight($("player").currentTime));

function finish(blob, sentences, seconds, text) {
  const url = URL.createObjectURL(blob);
  $("player").src = url;
  $("download").href = url;
  $("download").hidden = false;
  renderSubtitles(sentences, text);
  state.history.unshift({ text, url, seconds, when: new Date().toLocaleTimeString() });
  state.history = state.history.slice(0, 10);
  const list = $("history");
  list.innerHTML = "";
  for (const item of state.history) {
    const li = document.createElement("li");
    li.textContent = `${item.when} · ${item.seconds.toFixed(1)} s · ${item.text.slice(0, 40)}`;
    const play = document.createElement("button");
    play.textContent = "▶";
    play.onclick = () => { $("player").src = item.url; $("player").play(); };
    li.appendChild(play);
    list.appendChild(li);
  }
}

// ---- streaming over the WebSocket -----------------------------------------------------------
// Audio plays while it arrives (Web Audio, each PCM frame scheduled after the one before); the
// bar shows clauses done, audio seconds so far and an estimate of the time left; Stop ends the
// request and the playback and keeps what arrived; the whole result is offered for download.
function showStreamProgress(progress, started) {
  const fraction = progress.clauses ? progress.clauses_done / progress.clauses : 0;
  const elapsed = (performance.now() - started) / 1000;
  $("progress").hidden = false;
  $("progress").value = fraction;
  let line = `${Math.round(fraction * 100)} % · ${progress.clauses_done}/${progress.clauses} clauses` +
    ` · ${progress.audio_seconds.toFixed(1)} s audio`;
  if (fraction > 0 && fraction < 1) line += ` · ~${Math.ceil(elapsed * (1 - fraction) / fraction)} s left`;
  $("timing").textContent = line;
}

function speakStreaming(text, options) {
  return new Promise((resolve, reject) => {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const key = apiKey() ? "?api_key=" + encodeURIComponent(apiKey()) : "";
    const socket = new WebSocket(`${scheme}://${location.host}/ws/tts${key}`);
    socket.binaryType = "arraybuffer";
    const context = new (window.AudioContext || window.webkitAudioContext)();
    const pcm = [], sentences = [];
    const started = performance.now();
    // What the test of "plays before the stream ends" reads.
    const log = state.lastStream = { firstPlayAt: null, endAt: null, playedAtEnd: null };
    let rate = 24000, playAt = 0, origin = 0, firstAudio = null, timer = null, done = false;
    let spoken = text;  // the text the subtitle spans point into (SSML without its markup)
    const stopPlayback = () => { clearInterval(timer); context.close(); $("stop").hidden = true; };
    const settle = (stopped, seconds) => {
      done = true;
      socket.close();
      resolve({ blob: wavBlob(pcm, rate), sentences, seconds, firstAudio, spoken, stopped });
    };
    state.stop = () => {
      stopPlayback();
      if (!done) settle(true, pcm.reduce((n, c) => n + c.byteLength, 0) / 2 / rate);
    };
    $("stop").hidden = false;
    socket.onopen = () => socket.send(JSON.stringify({ text, ...options }));
    socket.onerror = () => { stopPlayback(); reject(new Error("WebSocket error")); };
    socket.onmessage = (event) => {
      if (done) return;
      if (typeof event.data !== "string") {
        if (firstAudio === null) {
          firstAudio = performance.now() - started;
          playAt = origin = context.currentTime + 0.05;
          log.firstPlayAt = performance.now();
          timer = setInterval(() => highlight(context.currentTime - origin), 50);
        }
        pcm.push(event.data);
        const ints = new Int16Array(event.data);
        const buffer = context.createBuffer(1, ints.length, rate);
        const channel = buffer.getChannelData(0);
        for (let i = 0; i < ints.length; i++) channel[i] = ints[i] / 32768;
        const source = context.createBufferSource();
        source.buffer = buffer;
        source.connect(context.destination);
        source.start(Math.max(playAt, context.currentTime));
        playAt = Math.max(playAt, context.currentTime) + buffer.duration;
        return;
      }
      const message = JSON.parse(event.data);
      if (message.type === "start") {
        rate = message.sample_rate;
        spoken = message.text || text;
        showStreamProgress({ clauses_done: 0, clauses: message.clauses || 0, audio_seconds: 0 }, started);
      } else if (message.type === "progress") showStreamProgress(message, started);
      else if (message.type === "sentence") { sentences.push(message); renderSubtitles(sentences, spoken); }
      else if (message.type === "error") { stopPlayback(); socket.close(); reject(new Error(message.error.message)); }
      else if (message.type === "end") {
        log.endAt = performance.now();
        log.playedAtEnd = firstAudio === null ? 0 : context.currentTime - origin;
        // Playback goes on after the stream ends; Stop stays until it is over.
        setTimeout(stopPlayback, Math.max(0, (playAt - context.currentTime) * 1000));
        settle(false, message.duration);
      }
    };
  });
}

// ---- one request with a reference clip --------------------------------------------------------
async function speakWithReference(text, options) {
  const form = new FormData();
  form.append("text", text);
  form.append("speaker", options.voice);
  for (const key of ["emotion", "intensity", "speed", "pitch", "volume"]) form.append(key, options[key]);
  form.append("subtitles", "json");
  form.append("emotion_audio", state.reference, state.referenceName || "reference.wav");
  const response = await fetch("/api/synthesize", { method: "POST", body: form, headers: authHeaders() });
  const body = await response.json();
  if (!response.ok) throw new Error(body.error ? body.error.message : response.statusText);
  const bytes = Uint8Array.from(atob(body.audio), (c) => c.charCodeAt(0));
  const sentences = body.subtitles.sentences.map((s) => ({
    ...s, characters: body.subtitles.characters.filter((c) => c.start >= s.start && c.start < s.end + 1e-6),
  }));
  return { blob: new Blob([bytes], { type: "audio/wav" }), sentences, seconds: body.duration,
    firstAudio: null, spoken: body.text || text, stopped: false };
}

// The SSML switch wraps plain text in <speak> (and unwraps it again), so the box shows what is sent.
$("ssml").addEventListener("change", () => {
  const box = $("text");
  const value = box.value.trim();
  if ($("ssml").checked && !value.startsWith("<speak")) box.value = `<speak>${value}</speak>`;
  if (!$("ssml").checked && value.startsWith("<speak>") && value.endsWith("</speak>")) {
    box.value = value.slice(7, -8);
  }
  $("ssmlhint").hidden = !$("ssml").checked;
  updateCount();
});

async function generate(textOverride) {
  const text = (textOverride || $("text").value).trim();
  showError("");
  if (!text) { showError("请输入文本 Please type some text."); return; }
  if (!textOverride && text.length > LIVE_CHARS) {
    // Too long for one live request: the job panel takes it (jobs.js).
    $("timing").textContent = `${text.length} characters: sent as a batch job (below)` +
      (state.reference ? "; jobs do not use the reference clip" : "");
    submitJob(text);
    return;
  }
  $("generate").disabled = true;
  $("download").hidden = true;
  $("player").removeAttribute("src");  // not the previous clip while this one streams
  $("player").load();
  $("timing").textContent = "synthesizing…";
  try {
    const options = params();
    const result = state.reference && !textOverride
      ? await speakWithReference(text, options) : await speakStreaming(text, options);
    finish(result.blob, result.sentences, result.seconds, result.spoken);
    $("timing").textContent = (result.stopped ? "stopped · " : "") + `${result.seconds.toFixed(2)} s of audio` +
      (result.firstAudio !== null ? ` · first audio after ${Math.round(result.firstAudio)} ms` : "");
  } catch (error) {
    showError(error.message);
    $("timing").textContent = "";
  } finally {
    $("generate").disabled = false;
    $("progress").hidden = true;
  }
}
$("generate").addEventListener("click", () => generate());
$("stop").addEventListener("click", () => { if (state.stop) state.stop(); });
$("sample").addEventListener("click", () => generate("你好，我是这个声音。很高兴为你朗读。"));

// ---- pronunciation: look up how the text is read, fix a word in the user lexicon -----------------
async function api(path, options = {}) {
  const response = await fetch(path, { ...options, headers: { ...authHeaders(), ...(options.headers || {}) } });
  const body = await response.json();
  if (!response.ok) throw new Error(body.error ? body.error.message : response.statusText);
  return body;
}
function lexError(message) { $("lex-error").textContent = message; $("lex-error").hidden = !message; }

// The characters of one segmented word (consecutive characters that share it).
function wordAt(characters, index) {
  const word = characters[index].word;
  let start = index;
  while (start > 0 && characters[start - 1].word === word && index - start + 1 < word.length) start -= 1;
  const run = characters.slice(start, start + word.length);
  return run.length === word.length && run.map((c) => c.char).join("") === word ? run : [characters[index]];
}

async function lookUp() {
  lexError("");
  const text = $("text").value.trim();
  if (!text) { lexError("请输入文本 Please type some text."); return; }
  try {
    const body = await api("/api/g2p", { method: "POST", headers: { "Content-Type": "application/json" },
                                         body: JSON.stringify({ text }) });
    $("g2p-pinyin").textContent = body.pinyin;
    const box = $("g2p-result");
    box.innerHTML = "";
    body.characters.forEach((c, index) => {
      const ruby = document.createElement("ruby");
      ruby.textContent = c.char;
      const rt = document.createElement("rt");
      rt.textContent = c.pinyin;
      ruby.appendChild(rt);
      if (c.source) {
        ruby.className = ["inline", "lexicon"].includes(c.source) ? "poly user" : "poly";
        ruby.title = `${c.source}: ${c.detail}`;
        ruby.addEventListener("click", () => {
          box.querySelectorAll(".selected").forEach((r) => r.classList.remove("selected"));
          ruby.classList.add("selected");
          const run = wordAt(body.characters, index);
          $("lex-word").value = run.map((r) => r.char).join("");
          $("lex-pinyin").value = run.map((r) => r.pinyin).join(" ");
          $("g2p-why").textContent = `${c.char} ${c.pinyin} — ${c.source}: ${c.detail}`;
          $("lex-pinyin").focus();
        });
      }
      box.appendChild(ruby);
    });
  } catch (error) { lexError(error.message); }
}

async function loadLexicon() {
  try {
    const body = await api("/api/lexicon");
    const list = $("lex-list");
    list.innerHTML = "";
    for (const entry of body.entries) {
      const item = document.createElement("li");
      item.textContent = `${entry.word} ${entry.pinyin}`;
      const remove = document.createElement("button");
      remove.type = "button";
      remove.textContent = "✕";
      remove.title = "remove from the lexicon";
      remove.addEventListener("click", async () => {
        try {
          await api("/api/lexicon?word=" + encodeURIComponent(entry.word), { method: "DELETE" });
          await loadLexicon();
          if ($("g2p-result").childElementCount) await lookUp();
        } catch (error) { lexError(error.message); }
      });
      item.appendChild(remove);
      list.appendChild(item);
    }
  } catch (error) { lexError("Cannot read the lexicon: " + error.message); }
}

$("g2p-lookup").addEventListener("click", lookUp);
$("lex-save").addEventListener("click", async () => {
  lexError("");
  try {
    await api("/api/lexicon", { method: "PUT", headers: { "Content-Type": "application/json" },
                                body: JSON.stringify({ word: $("lex-word").value, pinyin: $("lex-pinyin").value }) });
    await loadLexicon();
    await lookUp();
  } catch (error) { lexError(error.message); }
});
$("lex-hear").addEventListener("click", () => generate());

loadVoices();
loadLexicon();
