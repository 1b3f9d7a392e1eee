import type { RequestCounters, RequestFilter, RequestRecord } from './types.ts';

/** What the emulator was asked, for tests and the benchmark: counts by route, status and writes. */
export class RequestLog implements RequestCounters {
  private records: RequestRecord[] = [];
  private writeCount = 0;

  add(record: RequestRecord): void {
    this.records.push(record);
    if (record.write) this.writeCount += 1;
  }

  log(): RequestRecord[] {
    return [...this.records];
  }

  count(filter?: RequestFilter): number {
    if (filter === undefined) return this.records.length;
    if (typeof filter === 'function') return this.records.filter(filter).length;
    const entries = Object.entries(filter);
    return this.records.filter((r) => entries.every(([key, value]) => (r as unknown as Record<string, unknown>)[key] === value)).length;
  }

  writes(): number {
    return this.writeCount;
  }

  reset(): void {
    this.records = [];
    this.writeCount = 0;
  }
}
