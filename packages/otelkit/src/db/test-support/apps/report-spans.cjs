// Shared by the child-process apps: the finished spans, as one JSON line on stdout.
exports.reportSpans = (exporter) => {
  const spans = exporter.getFinishedSpans().map((span) => ({
    name: span.name,
    kind: span.kind,
    scope: span.instrumentationScope.name,
    traceId: span.spanContext().traceId,
    id: span.spanContext().spanId,
    parent: span.parentSpanContext?.spanId,
    attributes: span.attributes,
    status: span.status.code,
  }));
  console.log(JSON.stringify(spans));
};
