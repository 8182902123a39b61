import { useEffect, useState } from 'preact/hooks';
import { heldToken } from '../auth';
import { t, type Key } from '../i18n';

/** How often the figures are read, and how many readings a chart shows (5 minutes). */
const PERIOD_MS = 5000;
const POINTS = 60;

/** One figure read from the node's Prometheus text: a gauge, or the mean of a timer since the node started. */
interface Series {
  key: Key;
  read: (metrics: Map<string, number>) => number | undefined;
}

const SERIES: Series[] = [
  { key: 'moderate.chart.connections', read: (m) => m.get('kindred_connections') },
  { key: 'moderate.chart.sessions', read: (m) => m.get('kindred_support_sessions_active') },
  { key: 'moderate.chart.match', read: (m) => mean(m, 'kindred_support_time_to_match_seconds') },
  { key: 'moderate.chart.ack', read: (m) => mean(m, 'kindred_safety_alert_ack_seconds') },
];

function mean(metrics: Map<string, number>, timer: string): number | undefined {
  const count = metrics.get(`${timer}_count`);
  const sum = metrics.get(`${timer}_sum`);
  return count && sum !== undefined ? sum / count : undefined;
}

/** Sums the samples of each metric name over its labels: `name{a="b"} 3` and `name{a="c"} 4` give `name` 7. */
export function parsePrometheus(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const value = Number(match[3]);
    if (Number.isFinite(value)) values.set(match[1] as string, (values.get(match[1] as string) ?? 0) + value);
  }
  return values;
}

/**
 * Small live charts of this node's connections, open sessions, time to match and time to acknowledge, read from its
 * `/moderator/figures` (a few metrics, for a moderator's token) every 5 seconds while the console is open. Figures of one node: a cluster's other nodes are not in them.
 */
export function Charts({ metricsUrl }: { metricsUrl: string | null }) {
  const [history, setHistory] = useState<(number | undefined)[][]>(SERIES.map(() => []));
  const [failed, setFailed] = useState(metricsUrl === null);

  useEffect(() => {
    if (metricsUrl === null) return;
    let stopped = false;
    const read = async () => {
      try {
        const token = heldToken();
        if (token === null) throw new Error('no token'); // nothing to ask with: no request, no 401 in the console
        const response = await fetch(metricsUrl, {
          cache: 'no-store',
          credentials: 'omit',
          headers: token ? { authorization: `Bearer ${token}` } : {},
        });
        if (!response.ok) throw new Error(String(response.status));
        const metrics = parsePrometheus(await response.text());
        if (stopped) return;
        setFailed(false);
        setHistory((old) => SERIES.map((series, i) => [...(old[i] ?? []), series.read(metrics)].slice(-POINTS)));
      } catch {
        if (!stopped) setFailed(true);
      }
    };
    void read();
    const timer = setInterval(read, PERIOD_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [metricsUrl]);

  return (
    <section class="charts" aria-labelledby="charts-title">
      <h2 id="charts-title">{t('moderate.charts')}</h2>
      {failed ? (
        <p class="hint">{t('moderate.chartsUnavailable')}</p>
      ) : (
        <ul class="chart-list">
          {SERIES.map((series, i) => (
            <li key={series.key} class="chart">
              <Sparkline label={t(series.key)} points={history[i] ?? []} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Sparkline({ label, points }: { label: string; points: (number | undefined)[] }) {
  const known = points.filter((p): p is number => p !== undefined);
  const last = known[known.length - 1];
  const max = Math.max(1, ...known);
  const width = 160;
  const height = 40;
  const step = width / Math.max(1, POINTS - 1);
  const offset = POINTS - points.length;
  const path = points
    .map((p, i) =>
      p === undefined
        ? null
        : `${((offset + i) * step).toFixed(1)},${(height - (p / max) * (height - 4) - 2).toFixed(1)}`,
    )
    .filter((p) => p !== null)
    .join(' ');
  const value = last === undefined ? t('moderate.chart.none') : Number.isInteger(last) ? String(last) : last.toFixed(1);
  return (
    <figure>
      <figcaption>
        <span>{label}</span> <strong data-testid="chart-value">{value}</strong>
      </figcaption>
      <svg
        viewBox={`0 0 ${width} ${height}`}
        width={width}
        height={height}
        role="img"
        aria-label={`${label}: ${value}`}
      >
        <polyline points={path} fill="none" stroke="currentColor" stroke-width="2" />
      </svg>
    </figure>
  );
}
