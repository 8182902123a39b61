import type { ChatMessage, ReportInfo } from '@kindred/client';
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { AppConfig } from '../config';
import { useAction, useNow, useStore } from '../hooks';
import { ago, formatDateTime, formatTime, t, type Key } from '../i18n';
import type { Queue, Store } from '../store';
import { Charts } from './Charts';
import { ManageRooms } from './ManageRooms';
import { SanctionForm } from './Chat';
import { Refusal } from './Refusal';

/**
 * The moderator console: live crisis alerts at the top (time since raised, one-click acknowledge, who took it),
 * reports with their snapshot and context, held messages, sanctions, the rooms made at run time, the audit log, and
 * this node's live figures. Alerts and reports are read at once; the other queues when the moderator opens them.
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
      <Appeals store={store} />
      <div class="moderate-grid">
        <Notes store={store} />
        <Ratings store={store} />
      </div>
      <History store={store} />
      <ManageRooms store={store} />
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
          <li
            key={alert.alertId}
            class={acked ? 'alert-item acked' : 'alert-item open'}
            data-alert={alert.alertId}
            data-escalation={alert.escalation ?? 0}
          >
            <div class="alert-head">
              <strong>{alert.message.author.pseudonym}</strong>
              {(alert.escalation ?? 0) > 0 && (
                <span class="escalated">{t('moderate.escalated', { level: alert.escalation ?? 0 })}</span>
              )}
              <span>
                {t('moderate.alertIn', { room: store.roomTitle(alert.message.room), ago: ago(alert.createdAt, now) })}
              </span>
            </div>
            <blockquote class="quoted">{alert.message.text}</blockquote>
            <p class="hint">{t('moderate.rule', { rule: alert.rule ?? '', language: alert.language ?? '' })}</p>
            {acked ? (
              <>
                <p class="acked-by" role="status">
                  {t('moderate.ackedBy', { name: acked.by.pseudonym, seconds: Math.round(acked.timeToAckMs / 1000) })}
                </p>
                {acked.by.id === store.me?.id && <CheckIn store={store} alertId={alert.alertId} />}
              </>
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
      <OnDemand store={store} queue="held" title={t('moderate.held')}>
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
                      onClick={() =>
                        call(() => store.reviewHeld(h.heldId, false, notes[h.heldId]?.trim() || undefined))
                      }
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
      </OnDemand>
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
          <OnDemand store={store} queue="sanctions" title={t('moderate.sanctions')}>
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
                      <button
                        type="button"
                        onClick={() => void store.liftSanction(s.sanctionId).catch(() => undefined)}
                      >
                        {t('moderate.lift')}
                      </button>
                    )
                  )}
                </li>
              ))}
            </ul>
            <More store={store} queue="sanctions" />
          </OnDemand>
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

/** After taking an alert, the moderator may offer its author a private conversation; the member may decline. */
function CheckIn({ store, alertId }: { store: Store; alertId: string }) {
  const { error, call } = useAction();
  const sent = store.moderation.checkIns.get(alertId);
  return (
    <div class="check-in">
      {sent ? (
        <p role="status">{sent.answer === 'declined' ? t('checkIn.wasDeclined') : t('checkIn.sent')}</p>
      ) : (
        <button type="button" onClick={() => call(() => store.checkIn(alertId))}>
          {t('checkIn.offer')}
        </button>
      )}
      <Refusal reason={error} />
    </div>
  );
}

/**
 * A queue read only when the moderator opens it: each read is written to the audit log (`queue_read`), so merely
 * visiting the console must not read every queue.
 */
function OnDemand({
  store,
  queue,
  title,
  children,
}: {
  store: Store;
  queue: Queue;
  title: string;
  children: ComponentChildren;
}) {
  const [open, setOpen] = useState(false);
  const { error, call } = useAction();
  if (!open) {
    return (
      <>
        <p class="hint">{t('moderate.openHint')}</p>
        <button
          type="button"
          aria-label={`${t('moderate.open')} — ${title}`}
          onClick={() => {
            setOpen(true);
            void call(() => store.loadQueue(queue));
          }}
        >
          {t('moderate.open')}
        </button>
        <Refusal reason={error} />
      </>
    );
  }
  return (
    <>
      {children}
      <Refusal reason={error} />
    </>
  );
}

/** The next page of a queue, while there is one. */
function More({ store, queue }: { store: Store; queue: Queue }) {
  const { error, call } = useAction();
  if (store.moderation.more[queue] === undefined) return null;
  return (
    <>
      <button type="button" onClick={() => call(() => store.loadQueue(queue, true))}>
        {t('moderate.more')}
      </button>
      <Refusal reason={error} />
    </>
  );
}

function Appeals({ store }: { store: Store }) {
  const appeals = [...store.moderation.appeals.values()];
  const [notes, setNotes] = useState<Record<string, string>>({});
  const { error, call } = useAction();
  return (
    <section class="card" aria-labelledby="appeals-title">
      <h2 id="appeals-title">{t('moderate.appeals')}</h2>
      <OnDemand store={store} queue="appeals" title={t('moderate.appeals')}>
        {appeals.length === 0 && <p class="hint">{t('moderate.noAppeals')}</p>}
        <ul class="appeal-list">
          {appeals.map((a) => (
            <li key={a.appealId} class="appeal" data-appeal={a.appealId}>
              <p>
                <strong>
                  {a.sanction.userId} — {t(`moderate.kind.${a.sanction.kind}` as Key)}
                </strong>{' '}
                — {a.sanction.reason}
              </p>
              <blockquote class="quoted">{a.text}</blockquote>
              {a.decided ? (
                <p role="status">{a.decided === 'lifted' ? t('moderate.appealLifted') : t('moderate.appealUpheld')}</p>
              ) : (
                <>
                  <label for={`appeal-note-${a.appealId}`}>{t('moderate.appealNote')}</label>
                  <input
                    id={`appeal-note-${a.appealId}`}
                    maxLength={500}
                    value={notes[a.appealId] ?? ''}
                    onInput={(e) => setNotes({ ...notes, [a.appealId]: (e.target as HTMLInputElement).value })}
                  />
                  <div class="row-actions">
                    <button
                      type="button"
                      class="primary"
                      onClick={() =>
                        call(() => store.decideAppeal(a.appealId, true, notes[a.appealId]?.trim() || undefined))
                      }
                    >
                      {t('moderate.liftOnAppeal')}
                    </button>
                    <button
                      type="button"
                      onClick={() =>
                        call(() => store.decideAppeal(a.appealId, false, notes[a.appealId]?.trim() || undefined))
                      }
                    >
                      {t('moderate.uphold')}
                    </button>
                  </div>
                </>
              )}
            </li>
          ))}
        </ul>
        <More store={store} queue="appeals" />
      </OnDemand>
      <Refusal reason={error} />
    </section>
  );
}

function Notes({ store }: { store: Store }) {
  const notes = store.moderation.notes;
  return (
    <section class="card" aria-labelledby="notes-title">
      <h2 id="notes-title">{t('moderate.notes')}</h2>
      <OnDemand store={store} queue="notes" title={t('moderate.notes')}>
        {notes.length === 0 && <p class="hint">{t('moderate.noNotes')}</p>}
        <ul class="note-list">
          {notes.map((n, index) => (
            <li key={`${n.sessionId}-${index}`}>
              <p class="hint">{t('moderate.noteBy', { mentor: n.mentorId, when: formatDateTime(n.writtenAt) })}</p>
              <blockquote class="quoted">{n.note}</blockquote>
            </li>
          ))}
        </ul>
        <More store={store} queue="notes" />
      </OnDemand>
    </section>
  );
}

function Ratings({ store }: { store: Store }) {
  const ratings = store.moderation.ratings;
  return (
    <section class="card" aria-labelledby="ratings-title">
      <h2 id="ratings-title">{t('moderate.ratings')}</h2>
      <OnDemand store={store} queue="ratings" title={t('moderate.ratings')}>
        {ratings.length === 0 && <p class="hint">{t('moderate.noRatings')}</p>}
        <ul class="rating-list">
          {ratings.map((r) => (
            <li key={r.sessionId}>
              <strong>{t('moderate.rating', { rating: r.rating })}</strong> —{' '}
              {t('moderate.ratingOf', { mentors: r.mentorIds.join(', '), when: formatDateTime(r.endedAt) })}
              {r.comment && <blockquote class="quoted">{r.comment}</blockquote>}
            </li>
          ))}
        </ul>
        <More store={store} queue="ratings" />
      </OnDemand>
    </section>
  );
}

function History({ store }: { store: Store }) {
  const [userId, setUserId] = useState('');
  const { error, call } = useAction();
  const history = store.moderation.history;
  return (
    <section class="card" aria-labelledby="history-title">
      <h2 id="history-title">{t('moderate.history')}</h2>
      <form
        class="row-actions"
        onSubmit={async (e) => {
          e.preventDefault();
          await call(() => store.loadHistory(userId.trim()));
        }}
      >
        <label for="history-user">{t('moderate.historyUser')}</label>
        <input
          id="history-user"
          required
          value={userId}
          onInput={(e) => setUserId((e.target as HTMLInputElement).value)}
        />
        <button type="submit">{t('moderate.historyShow')}</button>
      </form>
      <Refusal reason={error} />
      {history && (
        <>
          {history.entries.length === 0 && <p class="hint">{t('moderate.auditEmpty')}</p>}
          <ul class="history-list">
            {history.entries.map((entry, index) => (
              <li key={`${entry.at}-${index}`}>
                {formatDateTime(entry.at)} — {entry.action}
                {entry.actor && ` — ${entry.actor.pseudonym}`}
                {entry.reason && ` — ${entry.reason}`}
              </li>
            ))}
          </ul>
          {history.next !== undefined && (
            <button type="button" onClick={() => call(() => store.loadHistory(history.userId, true))}>
              {t('moderate.more')}
            </button>
          )}
        </>
      )}
    </section>
  );
}
