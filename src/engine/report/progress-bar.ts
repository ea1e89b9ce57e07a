import cliProgress from 'cli-progress';
import type { ProgressEvent, ProgressListener, ProgressSnapshot } from '../progress.js';
import { describeEvent } from './progress-lines.js';

/**
 * Progress on an interactive terminal: a live bar per phase (live counts when the phase has no total), with
 * the run's counters beside it; events that deserve a line of their own (start, approval waits) print above.
 */
export interface ProgressBar {
  listener: ProgressListener;
  /** Clears the bar; call before printing the summary. */
  stop(): void;
}

export function progressBar(stream: NodeJS.WriteStream = process.stderr): ProgressBar {
  let bar: cliProgress.SingleBar | undefined;
  let sized = false;

  const stop = () => {
    bar?.stop();
    bar = undefined;
  };
  const start = (phase: string, total: number | undefined, snapshot: ProgressSnapshot) => {
    stop();
    sized = total !== undefined;
    bar = new cliProgress.SingleBar(
      {
        stream,
        format: sized ? '{phase} |{bar}| {value}/{total} {counts}' : '{phase} {value} {counts}',
        hideCursor: true,
        clearOnComplete: false,
        barsize: 30,
        fps: 5,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total ?? 0, snapshot.done, payload(phase, snapshot));
  };

  const listener: ProgressListener = (event: ProgressEvent, snapshot: ProgressSnapshot) => {
    if (event.type === 'phase') return start(event.phase, event.total, snapshot);
    if (event.type === 'tick') {
      if (!bar && event.phase) start(event.phase, event.total, snapshot);
      if (event.total !== undefined && !sized) start(event.phase ?? '', event.total, snapshot);
      if (event.total !== undefined) bar?.setTotal(event.total);
      bar?.update(event.done, payload(event.phase ?? '', snapshot));
      return;
    }
    const line = describeEvent(event, snapshot);
    const phase = snapshot.phase;
    const wasRunning = Boolean(bar);
    stop();
    if (line) stream.write(`${line}\n`);
    if (wasRunning && phase) start(phase, snapshot.total, snapshot);
  };
  return { listener, stop };
}

function payload(phase: string, snapshot: ProgressSnapshot): Record<string, string> {
  const { ticketsCreated, ticketsUpdated, ticketsClosed, messages, pages, denied } = snapshot.counts;
  const parts = [
    ticketsCreated ? `created ${ticketsCreated}` : '',
    ticketsUpdated ? `updated ${ticketsUpdated}` : '',
    ticketsClosed ? `closed ${ticketsClosed}` : '',
    messages ? `messages ${messages}` : '',
    pages ? `pages ${pages}` : '',
    denied ? `denied ${denied}` : '',
  ].filter(Boolean);
  return { phase, counts: parts.length ? `· ${parts.join(' · ')}` : '' };
}
