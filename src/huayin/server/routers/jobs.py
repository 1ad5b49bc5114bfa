"""Batch jobs over HTTP: ``/api/jobs`` — submit, list, status, cancel, download.

HTTP only: every route calls :class:`huayin.service.JobService` (embedded or Celery), which
owns the stores; any replica answers for any job. The routes are plain functions, so FastAPI
runs them in its thread pool: store queries and zip building never block the event loop that
streams live audio.
"""

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, JSONResponse

from huayin.server.routers.common import service_of
from huayin.service import JobRequest, JobService
from huayin.service.archive import media_type

router = APIRouter(tags=["jobs"])


def jobs_of(request: Request) -> JobService:
    """The app's job service."""
    return request.app.state.jobs


@router.post("/api/jobs", status_code=202)
def submit_job(body: JobRequest, request: Request):
    """Queue a batch job: ``items`` (each with its own voice and delivery), or one long ``text``
    that the server splits at paragraphs and sentences. Answers 202 with the job's status and a
    ``Location`` to poll."""
    service = jobs_of(request)
    job = service.submit(body, service_of(request).limits)
    return JSONResponse(job.public(service.dispatcher.threads), 202,
                        headers={"Location": f"/api/jobs/{job.id}"})


@router.get("/api/jobs")
def list_jobs(request: Request, limit: int = Query(50, ge=1, le=500)):
    """Recent jobs, newest first."""
    return {"jobs": jobs_of(request).recent(limit)}


@router.get("/api/jobs/{job_id}")
def job_status(job_id: str, request: Request):
    """Status, progress (done/total, audio seconds), per-item state and errors, ETA."""
    return jobs_of(request).status(job_id)


@router.delete("/api/jobs/{job_id}")
def cancel_job(job_id: str, request: Request):
    """Cancel: queued items never run, running items stop at their next clause."""
    return jobs_of(request).cancel(job_id)


@router.get("/api/jobs/{job_id}/result")
def job_result(job_id: str, request: Request):
    """The finished job as a zip: one audio (+ subtitle) file per item and manifest.json, or
    with ``concatenate`` one joined file for the whole job. 409 while it still runs."""
    path = jobs_of(request).archive(job_id)
    return FileResponse(path, media_type="application/zip",
                        filename=f"huayin-job-{job_id}.zip")


@router.get("/api/jobs/{job_id}/audio")
def job_audio(job_id: str, request: Request):
    """A concatenated job's joined audio file, directly (for players and the web page)."""
    path, job = jobs_of(request).joined_audio(job_id)
    return FileResponse(path, media_type=media_type(job),
                        filename=f"huayin-job-{job_id}.{job.settings['format']}")
