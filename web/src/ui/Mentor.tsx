import type { SessionStarted, SupportOffer } from '@kindred/client';
import { useState } from 'preact/hooks';
import { useAction, useNow, useStore } from '../hooks';
import { t } from '../i18n';
import type { Store } from '../store';
import { Chat } from './Chat';
import { Dialog } from './Dialog';
import { conditions, SUPPORT_LANGUAGES } from './Support';
import { TextField } from './TextField';
import { Refusal } from './Refusal';

/**
 * A mentor's desk: availability (conditions, languages, capacity), the offers with the time left to answer, and
 * every open conversation side by side, each with hand-off and a private note for moderators.
 */
export function Mentor() {
  const store = useStore();
  const sessions = [...store.mentor.sessions.values()];
  return (
    <div class="screen mentor-screen">
      <h1>{t('mentor.title')}</h1>
      <div class="mentor-top">
        <Availability store={store} />
        <section class="card offers" aria-labelledby="offers-title" aria-live="polite">
          <h2 id="offers-title">{t('mentor.offers')}</h2>
          {store.mentor.offers.size === 0 && <p class="hint">{t('mentor.noOffers')}</p>}
          <ul class="offer-list">
            {[...store.mentor.offers.values()].map((offer) => (
              <Offer key={offer.requestId} store={store} offer={offer} />
            ))}
          </ul>
        </section>
      </div>
      <section aria-labelledby="sessions-title">
        <h2 id="sessions-title">{t('mentor.sessions')}</h2>
        {sessions.length === 0 && <p class="hint">{t('mentor.noSessions')}</p>}
        <div class="session-grid">
          {sessions.map((entry) => (
            <MentorSession key={entry.session.sessionId} store={store} session={entry.session} />
          ))}
        </div>
      </section>
    </div>
  );
}

function Availability({ store }: { store: Store }) {
  const current = store.mentor.availability;
  const options = conditions(store);
  const [chosen, setChosen] = useState<string[]>(current?.conditions ?? []);
  const [languages, setLanguages] = useState<string[]>(current?.languages ?? ['en']);
  const [capacity, setCapacity] = useState(current?.capacity ?? 3);
  const [available, setAvailable] = useState(current?.available ?? true);
  const { error, call } = useAction();
  const toggle = (list: string[], value: string) =>
    list.includes(value) ? list.filter((v) => v !== value) : [...list, value];

  return (
    <form
      class="card stack availability"
      aria-labelledby="availability-title"
      onSubmit={async (e) => {
        e.preventDefault();
        await call(async () => {
          await store.setAvailability(available, chosen, languages, capacity);
        });
      }}
    >
      <h2 id="availability-title">{t('mentor.availability')}</h2>
      {current && (
        <p role="status" data-testid="availability">
          {t('mentor.status', {
            state: t(current.available ? 'mentor.state.on' : 'mentor.state.off'),
            active: current.activeSessions,
            capacity: current.capacity,
          })}
        </p>
      )}
      <label class="choice">
        <input type="checkbox" checked={available} onChange={() => setAvailable(!available)} />
        {t('mentor.available')}
      </label>
      <fieldset>
        <legend>{t('mentor.conditions')}</legend>
        <div class="choices">
          {options.map((option) => (
            <label key={option.id} class="choice">
              <input
                type="checkbox"
                value={option.id}
                checked={chosen.includes(option.id)}
                onChange={() => setChosen(toggle(chosen, option.id))}
              />
              {option.title}
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset>
        <legend>{t('mentor.languages')}</legend>
        <div class="choices">
          {Object.entries(SUPPORT_LANGUAGES).map(([code, name]) => (
            <label key={code} class="choice" lang={code}>
              <input
                type="checkbox"
                value={code}
                checked={languages.includes(code)}
                onChange={() => setLanguages(toggle(languages, code))}
              />
              {name}
            </label>
          ))}
        </div>
      </fieldset>
      <label for="capacity">{t('mentor.capacity')}</label>
      <input
        id="capacity"
        type="number"
        min={1}
        max={5}
        value={capacity}
        onInput={(e) => setCapacity(Number((e.target as HTMLInputElement).value) || 1)}
      />
      <Refusal reason={error} />
      <button type="submit" class="primary" disabled={available && (chosen.length === 0 || languages.length === 0)}>
        {t('mentor.save')}
      </button>
    </form>
  );
}

function Offer({ store, offer }: { store: Store; offer: SupportOffer }) {
  const now = useNow(1000);
  const { error, call: act } = useAction();
  const left = Math.max(0, Math.ceil((offer.expiresAt - now) / 1000));
  return (
    <li class="offer" data-request={offer.requestId}>
      <p>
        <strong>
          {t('mentor.offer', {
            name: offer.member.pseudonym,
            condition: store.roomTitle(offer.condition),
            language: SUPPORT_LANGUAGES[offer.language] ?? offer.language,
          })}
        </strong>
      </p>
      {offer.note && <blockquote class="quoted">{offer.note}</blockquote>}
      {offer.sessionId && <p class="hint">{t('mentor.continues')}</p>}
      <p class="countdown" role="timer" aria-live="off">
        {t('mentor.timeLeft', { seconds: left })}
      </p>
      <div class="row-actions">
        <button type="button" class="primary" onClick={() => act(() => store.acceptOffer(offer.requestId))}>
          {t('mentor.accept')}
        </button>
        <button type="button" onClick={() => act(() => store.declineOffer(offer.requestId))}>
          {t('mentor.decline')}
        </button>
      </div>
      <Refusal reason={error} />
    </li>
  );
}

function MentorSession({ store, session }: { store: Store; session: SessionStarted }) {
  const entry = store.mentor.sessions.get(session.sessionId);
  const [dialog, setDialog] = useState<'handoff' | 'note' | undefined>();
  const [text, setText] = useState('');
  const [to, setTo] = useState('');
  const [status, setStatus] = useState('');
  const { error, call } = useAction();
  const ended = entry?.ended;
  const act = (work: () => Promise<void>, done: string) =>
    call(async () => {
      await work();
      setStatus(done);
      setDialog(undefined);
      setText('');
    });
  return (
    <div class="session-panel">
      <Chat
        room={session.sessionId}
        compact
        title={`${session.member.pseudonym} · ${store.roomTitle(session.condition)}`}
        writable={ended === undefined}
        header={
          <div class="session-bar">
            {ended !== undefined && (
              <p class="hint" role="status">
                {ended === 'handed_off' ? t('mentor.handedOff') : t('mentor.ended')}
              </p>
            )}
            {entry?.handoff && <p class="hint">{t(`mentor.handoff.${entry.handoff}`)}</p>}
            <div class="row-actions">
              {ended === undefined && (
                <button
                  type="button"
                  class="danger"
                  onClick={() => act(() => store.client.endSession(session.sessionId), t('mentor.ended'))}
                >
                  {t('support.end')}
                </button>
              )}
              {ended === undefined && (
                <button type="button" onClick={() => setDialog('handoff')}>
                  {t('mentor.handoff')}
                </button>
              )}
              <button type="button" onClick={() => setDialog('note')}>
                {t('mentor.note')}
              </button>
            </div>
            {status && <p role="status">{status}</p>}
            <Refusal reason={error} />
          </div>
        }
      />
      {dialog === 'handoff' && (
        <Dialog title={t('mentor.handoff')} onClose={() => setDialog(undefined)}>
          <form
            class="stack"
            onSubmit={(e) => {
              e.preventDefault();
              void act(async () => {
                await store.client.proposeHandoff(session.sessionId, {
                  toMentorId: to.trim() || undefined,
                  reason: text.trim() || undefined,
                });
                if (entry) entry.handoff = 'proposed';
              }, t('mentor.handoff.proposed'));
            }}
          >
            <label for="handoff-to">{t('mentor.handoffTo')}</label>
            <input id="handoff-to" value={to} onInput={(e) => setTo((e.target as HTMLInputElement).value)} />
            <TextField id="handoff-reason" label={t('mentor.handoffReason')} value={text} onInput={setText} />
            <button type="submit" class="primary">
              {t('mentor.handoffSend')}
            </button>
          </form>
        </Dialog>
      )}
      {dialog === 'note' && (
        <Dialog title={t('mentor.note')} onClose={() => setDialog(undefined)}>
          <form
            class="stack"
            onSubmit={(e) => {
              e.preventDefault();
              void act(() => store.client.mentorNote(session.sessionId, text.trim()), t('mentor.noteSaved'));
            }}
          >
            <TextField id="mentor-note" label={t('mentor.noteLabel')} required value={text} onInput={setText} />
            <button type="submit" class="primary">
              {t('mentor.noteSend')}
            </button>
          </form>
        </Dialog>
      )}
    </div>
  );
}
