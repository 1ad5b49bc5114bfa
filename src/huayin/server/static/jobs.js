// huayin web page, job panel: texts too long for one live request (the server stops a request
// after its timeout) go to a batch job (/api/jobs): the server cuts the text into items at
// paragraphs and sentences, the panel shows progress, and offers the joined file (played in the
// player) and the zip when the job is done (unjoined: one file per item in the zip).
"use strict";

// Longer texts are sent as a job: about 80 s of speech, well inside a live request's time limit
// even on a busy two-core server (synthesis runs at 0.1–0.4 × real time).
const LIVE_CHARS = 400;
const JOB_POLL_MS = 1000;
const job = { id: null, timer: null, urls: [] };

function formatSeconds(seconds) {
  const whole = Math.max(0, Math.round(seconds));
  return whole >= 60 ? `${Math.floor(whole / 60)} min ${whole % 60} s` : `${whole} s`;
}

// Links need the API key as a header when one is set, so the file is fetched into a blob URL.
async function jobFileUrl(path) {
  if (!apiKey()) return path;
  const response = await fetch(path, { headers: authHeaders() });
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  const url = URL.createObjectURL(await response.blob());
  job.urls.push(url);
  return url;
}

function showJobStatus(body) {
  const { done, total, audio_seconds: audio } = body.progress;
  $("jobprogress").hidden = false;
  $("jobprogress").max = total;
  $("jobprogress").value = done;
  let line = `${body.status} · ${done}/${total} items · ${audio.toFixed(1)} s audio`;
  if (body.eta_seconds !== undefined && body.status === "running") line += ` · ~${formatSeconds(body.eta_seconds)} left`;
  if (body.failed_items) line += ` · ${body.failed_items} failed`;
  $("jobstatus").textContent = line;
}

async function jobFinished(body) {
  $("jobcancel").hidden = true;
  $("jobsubmit").disabled = false;
  if (body.status !== "succeeded") return;
  $("jobzip").href = await jobFileUrl(`/api/jobs/${body.id}/result`);
  $("jobzip").download = `huayin-job-${body.id}.zip`;
  if (body.concatenate) {
    const joined = await jobFileUrl(`/api/jobs/${body.id}/audio`);
    $("jobjoined").href = joined;
    $("jobjoined").download = `huayin-job-${body.id}.${body.format}`;
    $("jobjoined").hidden = false;
    $("player").src = joined;
  }
  $("jobresult").hidden = false;
}

async function pollJob(id) {
  if (job.id !== id) return;
  try {
    const response = await fetch(`/api/jobs/${id}`, { headers: authHeaders() });
    const body = await response.json();
    if (!response.ok) throw new Error(body.error ? body.error.message : response.statusText);
    showJobStatus(body);
    if (["succeeded", "failed", "cancelled"].includes(body.status)) { await jobFinished(body); return; }
  } catch (error) {
    $("jobstatus").textContent = "cannot read the job: " + error.message;
  }
  job.timer = setTimeout(() => pollJob(id), JOB_POLL_MS);
}

async function submitJob(text) {
  showError("");
  if (!text) { showError("请输入文本 Please type some text."); return; }
  clearTimeout(job.timer);
  job.urls.forEach((url) => URL.revokeObjectURL(url));
  job.urls = [];
  $("jobresult").hidden = true;
  $("jobjoined").hidden = true;
  $("jobsubmit").disabled = true;
  $("jobstatus").textContent = "submitting…";
  try {
    const request = { text, ...params(), format: $("jobformat").value, concatenate: $("jobjoin").checked };
    const response = await fetch("/api/jobs", {
      method: "POST", body: JSON.stringify(request),
      headers: { "Content-Type": "application/json", ...authHeaders() },
    });
    const body = await response.json();
    if (!response.ok) throw new Error(body.error ? body.error.message : response.statusText);
    job.id = body.id;
    $("jobid").textContent = body.id;
    $("jobcancel").hidden = false;
    showJobStatus(body);
    pollJob(body.id);
  } catch (error) {
    $("jobsubmit").disabled = false;
    $("jobstatus").textContent = "";
    showError(error.message);
  }
}

$("jobsubmit").addEventListener("click", () => submitJob($("text").value.trim()));
$("jobcancel").addEventListener("click", async () => {
  if (!job.id) return;
  await fetch(`/api/jobs/${job.id}`, { method: "DELETE", headers: authHeaders() });
});
