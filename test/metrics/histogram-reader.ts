import { expect } from 'chai';
import type { Attributes } from '@opentelemetry/api';
import { DataPointType, HistogramMetricData, MetricReader } from '@opentelemetry/sdk-metrics';

/* What the genai-metrics-*.test.ts files read the metrics with. */

/** A reader the test collects from by hand. */
export class TestReader extends MetricReader {
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

export interface Point {
  attributes: Attributes;
  count: number;
  sum: number;
  boundaries: number[];
}

/** The points of the histogram `name` the reader collects now. */
export async function histogram(reader: MetricReader, name: string): Promise<Point[]> {
  const { resourceMetrics } = await reader.collect();
  const found = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics).filter((m) => m.descriptor.name === name);
  return found.flatMap((m) => {
    expect(m.dataPointType).to.equal(DataPointType.HISTOGRAM);
    return (m as HistogramMetricData).dataPoints.map((p) => ({ attributes: p.attributes, count: p.value.count, sum: p.value.sum ?? Number.NaN, boundaries: p.value.buckets.boundaries }));
  });
}
