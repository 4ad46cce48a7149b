// One line per recorded event (see page-timeline.js), times relative to the first: what scripts/stress-connect.mjs
// writes for a slow connect.
const SKIP = new Set(['t', 'page', 'source', 'what']);

const value = (item) => (typeof item === 'object' && item !== null ? JSON.stringify(item) : String(item));

export function formatTimeline(events) {
  if (!events.length) return '(no events recorded)';
  const start = events[0].t;
  return events
    .map((event) => {
      const facts = Object.entries(event)
        .filter(([key, item]) => !SKIP.has(key) && item !== undefined)
        .map(([key, item]) => `${key}=${value(item)}`)
        .join(' ');
      const where = `${event.page || '-'} ${event.source}`.padEnd(10);
      return `${(event.t - start).toFixed(1).padStart(9)} ${where} ${event.what.padEnd(26)} ${facts}`;
    })
    .join('\n');
}
