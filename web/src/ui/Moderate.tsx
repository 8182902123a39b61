import type { ChatMessage, ReportInfo } from '@kindred/client';
import { useEffect, useState } from 'preact/hooks';
import type { AppConfig } from '../config';
import { useAction, useNow, useStore } from '../hooks';
import { ago, formatDateTime, formatTime, t, type Key } from '../i18n';
import type { Store } from '../store';
import { Charts } from './Charts';
import { SanctionForm } from './Chat';
import { Refusal } from './Refusal';

/**
 * The moderator console: live crisis alerts at the top (time since raised, one-click acknowledge, who took it),
 * reports with their snapshot and context, held messages, sanctions, the audit log, and this node's live figures.
 */
export function Moderate({ config }: { config: AppConfig }) {
  const store = useStore();
  useEffect(() => {
    if (store.connection === 'connected') void store.loadModeration().catch(() => undefined);
  }, [store.connection === 'connected']);
  return (
    <div class="screen moderate-screen">
      <h1>{t('moderate.title')}</h1>
      <Alerts store={store} />
      <Charts metricsUrl={config.metricsUrl} />
      <div class="moderate-grid">
        <Reports store={store} />
        <Held store={store} />
      </div>
      <Sanctions store={store} />
      <Audit store={store} />
    </div>
  );
}

function Alerts({ store }: { store: Store }) {
  const now = useNow(1000);
  const { error, call } = useAction();
  const alerts = [...store.moderation.alerts.values()].sort((a, b) => {
    if (!a.acked !== !b.acked) return a.acked ? 1 : -1;
    return b.alert.createdAt - a.alert.createdAt;
  });
  const open = alerts.filter((entry) => !entry.acked).length;
  return (
    <section class="alerts" aria-labelledby="alerts-title" data-open={open}>
      <h2 id="alerts-title">
        {t('moderate.alerts')} {open > 0 && <span class="count">{open}</span>}
      </h2>
      <div role="alert" class="visually-hidden">
        {open > 0 ? `${t('moderate.alerts')}: ${open}` : ''}
      </div>
      {alerts.length === 0 && <p class="hint">{t('moderate.noAlerts')}</p>}
      <ul class="alert-list">
        {alerts.map(({ alert, acked }) => (
          <li key={alert.alertId} class={acked ? 'alert-item acked' : 'alert-item open'} data-alert={alert.alertId}>
            <div class="alert-head">
              <strong>{alert.message.author.pseudonym}</strong>
              <span>
                {t('moderate.alertIn', { room: store.roomTitle(alert.message.room), ago: ago(alert.createdAt, now) })}
              </span>
            </div>
            <blockquote class="quoted">{alert.message.text}</blockquote>
            <p class="hint">{t('moderate.rule', { rule: alert.rule ?? '', language: alert.language ?? '' })}</p>
            {acked ? (
              <p class="acked-by" role="status">
                {t('moderate.ackedBy', { name: acked.by.pseudonym, seconds: Math.round(acked.timeToAckMs / 1000) })}
              </p>
            ) : (
              <button
                type="button"
                class="primary"
                onClick={async () => {
                  await call(async () => {
                    await store.ackAlert(alert.alertId);
                  });
                }}
              >
                {t('moderate.ack')}
              </button>
            )}
          </li>
        ))}
      </ul>
      <Refusal reason={error} />
    </section>
  );
}

function Reports({ store }: { store: Store }) {
  const reports = [...store.moderation.reports.values()];
  return (
    <section class="card" aria-labelledby="reports-title">
      <h2 id="reports-title">{t('moderate.reports')}</h2>
      {reports.length === 0 && <p class="hint">{t('moderate.noReports')}</p>}
      <ul class="report-list">
        {reports.map((report) => (
          <Report key={report.reportId} store={store} report={report} />
        ))}
      </ul>
    </section>
  );
}

function Snapshot({ message, reported }: { message: ChatMessage; reported: boolean }) {
  return (
    <li class={reported ? 'snapshot reported' : 'snapshot'}>
      <span class="author">{message.author.pseudonym}</span> <time>{formatTime(message.ts)}</time>
      <p>{message.text}</p>
    </li>
  );
}

function Report({ store, report }: { store: Store; report: ReportInfo }) {
  const now = useNow(15_000);
  const [resolution, setResolution] = useState('');
  const [sanctioning, setSanctioning] = useState(false);
  const { error, call } = useAction();
  const message = report.message;
  const before = message ? report.context.filter((m) => m.seq < message.seq) : [];
  const after = message ? report.context.filter((m) => m.seq > message.seq) : report.context;
  return (
    <li class="report" data-report={report.reportId}>
      <p>
        <strong>
          {t('moderate.reportBy', {
            category: t(`report.${report.category}` as Key),
            name: report.reporter.pseudonym,
            ago: ago(report.createdAt, now),
          })}
        </strong>
      </p>
      {report.comment && <blockquote class="quoted">{report.comment}</blockquote>}
      {message && <p class="hint">{store.roomTitle(message.room)}</p>}
      <ol class="snapshots" aria-label={t('moderate.context')}>
        {before.map((m) => (
          <Snapshot key={m.id} message={m} reported={false} />
        ))}
        {message && <Snapshot message={message} reported />}
        {after.map((m) => (
          <Snapshot key={m.id} message={m} reported={false} />
        ))}
      </ol>
      <form
        class="stack"
        onSubmit={async (e) => {
          e.preventDefault();
          await call(async () => {
            await store.resolveReport(report.reportId, resolution.trim());
          });
        }}
      >
        <label for={`resolution-${report.reportId}`}>{t('moderate.resolution')}</label>
        <textarea
          id={`resolution-${report.reportId}`}
          required
          maxLength={500}
          value={resolution}
          onInput={(e) => setResolution((e.target as HTMLTextAreaElement).value)}
        />
        <div class="row-actions">
          <button type="submit" class="primary">
            {t('moderate.resolve')}
          </button>
          {message && (
            <button
              type="button"
              onClick={async () => {
                await call(async () => {
                  await store.client.deleteMessage(message.room, message.seq, resolution.trim() || report.category);
                });
              }}
            >
              {t('action.delete')}
            </button>
          )}
          <button type="button" aria-expanded={sanctioning} onClick={() => setSanctioning(!sanctioning)}>
            {t('moderate.sanctions')}
          </button>
        </div>
      </form>
      {sanctioning && <SanctionForm store={store} userId={report.reportedUserId} room={message?.room} />}
      <Refusal reason={error} />
    </li>
  );
}

function Held({ store }: { store: Store }) {
  const held = [...store.moderation.held.values()];
  const [notes, setNotes] = useState<Record<string, string>>({});
  const { error, call } = useAction();
  return (
    <section class="card" aria-labelledby="held-title">
      <h2 id="held-title">{t('moderate.held')}</h2>
      <p class="hint">{t('moderate.heldNote')}</p>
      {held.length === 0 && <p class="hint">{t('moderate.noHeld')}</p>}
      <ul class="held-list">
        {held.map((h) => (
          <li key={h.heldId} class="held" data-held={h.heldId}>
            <p>
              <strong>
                {t('moderate.heldBy', { name: h.author.pseudonym, room: store.roomTitle(h.room), rule: h.rule })}
              </strong>
            </p>
            <blockquote class="quoted">{h.text}</blockquote>
            {h.reviewed ? (
              <p role="status">{h.reviewed === 'approved' ? t('moderate.approved') : t('moderate.rejected')}</p>
            ) : (
              <>
                <label for={`held-note-${h.heldId}`}>{t('moderate.rejectNote')}</label>
                <input
                  id={`held-note-${h.heldId}`}
                  maxLength={500}
                  value={notes[h.heldId] ?? ''}
                  onInput={(e) => setNotes({ ...notes, [h.heldId]: (e.target as HTMLInputElement).value })}
                />
                <div class="row-actions">
                  <button type="button" class="primary" onClick={() => call(() => store.reviewHeld(h.heldId, true))}>
                    {t('moderate.approve')}
                  </button>
                  <button
                    type="button"
                    onClick={() => call(() => store.reviewHeld(h.heldId, false, notes[h.heldId]?.trim() || undefined))}
                  >
                    {t('moderate.reject')}
                  </button>
                </div>
              </>
            )}
          </li>
        ))}
      </ul>
      <Refusal reason={error} />
    </section>
  );
}

function Sanctions({ store }: { store: Store }) {
  const sanctions = [...store.moderation.sanctions.values()];
  return (
    <section class="card" aria-labelledby="sanctions-title">
      <h2 id="sanctions-title">{t('moderate.sanctions')}</h2>
      <div class="sanctions-layout">
        <SanctionForm store={store} />
        <div>
          <p class="hint">{t('moderate.sanctionsHere')}</p>
          <ul class="sanction-list">
            {sanctions.map((s) => (
              <li key={s.sanctionId}>
                <strong>{t(`moderate.kind.${s.kind}` as Key)}</strong> — {s.userId}
                {s.room && ` (${store.roomTitle(s.room)})`} — {s.reason}
                {s.until && ` — ${formatDateTime(s.until)}`}{' '}
                {s.lifted ? (
                  <em>{t('moderate.lifted')}</em>
                ) : (
                  s.kind !== 'warn' && (
                    <button type="button" onClick={() => void store.liftSanction(s.sanctionId).catch(() => undefined)}>
                      {t('moderate.lift')}
                    </button>
                  )
                )}
              </li>
            ))}
          </ul>
        </div>
      </div>
    </section>
  );
}

function Audit({ store }: { store: Store }) {
  useEffect(() => {
    void store.loadAudit().catch(() => undefined);
  }, []);
  const entries = store.moderation.audit;
  return (
    <section class="card" aria-labelledby="audit-title">
      <div class="screen-head">
        <h2 id="audit-title">{t('moderate.audit')}</h2>
        <button type="button" onClick={() => void store.loadAudit()}>
          {t('moderate.refresh')}
        </button>
      </div>
      {entries.length === 0 ? (
        <p class="hint">{t('moderate.auditEmpty')}</p>
      ) : (
        <div class="table-wrap" tabIndex={0} role="region" aria-labelledby="audit-title">
          <table class="table">
            <thead>
              <tr>
                <th scope="col">{t('moderate.audit.when')}</th>
                <th scope="col">{t('moderate.audit.who')}</th>
                <th scope="col">{t('moderate.audit.action')}</th>
                <th scope="col">{t('moderate.audit.target')}</th>
                <th scope="col">{t('moderate.audit.room')}</th>
                <th scope="col">{t('moderate.audit.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry, index) => (
                <tr key={`${entry.at}-${index}`}>
                  <td>{formatDateTime(entry.at)}</td>
                  <td>{entry.actor?.pseudonym ?? '—'}</td>
                  <td>{entry.action}</td>
                  <td>{entry.target?.pseudonym ?? ''}</td>
                  <td>{entry.room ? store.roomTitle(entry.room) : ''}</td>
                  <td>{entry.reason ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
