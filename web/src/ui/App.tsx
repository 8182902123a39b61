import { useEffect, useRef, useState } from 'preact/hooks';
import type { AppConfig } from '../config';
import { href, useAction, useRoute, useStore } from '../hooks';
import { formatDateTime, t, type Key } from '../i18n';
import type { Notice, Store } from '../store';
import { Dialog } from './Dialog';
import { Refusal } from './Refusal';
import { Facilitate } from './Facilitate';
import { Groups, Meeting } from './Groups';
import { LanguageSelect } from './LanguageSelect';
import { Mentor } from './Mentor';
import { Moderate } from './Moderate';
import { PublicRoom, Rooms } from './Rooms';
import { Support } from './Support';

/** The frame of every screen: header with the connection state, navigation by role, notices, the screen. */
export function App({ config, onSignOut }: { config: AppConfig; onSignOut: () => void }) {
  const store = useStore();
  const route = useRoute();
  const [menuOpen, setMenuOpen] = useState(false);
  const [, setLanguageVersion] = useState(0);
  const me = store.me;

  useEffect(() => setMenuOpen(false), [route.join('/')]);

  const links: [string, Key, boolean][] = [
    [href('rooms'), 'nav.rooms', true],
    [href('support'), 'nav.support', true],
    [href('groups'), 'nav.groups', true],
    [href('mentor'), 'nav.mentor', store.hasRole('mentor')],
    [href('facilitate'), 'nav.facilitate', store.hasRole('facilitator') || store.hasRole('moderator')],
    [href('moderate'), 'nav.moderate', store.hasRole('moderator')],
  ];
  const current = `#/${route[0] ?? 'rooms'}`;

  return (
    <div class="shell">
      <a class="skip" href="#main" onClick={(e) => skipToMain(e)}>
        {t('skip.main')}
      </a>
      <header class="topbar">
        <a class="brand" href={href('rooms')}>
          <span class="logo" aria-hidden="true" />
          {t('app.name')}
        </a>
        <ConnectionStatus store={store} />
        <div class="topbar-end">
          <CrisisSupport store={store} />
          <CheckInOffer store={store} />
          <LanguageSelect onChange={() => setLanguageVersion((v) => v + 1)} />
          <button
            type="button"
            class="menu-toggle"
            aria-expanded={menuOpen}
            aria-controls="nav"
            onClick={() => setMenuOpen(!menuOpen)}
          >
            {t('nav.menu')}
          </button>
        </div>
      </header>
      <div class="layout">
        <nav id="nav" class={menuOpen ? 'nav open' : 'nav'} aria-label={t('nav.label')}>
          <ul>
            {links
              .filter(([, , shown]) => shown)
              .map(([link, label]) => (
                <li key={link}>
                  <a
                    href={link}
                    aria-current={current === link || (link === '#/rooms' && current === '#/room') ? 'page' : undefined}
                  >
                    {t(label)}
                  </a>
                </li>
              ))}
          </ul>
          {me && <p class="whoami">{t('nav.signedInAs', { name: me.pseudonym, role: t(`role.${me.role}` as Key) })}</p>}
          <button type="button" class="link" onClick={onSignOut}>
            {t('nav.signOut')}
          </button>
        </nav>
        <main id="main" tabIndex={-1}>
          <Notices store={store} />
          <Screen route={route} config={config} />
        </main>
      </div>
    </div>
  );
}

function skipToMain(event: Event): void {
  event.preventDefault();
  document.getElementById('main')?.focus();
}

function Screen({ route, config }: { route: string[]; config: AppConfig }) {
  const [screen, id] = route;
  switch (screen) {
    case 'room':
      return id ? <PublicRoom room={id} /> : <Rooms />;
    case 'support':
      return <Support />;
    case 'groups':
      return <Groups />;
    case 'meeting':
      return id ? <Meeting groupId={id} /> : <Groups />;
    case 'mentor':
      return <Mentor />;
    case 'facilitate':
      return <Facilitate />;
    case 'moderate':
      return <Moderate config={config} />;
    default:
      return <Rooms />;
  }
}

/** Always visible: connected, reconnecting or offline, announced politely when it changes. */
function ConnectionStatus({ store }: { store: Store }) {
  const state = store.connection;
  return (
    <p class={`conn conn-${state}`} role="status" aria-live="polite" data-connection={state}>
      <span class="dot" aria-hidden="true" />
      <span class="visually-hidden">{t('conn.label')}: </span>
      {t(`conn.${state}` as Key)}
      {state !== 'connected' && <span class="conn-kept">{t('conn.kept')}</span>}
    </p>
  );
}

/** Sanctions, removals, reminders and rejections, announced as they arrive. */
function Notices({ store }: { store: Store }) {
  if (store.notices.length === 0) {
    return <div role="status" aria-live="polite" class="visually-hidden" />;
  }
  return (
    <div class="notices" role="status" aria-live="polite">
      {store.notices.map((notice) => (
        <div key={notice.id} class={`notice notice-${notice.kind}`}>
          <p>{noticeText(store, notice)}</p>
          {notice.kind === 'sanction' && <AppealForm store={store} notice={notice} />}
          {notice.kind === 'reminder' && notice.room && (
            <a class="button" href={groupLink(store, notice.room)}>
              {t('notice.join')}
            </a>
          )}
          <button type="button" class="link" onClick={() => store.dismiss(notice.id)}>
            {t('notice.dismiss')}
          </button>
        </div>
      ))}
    </div>
  );
}

/** A sanctioned member may appeal it once, saying why; the decision arrives as a notice. */
function AppealForm({ store, notice }: { store: Store; notice: Notice }) {
  const sanction = JSON.parse(notice.text) as { sanctionId: string };
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const { error, call } = useAction();
  if (!open) {
    return (
      <button type="button" onClick={() => setOpen(true)}>
        {t('appeal.open')}
      </button>
    );
  }
  return (
    <form
      class="stack"
      onSubmit={async (e) => {
        e.preventDefault();
        await call(async () => {
          await store.appeal(sanction.sanctionId, text.trim());
          setOpen(false);
        });
      }}
    >
      <label for={`appeal-${notice.id}`}>{t('appeal.why')}</label>
      <textarea
        id={`appeal-${notice.id}`}
        required
        maxLength={2000}
        value={text}
        onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
      />
      <button type="submit" class="primary">
        {t('appeal.send')}
      </button>
      <Refusal reason={error} />
    </form>
  );
}

/** A moderator's offer to talk privately after something the member wrote: yes or no, both fine. */
function CheckInOffer({ store }: { store: Store }) {
  const offer = store.checkInOffer;
  const { error, call } = useAction();
  if (offer === undefined) return null;
  return (
    <Dialog title={t('checkIn.title')} onClose={() => void call(() => store.answerCheckIn(false))}>
      <div class="check-in-offer" data-testid="check-in-offer">
        <p>{offer.message}</p>
        <div class="row-actions">
          <button type="button" class="primary" onClick={() => call(() => store.answerCheckIn(true))}>
            {t('checkIn.accept')}
          </button>
          <button type="button" onClick={() => call(() => store.answerCheckIn(false))}>
            {t('checkIn.decline')}
          </button>
        </div>
        <Refusal reason={error} />
      </div>
    </Dialog>
  );
}

function groupLink(store: Store, room: string): string {
  const group = store.groups.find((g) => g.room === room);
  return group ? href('meeting', group.groupId) : href('groups');
}

function noticeText(store: Store, notice: Notice): string {
  switch (notice.kind) {
    case 'sanction': {
      const sanction = JSON.parse(notice.text) as { kind: string; reason: string; room?: string; until?: number };
      const until =
        sanction.until === undefined
          ? t('notice.untilLifted')
          : t('notice.until', { until: formatDateTime(sanction.until) });
      return t(`notice.sanction.${sanction.kind}` as Key, {
        reason: sanction.reason,
        room: sanction.room ? store.roomTitle(sanction.room) : '',
        until: sanction.kind === 'timeout' && sanction.until ? formatDateTime(sanction.until) : until,
      });
    }
    case 'lifted':
      return t('notice.lifted', { kind: t(`moderate.kind.${notice.text}` as Key) });
    case 'removed': {
      const removed = JSON.parse(notice.text) as { reason: string; banned: boolean };
      return t(removed.banned ? 'meeting.removedBanned' : 'meeting.removed', { reason: removed.reason });
    }
    case 'reminder':
      return t('groups.reminder', { title: notice.text });
    case 'rejected':
      return t('notice.rejected', { reason: notice.text });
    case 'appealSent':
      return t('appeal.sent');
    case 'appealDecided': {
      const decided = JSON.parse(notice.text) as { outcome: string; note: string };
      return t(decided.outcome === 'lifted' ? 'appeal.lifted' : 'appeal.upheld', { note: decided.note });
    }
    case 'checkInDeclined':
      return t('checkIn.declined', { name: notice.text });
    case 'group': {
      if (!notice.text.startsWith('{')) return notice.text;
      const change = JSON.parse(notice.text) as { change: string; title: string; reason?: string };
      return t(`notice.group.${change.change}` as Key, { title: change.title, reason: change.reason ?? '' });
    }
    default:
      return notice.text;
  }
}

/**
 * The moment the server sends `crisis_support`, a modal shows the author where to get help now, in its language; the
 * resources stay one click away in the header afterwards.
 */
function CrisisSupport({ store }: { store: Store }) {
  const crisis = store.crisis;
  const [open, setOpen] = useState(false);
  const seen = useRef<typeof crisis>(undefined);
  useEffect(() => {
    if (crisis !== undefined && seen.current !== crisis) {
      seen.current = crisis;
      setOpen(true);
    }
  }, [crisis]);
  if (crisis === undefined) return null;
  return (
    <>
      <button type="button" class="crisis-reopen" onClick={() => setOpen(true)}>
        {t('crisis.resources')}
      </button>
      {open && (
        <Dialog title={t('crisis.title')} onClose={() => setOpen(false)} role="alertdialog">
          <div class="crisis" data-testid="crisis-support">
            <p class="crisis-message">{crisis.message}</p>
            {crisis.told.length > 0 && (
              <p class="crisis-told" data-testid="crisis-told">
                {t('crisis.told', { who: crisis.told.map((who) => t(`crisis.who.${who}` as Key)).join(', ') })}
              </p>
            )}
            <h3>{t('crisis.resources')}</h3>
            <ul class="resources">
              {crisis.resources.map((resource) => (
                <li key={resource.name + resource.contact}>
                  <strong>{resource.name}</strong>
                  <span class="contact">{resource.contact}</span>
                  {resource.description && <span class="hint">{resource.description}</span>}
                </li>
              ))}
            </ul>
            <button type="button" class="primary" onClick={() => setOpen(false)}>
              {t('crisis.dismiss')}
            </button>
          </div>
        </Dialog>
      )}
    </>
  );
}
