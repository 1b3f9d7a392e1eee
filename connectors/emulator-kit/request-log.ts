/** What one HTTP request did, for tests and the benchmark; each vendor adds the field naming its object. */
export interface RequestRecordBase {
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  /** The route template, such as `GET /query`; `unknown` when nothing matched. */
  readonly route: string;
  /** 0 when the connection was reset by a fault. */
  readonly status: number;
  /** The call changes data; counted by `writes()`. */
  readonly write: boolean;
  /** Emulator clock at arrival. */
  readonly at: number;
}

/** Equal fields (any but the arrival time, which no test can predict), or a predicate. */
export type RequestFilter<R extends RequestRecordBase> = Partial<Omit<R, 'at'>> | ((record: R) => boolean);

/** Request counters, for tests and the benchmark. */
export interface RequestCounters<R extends RequestRecordBase> {
  /** A copy of every request since the last reset, oldest first. */
  log(): R[];
  count(filter?: RequestFilter<R>): number;
  /** Calls that change data (creates, updates, upserts, archives, associations, field or property creates). */
  writes(): number;
  reset(): void;
}

/** What the emulator was asked: counts by route, status, object and writes. */
export class RequestLog<R extends RequestRecordBase> implements RequestCounters<R> {
  private records: R[] = [];
  private writeCount = 0;

  add(record: R): void {
    this.records.push(record);
    if (record.write) this.writeCount += 1;
  }

  log(): R[] {
    return [...this.records];
  }

  count(filter?: RequestFilter<R>): number {
    if (filter === undefined) return this.records.length;
    if (typeof filter === 'function') return this.records.filter(filter).length;
    const entries = Object.entries(filter);
    // Records are plain objects; indexing by the filter's own keys is how a partial match is read.
    return this.records.filter((r) =>
      entries.every(([key, value]) => (r as unknown as Record<string, unknown>)[key] === value),
    ).length;
  }

  writes(): number {
    return this.writeCount;
  }

  reset(): void {
    this.records = [];
    this.writeCount = 0;
  }
}
