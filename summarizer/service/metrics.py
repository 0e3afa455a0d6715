"""Prometheus metrics of one service process, on its own registry (several apps can coexist)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram


class ServiceMetrics:
    """Requests, latency, tokens, cost, quota refusals, provider 429s, queue depth and re-asks."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "summarizer_http_requests",
            "HTTP requests answered, by route and status code.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "summarizer_http_request_seconds",
            "Time to answer an HTTP request, by route.",
            ["method", "route"],
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
            registry=self.registry,
        )
        self.item_seconds = Histogram(
            "summarizer_item_seconds",
            "Time a worker spent on one article, by engine and status.",
            ["engine", "status"],
            buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300),
            registry=self.registry,
        )
        self.items = Counter(
            "summarizer_items", "Articles finished, by status.", ["status"], registry=self.registry
        )
        self.tokens = Counter(
            "summarizer_tokens",
            "Model tokens used, by kind (prompt, completion).",
            ["kind"],
            registry=self.registry,
        )
        self.cost = Counter(
            "summarizer_cost_usd", "Estimated model cost in USD.", registry=self.registry
        )
        self.quota_refusals = Counter(
            "summarizer_quota_refusals",
            "Requests refused with 429 because a key was over its quota.",
            registry=self.registry,
        )
        self.provider_rate_limited = Counter(
            "summarizer_provider_429s",
            "429 answers received from the model endpoint.",
            registry=self.registry,
        )
        self.reasks = Counter(
            "summarizer_reasks",
            "Re-asks sent to the model after invalid output.",
            registry=self.registry,
        )
        self.queue_depth = Gauge(
            "summarizer_queue_depth", "Articles waiting for a worker.", registry=self.registry
        )
