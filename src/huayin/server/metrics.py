"""Prometheus metrics of the service (one registry per app, so tests can build several apps)."""

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

LATENCY_BUCKETS = (0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1, 2, 5, 10, 30, 60)


class ServiceMetrics:
    """Counters and histograms exported at ``/metrics``."""

    def __init__(self):
        self.registry = CollectorRegistry()
        self.requests = Counter("huayin_requests_total", "HTTP requests by route and status",
                                ["route", "status"], registry=self.registry)
        self.latency = Histogram("huayin_request_seconds", "Request latency (whole response)",
                                 ["route"], buckets=LATENCY_BUCKETS, registry=self.registry)
        self.first_chunk = Histogram("huayin_first_chunk_seconds",
                                     "Time from request to first synthesized audio",
                                     buckets=LATENCY_BUCKETS, registry=self.registry)
        self.audio_seconds = Counter("huayin_audio_seconds_total", "Seconds of audio produced",
                                     ["voice"], registry=self.registry)
        self.rtf = Histogram("huayin_real_time_factor", "Synthesis seconds / audio seconds",
                             buckets=(0.01, 0.02, 0.03, 0.04, 0.06, 0.1, 0.2, 0.5, 1, 2),
                             registry=self.registry)
        self.errors = Counter("huayin_errors_total", "Error responses by code", ["code"],
                              registry=self.registry)
        self.queue = Gauge("huayin_requests_in_flight", "Requests admitted (running or waiting)",
                           registry=self.registry)

    def watch_jobs(self, jobs) -> None:
        """Export the job service's queue and cache figures (read at each scrape)."""
        self.registry.register(_JobCollector(jobs))

    def render(self) -> bytes:
        """The text exposition format."""
        return generate_latest(self.registry)


class _JobCollector:
    """Queue, worker and cache figures of a :class:`huayin.service.JobService` at scrape time."""

    def __init__(self, jobs):
        self.jobs = jobs

    def describe(self):
        return []

    def collect(self):
        try:
            health = self.jobs.health()
        except Exception:  # an unreachable Redis leaves these series out, /metrics still answers
            return
        for name, key, what in (
            ("huayin_job_items_queued", "items_queued", "Job items waiting for a worker"),
            ("huayin_job_items_running", "items_running", "Job items being synthesized"),
            ("huayin_jobs_active", "jobs_active", "Jobs with items queued or running"),
        ):
            yield GaugeMetricFamily(name, what, value=health[key])
        yield GaugeMetricFamily("huayin_job_workers", "Job workers seen recently",
                                value=len(health["workers"]))
        cache = health["cache"]
        for name, key, what in (("huayin_cache_hits", "hits", "Audio cache hits"),
                                ("huayin_cache_misses", "misses", "Audio cache misses"),
                                ("huayin_cache_evictions", "evictions", "Audio cache evictions")):
            yield CounterMetricFamily(name, what, value=cache[key])
        yield GaugeMetricFamily("huayin_cache_bytes", "Bytes held by the audio cache",
                                value=cache["bytes"])
        yield GaugeMetricFamily("huayin_cache_entries", "Entries in the audio cache",
                                value=cache["entries"])
