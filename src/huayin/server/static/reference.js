// huayin web page, reference clip: drop a WAV/MP3 onto the drop zone, pick a file, or record
// one; the page shows its length with a play button, and what the server measured in it (pitch
// level and range, speaking rate, loudness, pauses), since that is what the synthesis imitates.
"use strict";

const reference = { url: null, audio: null, measured: 0 };

function referenceLength(blob) {
  // Decoded in the page: <audio> reports no duration for MediaRecorder's WebM.
  return blob.arrayBuffer()
    .then((bytes) => new (window.OfflineAudioContext || window.webkitOfflineAudioContext)(1, 1, 16000)
      .decodeAudioData(bytes))
    .then((decoded) => decoded.duration, () => null);
}

function signed(value, digits) { return (value >= 0 ? "+" : "−") + Math.abs(value).toFixed(digits); }

// The measurements, each with how it compares with neutral read speech.
function showReferenceFeatures(features) {
  const list = $("reffeatures");
  list.innerHTML = "";
  const relative = features.relative || {};
  const rows = [
    ["音高 Pitch", `${features.f0_median_hz.toFixed(0)} Hz`,
      relative.pitch_semitones !== undefined ? `${signed(relative.pitch_semitones, 1)} st vs neutral` : ""],
    ["音域 Range", `${features.f0_range_semitones.toFixed(1)} st`,
      relative.range_ratio !== undefined ? `×${relative.range_ratio.toFixed(2)} of neutral` : ""],
    ["语速 Rate", `${features.syllables_per_second.toFixed(1)} syllables/s`,
      relative.rate_ratio !== undefined ? `×${relative.rate_ratio.toFixed(2)} of neutral` : ""],
    ["响度 Loudness", `${features.speech_level_dbfs.toFixed(1)} dBFS`, ""],
    ["停顿 Pauses", `${Math.round(features.pause_ratio * 100)} %`, ""],
  ];
  for (const [name, value, note] of rows) {
    const term = document.createElement("dt");
    term.textContent = name;
    const detail = document.createElement("dd");
    detail.textContent = value;
    if (note) {
      const small = document.createElement("small");
      small.textContent = " " + note;
      detail.appendChild(small);
    }
    list.append(term, detail);
  }
  list.hidden = false;
}

async function measureReference(blob, name) {
  const ticket = ++reference.measured;  // a newer clip makes older answers stale
  $("refnote").textContent = "measuring…";
  const form = new FormData();
  form.append("clip", blob, name);
  try {
    const response = await fetch("/api/reference", { method: "POST", body: form, headers: authHeaders() });
    const body = await response.json();
    if (ticket !== reference.measured) return;
    if (!response.ok) throw new Error(body.error ? body.error.message : response.statusText);
    $("refnote").textContent = "";
    showReferenceFeatures(body);
  } catch (error) {
    if (ticket === reference.measured) $("refnote").textContent = error.message;
  }
}

async function setReference(blob, name) {
  state.reference = blob; state.referenceName = name;
  if (reference.audio) reference.audio.pause();
  if (reference.url) URL.revokeObjectURL(reference.url);
  reference.url = blob ? URL.createObjectURL(blob) : null;
  reference.audio = blob ? new Audio(reference.url) : null;
  $("refclip").hidden = !blob;
  $("reffeatures").hidden = true;
  $("refnote").textContent = "";
  $("refplay").textContent = "▶";
  if (!blob) { reference.measured++; return; }
  reference.audio.addEventListener("ended", () => { $("refplay").textContent = "▶"; });
  $("refname").textContent = name;
  $("reflength").textContent = `${Math.round(blob.size / 1024)} KB`;
  const seconds = await referenceLength(blob);
  if (seconds !== null && state.reference === blob) {
    $("reflength").textContent = `${seconds.toFixed(1)} s · ${Math.round(blob.size / 1024)} KB`;
  }
  measureReference(blob, name);
}

$("refplay").addEventListener("click", () => {
  if (!reference.audio) return;
  if (reference.audio.paused) { reference.audio.play(); $("refplay").textContent = "❚❚"; }
  else { reference.audio.pause(); $("refplay").textContent = "▶"; }
});
$("reference").addEventListener("change", (e) => { const f = e.target.files[0]; if (f) setReference(f, f.name); });
$("clearref").addEventListener("click", () => { setReference(null, ""); $("reference").value = ""; });

// The drop zone: drag a file onto it, or click it (or press Enter) to pick one.
const dropzone = $("dropzone");
dropzone.addEventListener("click", () => $("reference").click());
dropzone.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") $("reference").click(); });
for (const type of ["dragenter", "dragover"]) {
  dropzone.addEventListener(type, (e) => { e.preventDefault(); dropzone.classList.add("over"); });
}
dropzone.addEventListener("dragleave", () => dropzone.classList.remove("over"));
dropzone.addEventListener("drop", (e) => {
  e.preventDefault();
  dropzone.classList.remove("over");
  const file = [...(e.dataTransfer ? e.dataTransfer.files : [])].find(
    (f) => f.type.startsWith("audio/") || /\.(wav|mp3|flac|ogg|oga|webm|m4a)$/i.test(f.name));
  if (file) setReference(file, file.name);
  else showError("Drop an audio file (WAV, MP3, FLAC, OGG).");
});

$("record").addEventListener("click", async () => {
  if (state.recorder) { state.recorder.stop(); return; }
  try {
    const media = await navigator.mediaDevices.getUserMedia({ audio: true });
    const parts = [];
    state.recorder = new MediaRecorder(media);
    state.recorder.ondataavailable = (e) => parts.push(e.data);
    state.recorder.onstop = () => {
      media.getTracks().forEach((t) => t.stop());
      setReference(new Blob(parts, { type: state.recorder.mimeType }), "microphone.webm");
      state.recorder = null;
      $("record").textContent = "● 录音 Record";
    };
    state.recorder.start();
    $("record").textContent = "■ 停止 Stop";
  } catch (error) { showError("Microphone unavailable: " + error.message); }
});
