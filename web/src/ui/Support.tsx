import type { SessionStarted } from '@kindred/client';
import { useState } from 'preact/hooks';
import { href, useAction, useStore } from '../hooks';
import { duration, LANGUAGES, language, t, type Key } from '../i18n';
import type { Store } from '../store';
import { Chat } from './Chat';
import { TextField } from './TextField';
import { Refusal } from './Refusal';

/** The languages a member may ask to talk in; the UI's own languages first. */
export const SUPPORT_LANGUAGES: Record<string, string> = {
  ...LANGUAGES,
  es: 'Español',
  de: 'Deutsch',
};

/** The conditions one can ask about: the rooms tagged `condition` (their ids), or every room when none is. */
export function conditions(store: Store): { id: string; title: string }[] {
  const tagged = store.rooms.filter((room) => room.tags.includes('condition'));
  return (tagged.length > 0 ? tagged : store.rooms).map((room) => ({ id: room.id, title: room.title }));
}

/**
 * A member's one-to-one support: ask (condition, language, note), wait with the live queue position and estimated
 * wait, talk privately, end, give feedback.
 */
export function Support() {
  const store = useStore();
  const sessions = [...store.support.sessions.values()];
  const active = sessions.find((entry) => entry.ended === undefined);
  const toRate = sessions.find((entry) => entry.ended !== undefined && !entry.rated);

  return (
    <div class="screen support-screen">
      <h1>{t('support.title')}</h1>
      {active ? (
        <MemberSession store={store} session={active.session} />
      ) : (
        <>
          {toRate && <Feedback store={store} session={toRate.session} reason={toRate.ended ?? 'ended'} />}
          {store.support.request ? <Queue store={store} /> : !toRate && <RequestForm store={store} />}
        </>
      )}
    </div>
  );
}

function RequestForm({ store }: { store: Store }) {
  const options = conditions(store);
  const [condition, setCondition] = useState(options[0]?.id ?? '');
  const [lang, setLang] = useState<string>(language());
  const [note, setNote] = useState('');
  const { error, call } = useAction();
  const [busy, setBusy] = useState(false);

  return (
    <form
      class="stack card"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        await call(() => store.requestSupport(condition || (options[0]?.id ?? ''), lang, note));
        setBusy(false);
      }}
    >
      <p>{t('support.intro')}</p>
      <label for="support-condition">{t('support.condition')}</label>
      <select
        id="support-condition"
        value={condition}
        onChange={(e) => setCondition((e.target as HTMLSelectElement).value)}
      >
        {options.map((option) => (
          <option key={option.id} value={option.id}>
            {option.title}
          </option>
        ))}
      </select>
      <label for="support-language">{t('support.language')}</label>
      <select id="support-language" value={lang} onChange={(e) => setLang((e.target as HTMLSelectElement).value)}>
        {Object.entries(SUPPORT_LANGUAGES).map(([code, name]) => (
          <option key={code} value={code} lang={code}>
            {name}
          </option>
        ))}
      </select>
      <label for="support-note">{t('support.note')}</label>
      <textarea
        id="support-note"
        maxLength={500}
        aria-describedby="support-note-hint"
        value={note}
        onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)}
      />
      <p id="support-note-hint" class="hint">
        {t('support.noteHint')}
      </p>
      <Refusal reason={error} />
      <button type="submit" class="primary" disabled={busy || options.length === 0}>
        {t('support.submit')}
      </button>
    </form>
  );
}

function Queue({ store }: { store: Store }) {
  const request = store.support.request;
  const unavailable = store.support.unavailable;
  if (!request) return null;
  return (
    <div class="stack">
      <section class="card queue" aria-live="polite" data-testid="queue">
        <p class="big">{t('support.queued', { position: request.position })}</p>
        <p>{t('support.wait', { wait: duration(request.estimatedWaitSeconds) })}</p>
        {request.offered && <p class="hint">{t('support.offered')}</p>}
        <button type="button" onClick={() => void store.cancelSupport()}>
          {t('support.cancel')}
        </button>
      </section>
      {unavailable && (
        <section class="card unavailable" role="region" aria-labelledby="unavailable-title">
          <h2 id="unavailable-title">{t('support.unavailable')}</h2>
          <p>{unavailable.message}</p>
          {unavailable.rooms.length > 0 && (
            <>
              <h3>{t('support.openRooms')}</h3>
              <ul>
                {unavailable.rooms.map((room) => (
                  <li key={room}>
                    <a href={href('room', room)}>{store.roomTitle(room)}</a>
                  </li>
                ))}
              </ul>
            </>
          )}
          <h3>{t('crisis.resources')}</h3>
          <ul class="resources">
            {unavailable.resources.map((resource) => (
              <li key={resource.name}>
                <strong>{resource.name}</strong> <span class="contact">{resource.contact}</span>
                {resource.description && <span class="hint">{resource.description}</span>}
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

function MemberSession({ store, session }: { store: Store; session: SessionStarted }) {
  const entry = store.support.sessions.get(session.sessionId);
  const handoff = entry?.handoff;
  const { error, call: act } = useAction();
  return (
    <div class="stack">
      <Chat
        room={session.sessionId}
        title={t('support.session', { name: session.mentor.pseudonym })}
        header={
          <div class="session-bar">
            <p class="hint">
              {t('support.sessionWith', {
                name: session.mentor.pseudonym,
                role: t(`role.${session.mentor.role}` as Key),
              })}
            </p>
            <button
              type="button"
              class="danger"
              onClick={() => {
                if (window.confirm(t('support.endConfirm'))) void act(() => store.client.endSession(session.sessionId));
              }}
            >
              {t('support.end')}
            </button>
          </div>
        }
      />
      {handoff && (
        <section class="card handoff" role="alert">
          <p>
            {t('support.handoff', {
              from: handoff.from.pseudonym,
              to: handoff.to?.pseudonym ?? t('support.handoffNext'),
            })}
          </p>
          {handoff.reason && <p>{t('support.handoffReason', { reason: handoff.reason })}</p>}
          <div class="row-actions">
            <button
              type="button"
              class="primary"
              onClick={() =>
                act(async () => {
                  await store.client.answerHandoff(session.sessionId, true);
                  if (entry) entry.handoff = undefined;
                  store.changed();
                })
              }
            >
              {t('support.handoffYes')}
            </button>
            <button
              type="button"
              onClick={() =>
                act(async () => {
                  await store.client.answerHandoff(session.sessionId, false);
                  if (entry) entry.handoff = undefined;
                  store.changed();
                })
              }
            >
              {t('support.handoffNo')}
            </button>
          </div>
        </section>
      )}
      <Refusal reason={error} />
    </div>
  );
}

function Feedback({ store, session, reason }: { store: Store; session: SessionStarted; reason: string }) {
  const [rating, setRating] = useState(0);
  const [comment, setComment] = useState('');
  const { error, call } = useAction();
  const [deleted, setDeleted] = useState(false);
  const entry = store.support.sessions.get(session.sessionId);
  return (
    <section class="card feedback" aria-labelledby="feedback-title">
      <p role="status">{reason === 'expired' ? t('support.endedExpired') : t('support.ended')}</p>
      <h2 id="feedback-title">{t('support.feedback')}</h2>
      <form
        class="stack"
        onSubmit={async (e) => {
          e.preventDefault();
          await call(async () => {
            await store.client.rateSession(session.sessionId, rating, comment.trim() || undefined);
            if (entry) entry.rated = true;
            store.notify('group', t('support.thanks'));
          });
        }}
      >
        <fieldset>
          <legend>{t('support.rating')}</legend>
          <div class="choices rating">
            {[1, 2, 3, 4, 5].map((n) => (
              <label key={n} class="choice">
                <input type="radio" name="rating" value={n} checked={rating === n} onChange={() => setRating(n)} />
                {t(`support.rating${n}` as Key)}
              </label>
            ))}
          </div>
        </fieldset>
        <TextField id="feedback-comment" label={t('support.comment')} value={comment} onInput={setComment} />
        <button type="submit" class="primary" disabled={rating === 0}>
          {t('support.rate')}
        </button>
      </form>
      <button
        type="button"
        class="link"
        disabled={deleted}
        onClick={async () => {
          await store.client.deleteTranscript(session.sessionId).catch(() => undefined);
          setDeleted(true);
        }}
      >
        {deleted ? t('support.transcriptDeleted') : t('support.deleteTranscript')}
      </button>
      <Refusal reason={error} />
    </section>
  );
}
