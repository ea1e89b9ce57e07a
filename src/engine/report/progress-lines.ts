import type { Clock } from '../../core/clock.js';
import type { ProgressEvent, ProgressListener, ProgressSnapshot } from '../progress.js';

/**
 * Progress as plain lines, for logs and terminals that are not interactive: one line when the run starts,
 * per phase, per approval wait, and at most one progress line per interval while a phase ticks.
 */
export const PROGRESS_LINE_INTERVAL_MS = 5_000;

export function progressLines(
  write: (line: string) => void,
  clock: Clock,
  intervalMs: number = PROGRESS_LINE_INTERVAL_MS,
): ProgressListener {
  let lastTick = 0;
  return (event: ProgressEvent, snapshot: ProgressSnapshot) => {
    const line = describeEvent(event, snapshot);
    if (event.type === 'tick') {
      const now = clock.now().getTime();
      if (now - lastTick < intervalMs) return;
      lastTick = now;
    }
    if (line) write(line);
  };
}

/** One line for an event; undefined for ticks without a phase. */
export function describeEvent(event: ProgressEvent, snapshot: ProgressSnapshot): string | undefined {
  switch (event.type) {
    case 'run':
      return `▶ ${event.workflow}: run ${event.runId}${event.resumed ? ` resumed (attempt ${event.attempt})` : ' started'}${event.dryRun ? ' as a dry run' : ''}`;
    case 'phase':
      return `· ${event.phase}${event.total !== undefined ? ` (${event.total})` : ''}`;
    case 'tick':
      return event.phase
        ? `· ${event.phase}: ${event.done}${event.total !== undefined ? `/${event.total}` : ''}${counts(snapshot)}`
        : undefined;
    case 'waiting':
      return `⏸ waiting for approval ${event.approvalId} of ${event.operation}: arx approvals approve ${event.approvalId} --as <approver>`;
    case 'note':
      return `· ${event.message}`;
  }
}

function counts(snapshot: ProgressSnapshot): string {
  const { ticketsCreated, messages, pages, denied } = snapshot.counts;
  const parts = [
    ticketsCreated ? `${ticketsCreated} tickets` : '',
    messages ? `${messages} messages` : '',
    pages ? `${pages} pages` : '',
    denied ? `${denied} denied` : '',
  ].filter(Boolean);
  return parts.length ? ` · ${parts.join(', ')}` : '';
}
