import type { GroupInfo, GroupState } from '@kindred/client';
import { useEffect, useState } from 'preact/hooks';
import { href, useAction, useNow, useStore } from '../hooks';
import { formatDateTime, formatTime, t, why, type Key } from '../i18n';
import type { Store } from '../store';
import { Chat } from './Chat';
import { MeetingControls } from './Facilitate';
import { Refusal } from './Refusal';

/** Upcoming group sessions by topic: register, and enter when the lobby opens. */
export function Groups() {
  const store = useStore();
  const [topic, setTopic] = useState('');
  useEffect(() => {
    void store.refreshGroups(topic || undefined).catch(() => undefined);
  }, [topic, store.connection === 'connected']);
  const topics = [...new Set([...store.rooms.filter((r) => r.tags.includes('condition')).map((r) => r.id)])];

  return (
    <div class="screen groups-screen">
      <div class="screen-head">
        <h1>{t('groups.title')}</h1>
        <label class="inline">
          {t('groups.topic')}
          <select value={topic} onChange={(e) => setTopic((e.target as HTMLSelectElement).value)}>
            <option value="">{t('groups.allTopics')}</option>
            {topics.map((id) => (
              <option key={id} value={id}>
                {store.roomTitle(id)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {store.groups.length === 0 && <p>{t('groups.none')}</p>}
      <ul class="group-list">
        {store.groups.map((group) => (
          <li key={group.groupId}>
            <GroupCard store={store} group={group} />
          </li>
        ))}
      </ul>
    </div>
  );
}

export function GroupCard({
  store,
  group,
  children,
}: {
  store: Store;
  group: GroupInfo;
  children?: preact.ComponentChildren;
}) {
  const now = useNow(15_000);
  const { error, call } = useAction();
  const enterable = group.phase === 'lobby' || group.phase === 'open' || Date.parse(group.lobbyOpensAt ?? '') <= now;
  const act = (work: () => Promise<GroupInfo>) => call(async () => store.replaceGroup(await work()));
  return (
    <article class="card group" data-group={group.groupId} aria-labelledby={`group-${group.groupId}`}>
      <h2 id={`group-${group.groupId}`}>{group.title}</h2>
      <p>
        <span class="tag">{store.roomTitle(group.topic ?? '')}</span>{' '}
        <span class={`phase phase-${group.phase}`}>{t(`groups.phase.${group.phase}` as Key)}</span>
      </p>
      <p>
        {group.startsAt && t('groups.when', { date: formatDateTime(group.startsAt), duration: group.durationMinutes })}
        {group.recurrence === 'weekly' && `, ${t('groups.weekly')}`}
      </p>
      <p class="hint">
        {t('groups.by', { names: group.facilitators.map((f) => f.pseudonym).join(', ') })} ·{' '}
        {t('groups.places', { registered: group.registered, capacity: group.capacity })}
      </p>
      {!enterable && group.lobbyOpensAt && (
        <p class="hint">{t('groups.lobbyAt', { time: formatDateTime(group.lobbyOpensAt) })}</p>
      )}
      {group.youAreRegistered && <p class="hint">{t('groups.registered')}</p>}
      <div class="row-actions">
        {enterable && group.phase !== 'closed' && group.phase !== 'cancelled' && (
          <a class="button primary" href={href('meeting', group.groupId)}>
            {t('groups.enter')}
          </a>
        )}
        {group.youAreRegistered ? (
          <button type="button" onClick={() => act(() => store.client.unregisterGroup(group.groupId))}>
            {t('groups.unregister')}
          </button>
        ) : (
          <button type="button" onClick={() => act(() => store.client.registerGroup(group.groupId))}>
            {t('groups.register')}
          </button>
        )}
        {children}
      </div>
      <Refusal reason={error} />
    </article>
  );
}

/**
 * A meeting's room: the pinned rules or message, the phase, who holds the floor, the hands queue, raise/lower hand,
 * listen only, the slow mode; a facilitator of the group (or a moderator) also gets the meeting's controls.
 */
export function Meeting({ groupId }: { groupId: string }) {
  const store = useStore();
  useEffect(() => {
    if (!store.groups.some((g) => g.groupId === groupId)) void store.refreshGroups().catch(() => undefined);
  }, [groupId]);
  const group = store.groups.find((g) => g.groupId === groupId);
  if (!group) {
    return (
      <div class="screen">
        <p>{t('groups.none')}</p>
      </div>
    );
  }
  const room = group.room ?? '';
  const state = store.client.groupState(room);
  const me = store.me?.id ?? '';
  const facilitator = store.hasRole('moderator') || group.facilitators.some((f) => f.id === me);
  const view = store.view(room);
  const removed = !view.joined && store.notices.some((n) => n.kind === 'removed' && n.room === room);

  return (
    <div class={facilitator ? 'screen meeting-screen facilitating' : 'screen meeting-screen'}>
      <div class="meeting-main">
        {removed ? (
          <p class="alert" role="alert">
            {why('removed_from_group')}
          </p>
        ) : (
          <Chat
            room={room}
            title={group.title}
            meeting={state}
            blocked={state && blockedReason(state, me, facilitator)}
            slowModeSeconds={state && !facilitator ? state.slowModeSeconds : 0}
            header={state && <MeetingHeader store={store} group={group} state={state} facilitator={facilitator} />}
          />
        )}
      </div>
      {facilitator && state && <MeetingControls store={store} group={group} state={state} />}
    </div>
  );
}

function blockedReason(state: GroupState, me: string, facilitator: boolean): string | undefined {
  if (facilitator) return undefined;
  if (state.phase === 'lobby') return t('why.group_not_open');
  if (state.phase === 'closed') return t('why.group_closed');
  if (state.muted.includes(me)) return t('why.muted');
  if (state.listenOnly.includes(me)) return t('why.listen_only');
  if (state.locked) return t('why.chat_locked');
  if (state.floorOnly && state.floor && state.floor.user.id !== me) return t('why.not_your_turn');
  return undefined;
}

function MeetingHeader({
  store,
  group,
  state,
  facilitator,
}: {
  store: Store;
  group: GroupInfo;
  state: GroupState;
  facilitator: boolean;
}) {
  const me = store.me?.id ?? '';
  const { error, call: act } = useAction();
  const raised = state.hands.some((hand) => hand.id === me);
  const position = state.hands.findIndex((hand) => hand.id === me) + 1;
  const listening = state.listenOnly.includes(me);
  return (
    <div class="meeting-head">
      {state.pinned && (
        <section class="pinned" aria-label={t('meeting.pinned')}>
          <h3>{state.pinned.rules ? t('meeting.rules') : t('meeting.pinned')}</h3>
          <p>{state.pinned.rules ?? state.pinned.message?.text}</p>
        </section>
      )}
      <p class={`phase-banner phase-${state.phase}`} role="status" data-phase={state.phase}>
        {state.phase === 'lobby'
          ? t('meeting.lobby')
          : state.phase === 'closed'
            ? t('meeting.closed')
            : t('groups.phase.open')}
        {' · '}
        {t('meeting.participants', { count: state.participants })}
      </p>
      {state.floor && (
        <p class="floor" role="status">
          {state.floor.user.id === me
            ? t('meeting.floorYou', { time: formatTime(state.floor.until) })
            : t('meeting.floor', { name: state.floor.user.pseudonym, time: formatTime(state.floor.until) })}
        </p>
      )}
      <p class="meeting-rules">
        {state.locked && <span class="tag">{t('meeting.locked')}</span>}
        {state.slowModeSeconds > 0 && <span class="tag">{t('meeting.slow', { seconds: state.slowModeSeconds })}</span>}
        {state.muted.includes(me) && <span class="tag">{t('meeting.muted')}</span>}
      </p>
      {!facilitator && state.phase === 'open' && (
        <div class="row-actions">
          <button
            type="button"
            aria-pressed={raised}
            onClick={() =>
              act(() => (raised ? store.client.lowerHand(group.groupId) : store.client.raiseHand(group.groupId)))
            }
          >
            {raised ? t('meeting.lower') : t('meeting.raise')}
          </button>
          {raised && <span class="hint">{t('meeting.yourTurn', { position })}</span>}
          <label class="choice">
            <input
              type="checkbox"
              checked={listening}
              onChange={() => act(() => store.client.listenOnly(group.groupId, !listening))}
            />
            {t('meeting.listenOnly')}
          </label>
        </div>
      )}
      {state.hands.length > 0 && (
        <p class="hint">
          {t('meeting.hands')}: {state.hands.map((hand) => hand.pseudonym).join(', ')}
        </p>
      )}
      <Refusal reason={error} />
    </div>
  );
}
