// A compile-time check, run by `npm run typecheck` (tsconfig.check.json): each
// answer the server sends fits the type the pages read it as. The pages keep
// their own copies of these types because they are built for the browser
// apart from the server; a field renamed or dropped on one side fails here.
import type * as Server from '../src/index.ts';
import type * as Page from '../src/ui/app/api-client.ts';

type Fits<Sent extends Read, Read> = [Sent, Read];

export type AnswersFitThePages = [
  Fits<Server.TraceSummary, Page.TraceSummary>,
  Fits<Server.SpanView, Page.Span>,
  Fits<Server.EventView, Page.SpanEvent>,
  Fits<Server.LinkView, Page.SpanLink>,
  Fits<Server.LogView, Page.LogRecord>,
  Fits<Server.ErrorGroup, Page.ErrorGroup>,
  Fits<Server.ErrorList, Page.ErrorList>,
  Fits<Server.DependencyEdge, Page.DependencyEdge>,
  Fits<Server.RedPoint, Page.RedPoint>,
  Fits<Server.RedSeries, Page.RedSeries>,
  Fits<Server.SeriesPoint, Page.SeriesPoint>,
  Fits<Server.MetricSeriesView, Page.MetricSeriesView>,
  Fits<Server.MetricView, Page.Metric>,
  Fits<Server.PointView, Page.MetricPoint>,
  Fits<Server.TracePage, Page.TracePage>,
  Fits<Server.TraceComparison, Page.TraceComparison>,
];
