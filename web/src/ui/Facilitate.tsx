import type { Attendance, GroupInfo, GroupState } from '@kindred/client';
import { useEffect, useState } from 'preact/hooks';
import { href, useAction, useStore } from '../hooks';
import { formatDateTime, t, why } from '../i18n';
import { codeOf, type Store } from '../store';
import { Dialog } from './Dialog';
import { GroupCard } from './Groups';
import { conditions } from './Support';
import { TextField } from './TextField';
import { Refusal } from './Refusal';

/** The facilitator's own time zone: schedules are entered and weekly meetings kept in it. */
const ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/** Schedule and edit groups, and reach each one's meeting, cancellation and attendance. */
export function Facilitate() {
  const store = useStore();
  const [editing, setEditing] = useState<GroupInfo | undefined>();
  useEffect(() => {
    void store.refreshGroups().catch(() => undefined);
  }, [store.connection === 'connected']);
  const me = store.me?.id ?? '';
  const moderator = store.hasRole('moderator');
  const mine = store.groups.filter((g) => moderator || g.facilitators.some((f) => f.id === me));

  return (
    <div class="screen facilitate-screen">
      <h1>{t('facilitate.title')}</h1>
      <div class="facilitate-layout">
        <GroupForm store={store} group={editing} key={editing?.groupId ?? 'new'} onDone={() => setEditing(undefined)} />
        <section aria-labelledby="yours-title">
          <h2 id="yours-title">{t('facilitate.yours')}</h2>
          {mine.length === 0 && <p class="hint">{t('facilitate.none')}</p>}
          <ul class="group-list">
            {mine.map((group) => (
              <li key={group.groupId}>
                <GroupCard store={store} group={group}>
                  <a class="button" href={href('meeting', group.groupId)}>
                    {t('facilitate.run')}
                  </a>
                  <button type="button" onClick={() => setEditing(group)}>
                    {t('facilitate.edit')}
                  </button>
                  <GroupMenu store={store} group={group} />
                </GroupCard>
              </li>
            ))}
          </ul>
        </section>
      </div>
    </div>
  );
}

/** A `datetime-local` value (local time of this browser) for a UTC instant. */
function localInput(time: Date): string {
  const offset = time.getTimezoneOffset() * 60_000;
  return new Date(time.getTime() - offset).toISOString().slice(0, 16);
}

function GroupForm({ store, group, onDone }: { store: Store; group?: GroupInfo; onDone: () => void }) {
  const topics = conditions(store);
  const [title, setTitle] = useState(group?.title ?? '');
  const [topic, setTopic] = useState(group?.topic ?? topics[0]?.id ?? '');
  const [start, setStart] = useState(
    localInput(group?.startsAt ? new Date(group.startsAt) : new Date(Date.now() + 3600_000)),
  );
  const [minutes, setMinutes] = useState(group?.durationMinutes ?? 60);
  const [capacity, setCapacity] = useState(group?.capacity ?? 20);
  const [weekly, setWeekly] = useState(group?.recurrence === 'weekly');
  const [registration, setRegistration] = useState(group?.registration ?? false);
  const [rules, setRules] = useState(group?.rules ?? '');
  const [floorOnly, setFloorOnly] = useState(group?.floorOnly ?? false);
  const { error, call } = useAction();
  const [status, setStatus] = useState('');

  return (
    <form
      class="card stack group-form"
      aria-labelledby="group-form-title"
      onSubmit={async (e) => {
        e.preventDefault();
        await call(async () => {
          const settings = {
            title: title.trim(),
            topic,
            durationMinutes: minutes,
            capacity,
            recurrence: weekly ? ('weekly' as const) : ('none' as const),
            timeZone: ZONE,
            registration,
            rules: rules.trim(),
            floorOnly,
          };
          const startsAt = new Date(start);
          const saved = group
            ? await store.client.updateGroup(group.groupId, {
                ...settings,
                startsAt: startsAt.getTime() === Date.parse(group.startsAt ?? '') ? undefined : startsAt,
              })
            : await store.client.createGroup({ ...settings, startsAt, rules: settings.rules || undefined });
          store.replaceGroup(saved);
          setStatus(t('facilitate.saved'));
          if (group) onDone();
          else setTitle('');
        });
      }}
    >
      <h2 id="group-form-title">{group ? t('facilitate.edit') : t('facilitate.schedule')}</h2>
      <label for="group-title">{t('facilitate.groupTitle')}</label>
      <input
        id="group-title"
        required
        maxLength={100}
        value={title}
        onInput={(e) => setTitle((e.target as HTMLInputElement).value)}
      />
      <label for="group-topic">{t('facilitate.topic')}</label>
      <select id="group-topic" value={topic} onChange={(e) => setTopic((e.target as HTMLSelectElement).value)}>
        {topics.map((option) => (
          <option key={option.id} value={option.id}>
            {option.title}
          </option>
        ))}
      </select>
      <label for="group-start">{t('facilitate.start', { zone: ZONE })}</label>
      <input
        id="group-start"
        type="datetime-local"
        required
        value={start}
        onInput={(e) => setStart((e.target as HTMLInputElement).value)}
      />
      <div class="two">
        <div class="stack">
          <label for="group-duration">{t('facilitate.duration')}</label>
          <input
            id="group-duration"
            type="number"
            min={10}
            max={480}
            value={minutes}
            onInput={(e) => setMinutes(Number((e.target as HTMLInputElement).value))}
          />
        </div>
        <div class="stack">
          <label for="group-capacity">{t('facilitate.capacity')}</label>
          <input
            id="group-capacity"
            type="number"
            min={1}
            max={1000}
            value={capacity}
            onInput={(e) => setCapacity(Number((e.target as HTMLInputElement).value))}
          />
        </div>
      </div>
      <label class="choice">
        <input type="checkbox" checked={weekly} onChange={() => setWeekly(!weekly)} />
        {t('facilitate.weekly')}
      </label>
      <label class="choice">
        <input type="checkbox" checked={registration} onChange={() => setRegistration(!registration)} />
        {t('facilitate.registration')}
      </label>
      <label class="choice">
        <input type="checkbox" checked={floorOnly} onChange={() => setFloorOnly(!floorOnly)} />
        {t('facilitate.floorOnly')}
      </label>
      <label for="group-rules">{t('facilitate.rules')}</label>
      <textarea
        id="group-rules"
        maxLength={2000}
        value={rules}
        onInput={(e) => setRules((e.target as HTMLTextAreaElement).value)}
      />
      <Refusal reason={error} />
      {status && <p role="status">{status}</p>}
      <div class="row-actions">
        <button type="submit" class="primary">
          {group ? t('facilitate.saveChanges') : t('facilitate.create')}
        </button>
        {group && (
          <button type="button" onClick={onDone}>
            {t('action.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}

function GroupMenu({ store, group }: { store: Store; group: GroupInfo }) {
  const [dialog, setDialog] = useState<'cancel' | 'cancelMeeting' | 'attendance' | undefined>();
  const [reason, setReason] = useState('');
  const [attendance, setAttendance] = useState<Attendance | undefined>();
  const { error, call, setError } = useAction();
  const act = (work: () => Promise<void>) =>
    call(async () => {
      await work();
      setDialog(undefined);
    });
  return (
    <>
      <button
        type="button"
        onClick={async () => {
          setDialog('attendance');
          setAttendance(undefined);
          setError(undefined);
          try {
            setAttendance(await store.client.attendance(group.groupId));
          } catch (failure) {
            setError(codeOf(failure) === 'group_not_open' ? t('facilitate.noAttendance') : why(codeOf(failure)));
          }
        }}
      >
        {t('facilitate.attendance')}
      </button>
      {group.recurrence === 'weekly' && (
        <button type="button" onClick={() => setDialog('cancelMeeting')}>
          {t('facilitate.cancelMeeting')}
        </button>
      )}
      <button type="button" class="danger" onClick={() => setDialog('cancel')}>
        {t('facilitate.cancelGroup')}
      </button>
      {(dialog === 'cancel' || dialog === 'cancelMeeting') && (
        <Dialog
          title={dialog === 'cancel' ? t('facilitate.cancelGroup') : t('facilitate.cancelMeeting')}
          onClose={() => setDialog(undefined)}
        >
          <form
            class="stack"
            onSubmit={(e) => {
              e.preventDefault();
              void act(async () => {
                const next =
                  dialog === 'cancel'
                    ? await store.client.cancelGroup(group.groupId, reason.trim())
                    : await store.client.cancelMeeting(group.groupId, group.startsAt ?? '', reason.trim());
                store.replaceGroup(next);
              });
            }}
          >
            <TextField
              id="cancel-reason"
              label={t('facilitate.cancelReason')}
              required
              value={reason}
              onInput={setReason}
            />
            <button type="submit" class="danger">
              {dialog === 'cancel' ? t('facilitate.cancelGroup') : t('facilitate.cancelMeeting')}
            </button>
            <Refusal reason={error} />
          </form>
        </Dialog>
      )}
      {dialog === 'attendance' && (
        <Dialog title={`${t('facilitate.attendance')} — ${group.title}`} onClose={() => setDialog(undefined)}>
          {attendance && (
            <table class="table">
              <caption>{attendance.startsAt && formatDateTime(attendance.startsAt)}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('signin.pseudonym')}</th>
                  <th scope="col">{t('moderate.audit.when')}</th>
                  <th scope="col">{t('moderate.duration')}</th>
                </tr>
              </thead>
              <tbody>
                {attendance.attendees.map((a) => (
                  <tr key={a.user.id}>
                    <td>{a.user.pseudonym}</td>
                    <td>{formatDateTime(a.firstJoinedAt)}</td>
                    <td>{t('facilitate.present', { minutes: Math.round(a.presentSeconds / 60) })}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {error && <p role="status">{error}</p>}
        </Dialog>
      )}
    </>
  );
}

const SLOW_MODES = [0, 10, 30, 60, 120, 300];

/**
 * A facilitator's controls of the meeting in progress: open and close, lock, slow mode, floor only, pins, the hands
 * queue with the floor, and each participant's mute and removal; lifting a ban.
 */
export function MeetingControls({ store, group, state }: { store: Store; group: GroupInfo; state: GroupState }) {
  const { error, call } = useAction();
  const [removing, setRemoving] = useState<{ id: string; name: string } | undefined>();
  const [reason, setReason] = useState('');
  const [ban, setBan] = useState(false);
  const [liftUser, setLiftUser] = useState('');
  const [status, setStatus] = useState('');
  const c = store.client;
  const id = group.groupId;
  const act = (work: () => Promise<void>, done?: string) =>
    call(async () => {
      await work();
      if (done) setStatus(done);
    });
  const participants = [...store.view(group.room ?? '').presence.values()].filter(
    (user) => !state.facilitators.includes(user.id) && user.role !== 'moderator',
  );

  return (
    <aside class="card controls" aria-labelledby="controls-title">
      <h2 id="controls-title">{t('facilitate.controls')}</h2>
      <div class="row-actions">
        {state.phase === 'lobby' && (
          <button type="button" class="primary" onClick={() => act(() => c.openGroup(id))}>
            {t('facilitate.open')}
          </button>
        )}
        {state.phase !== 'closed' && (
          <button type="button" onClick={() => act(() => c.closeGroup(id))}>
            {t('facilitate.close')}
          </button>
        )}
        <button
          type="button"
          aria-pressed={state.locked}
          onClick={() => act(() => c.setGroupChat(id, { locked: !state.locked }))}
        >
          {state.locked ? t('facilitate.unlock') : t('facilitate.lock')}
        </button>
        <button
          type="button"
          aria-pressed={state.floorOnly}
          onClick={() => act(() => c.setGroupChat(id, { floorOnly: !state.floorOnly }))}
        >
          {state.floorOnly ? t('facilitate.floorOnlyOn') : t('facilitate.floorOnlyOff')}
        </button>
      </div>
      <label class="inline">
        {t('facilitate.slowMode')}
        <select
          value={String(state.slowModeSeconds)}
          onChange={(e) =>
            act(() => c.setGroupChat(id, { slowModeSeconds: Number((e.target as HTMLSelectElement).value) }))
          }
        >
          {[...new Set([...SLOW_MODES, state.slowModeSeconds])].map((s) => (
            <option key={s} value={String(s)}>
              {s === 0 ? t('facilitate.slowOff') : `${s} s`}
            </option>
          ))}
        </select>
      </label>
      <div class="row-actions">
        {group.rules && (
          <button type="button" onClick={() => act(() => c.pinRules(id))}>
            {t('facilitate.pinRules')}
          </button>
        )}
        {state.pinned && (
          <button type="button" onClick={() => act(() => c.unpin(id))}>
            {t('facilitate.unpin')}
          </button>
        )}
      </div>
      <h3>{t('meeting.hands')}</h3>
      {state.hands.length === 0 ? (
        <p class="hint">{t('meeting.noHands')}</p>
      ) : (
        <ol class="hands">
          {state.hands.map((hand) => (
            <li key={hand.id}>
              {hand.pseudonym}{' '}
              <button type="button" onClick={() => act(() => c.giveFloor(id, hand.id))}>
                {t('facilitate.give')}
              </button>
            </li>
          ))}
        </ol>
      )}
      <div class="row-actions">
        <button type="button" disabled={state.hands.length === 0} onClick={() => act(() => c.giveFloorToNext(id))}>
          {t('facilitate.giveNext')}
        </button>
        <button type="button" disabled={!state.floor} onClick={() => act(() => c.takeFloor(id))}>
          {t('facilitate.take')}
        </button>
      </div>
      <h3>{t('facilitate.participants')}</h3>
      <ul class="participants">
        {participants.map((user) => {
          const muted = state.muted.includes(user.id);
          return (
            <li key={user.id} data-user={user.pseudonym}>
              <span>{user.pseudonym}</span>
              <span class="row-actions">
                <button
                  type="button"
                  aria-pressed={muted}
                  onClick={() => act(() => (muted ? c.unmute(id, user.id) : c.mute(id, user.id)))}
                >
                  {muted ? t('facilitate.unmute') : t('facilitate.mute')}
                  <span class="visually-hidden"> {user.pseudonym}</span>
                </button>
                <button type="button" class="danger" onClick={() => setRemoving({ id: user.id, name: user.pseudonym })}>
                  {t('facilitate.remove')}
                  <span class="visually-hidden"> {user.pseudonym}</span>
                </button>
              </span>
            </li>
          );
        })}
      </ul>
      <form
        class="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          void act(() => c.liftGroupBan(id, liftUser.trim()), t('facilitate.saved'));
        }}
      >
        <label for="lift-user">{t('facilitate.liftBanUser')}</label>
        <input id="lift-user" value={liftUser} onInput={(e) => setLiftUser((e.target as HTMLInputElement).value)} />
        <button type="submit" disabled={liftUser.trim() === ''}>
          {t('facilitate.liftBan')}
        </button>
      </form>
      {status && <p role="status">{status}</p>}
      <Refusal reason={error} />
      {removing && (
        <Dialog title={`${t('facilitate.remove')} ${removing.name}`} onClose={() => setRemoving(undefined)}>
          <form
            class="stack"
            onSubmit={(e) => {
              e.preventDefault();
              void act(async () => {
                await c.removeParticipant(id, removing.id, { reason: reason.trim(), ban });
                setRemoving(undefined);
                setReason('');
              });
            }}
          >
            <TextField
              id="remove-reason"
              label={t('facilitate.removeReason')}
              required
              value={reason}
              onInput={setReason}
            />
            <label class="choice">
              <input type="checkbox" checked={ban} onChange={() => setBan(!ban)} />
              {t('facilitate.ban')}
            </label>
            <button type="submit" class="danger">
              {t('facilitate.remove')}
            </button>
          </form>
        </Dialog>
      )}
    </aside>
  );
}
