import { createWriteStream, type WriteStream } from 'node:fs';
import type { FrameResult, MediaSummary } from '@face-liveness/pipeline';
import { summaryLine, toJson } from './media-summary.js';

/**
 * The `--report` file, `{"inputs":[{"input","frames":[...],"summary"|"error"}, ...]}`, streamed to
 * disk as the frames come so that a long video does not grow in memory. Writes are queued in order;
 * a write error surfaces from {@link FrameReport.close}.
 */
export class FrameReport {
  private readonly stream: WriteStream;
  private queue: Promise<void> = Promise.resolve();
  private inputs = 0;
  private frames = 0;

  constructor(path: string) {
    this.stream = createWriteStream(path);
    // Errors reach the write callbacks; this keeps them from also being an uncaught 'error' event.
    this.stream.on('error', () => {});
    this.write('{"inputs":[');
  }

  begin(input: string): void {
    this.write(`${this.inputs++ ? ',' : ''}{"input":${JSON.stringify(input)},"frames":[`);
    this.frames = 0;
  }

  frame(result: FrameResult): void {
    this.write(`${this.frames++ ? ',\n' : ''}${toJson(result)}`);
  }

  end(summary: MediaSummary): void {
    this.write(`],"summary":${toJson(summaryLine(summary))}}`);
  }

  fail(message: string): void {
    this.write(`],"error":${JSON.stringify(message)}}`);
  }

  async close(): Promise<void> {
    this.write(']}\n');
    try {
      await this.queue;
    } finally {
      await new Promise<void>((done) => this.stream.end(done));
    }
  }

  private write(text: string): void {
    this.queue = this.queue.then(
      () => new Promise<void>((done, fail) => this.stream.write(text, (e) => (e ? fail(e) : done()))),
    );
    // A failed write is thrown by close(); until then it must not count as unhandled.
    this.queue.catch(() => {});
  }
}
