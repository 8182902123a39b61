import type { ChatMessage, GroupState, UserInfo } from '@kindred/client';
import { Component, type ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { useAction, useNow, useStore } from '../hooks';
import { formatTime, t, why, type Key } from '../i18n';
import type { OwnSend, RoomView, Store } from '../store';
import { Dialog } from './Dialog';
import { TextField } from './TextField';
import { Refusal } from './Refusal';

/** How many messages the list draws at once; scrolling back draws more, then pages older ones from the server. */
const WINDOW = 100;

/**
 * One conversation: a public room, a one-to-one session or a group meeting. History on entry, older pages when
 * scrolled back, live messages, who is here, who is typing, the member's own messages with their state, and the
 * composer, whose draft survives reconnects and reloads.
 */
export function Chat({
  room,
  title,
  writable = true,
  blocked,
  meeting,
  header,
  compact = false,
  slowModeSeconds = 0,
}: {
  room: string;
  title: string;
  /** Whether this user may post at all (a read-only room shows no composer). */
  writable?: boolean;
  /** Why posting is refused right now (muted, locked...), shown above the composer; typing is kept. */
  blocked?: string;
  meeting?: GroupState;
  header?: ComponentChildren;
  compact?: boolean;
  slowModeSeconds?: number;
}) {
  const store = useStore();
  const view = store.view(room);
  const [acting, setActing] = useState<ChatMessage | undefined>();
  const [showPresence, setShowPresence] = useState(false);

  useEffect(() => {
    void store.join(room);
  }, [room, store.connection === 'connected']);

  const presence = [...view.presence.values()];
  const online = Math.max(view.online, presence.length);
  return (
    <section class={compact ? 'chat compact' : 'chat'} aria-labelledby={`title-${room}`}>
      <div class="chat-head">
        <h2 id={`title-${room}`}>{title}</h2>
        <button
          type="button"
          class="presence-toggle"
          aria-expanded={showPresence}
          aria-controls={`presence-${room}`}
          onClick={() => setShowPresence(!showPresence)}
        >
          {t('room.here', { count: online })}
        </button>
      </div>
      {showPresence && (
        <ul id={`presence-${room}`} class="presence" aria-label={t('room.here', { count: online })}>
          {presence.map((user) => (
            <li key={user.id}>
              {user.pseudonym}
              {user.role !== 'member' && <span class={`badge role-${user.role}`}>{t(`role.${user.role}` as Key)}</span>}
            </li>
          ))}
          {online > presence.length && (
            <li class="presence-more">{t('room.hereMore', { count: online - presence.length })}</li>
          )}
        </ul>
      )}
      {header}
      {view.error && (
        <p class="alert" role="alert">
          {t('room.joinFailed', { detail: why(view.error) })}
        </p>
      )}
      <MessageList store={store} view={view} title={title} onAction={setActing} />
      <TypingLine view={view} />
      {writable ? (
        <Composer store={store} room={room} view={view} blocked={blocked} slowModeSeconds={slowModeSeconds} />
      ) : (
        <p class="read-only">{t('room.readOnly')}</p>
      )}
      {acting && (
        <MessageActions store={store} message={acting} meeting={meeting} onClose={() => setActing(undefined)} />
      )}
    </section>
  );
}

function MessageList({
  store,
  view,
  title,
  onAction,
}: {
  store: Store;
  view: RoomView;
  title: string;
  onAction: (message: ChatMessage) => void;
}) {
  const list = useRef<HTMLDivElement>(null);
  const [windowSize, setWindowSize] = useState(WINDOW);
  const [atBottom, setAtBottom] = useState(true);
  const [unseen, setUnseen] = useState(0);
  const lastCount = useRef(0);
  const anchor = useRef<{ height: number; top: number } | undefined>();
  const messages = view.messages;
  const shown = messages.slice(Math.max(0, messages.length - windowSize));
  const me = store.me;

  useEffect(() => {
    if (atBottom) store.atBottom.add(view.id);
    else store.atBottom.delete(view.id);
    return () => store.atBottom.delete(view.id);
  }, [atBottom, view.id]);

  // Keep the reader where it is: at the bottom follow new messages; when older ones are drawn above, stay put.
  useLayoutEffect(() => {
    const element = list.current;
    if (!element) return;
    const grew = messages.length - lastCount.current;
    lastCount.current = messages.length;
    if (anchor.current) {
      element.scrollTop = anchor.current.top + (element.scrollHeight - anchor.current.height);
      anchor.current = undefined;
    } else if (atBottom) {
      element.scrollTop = element.scrollHeight;
      if (windowSize > WINDOW) setWindowSize(WINDOW);
    } else if (grew > 0) {
      setUnseen((n) => n + grew);
    }
  });

  const showOlder = () => {
    const element = list.current;
    if (element) anchor.current = { height: element.scrollHeight, top: element.scrollTop };
    if (windowSize < messages.length) setWindowSize(windowSize + WINDOW);
    else void store.loadOlder(view.id).then(() => setWindowSize((n) => n + WINDOW));
  };

  const onScroll = () => {
    const element = list.current;
    if (!element) return;
    const bottom = element.scrollHeight - element.scrollTop - element.clientHeight < 48;
    if (bottom !== atBottom) setAtBottom(bottom);
    if (bottom) setUnseen(0);
    if (element.scrollTop < 24 && (windowSize < messages.length || view.hasMore) && !view.loadingOlder) {
      showOlder();
    }
  };

  const toBottom = () => {
    setAtBottom(true);
    setUnseen(0);
    const element = list.current;
    if (element) element.scrollTop = element.scrollHeight;
  };

  const olderAvailable = windowSize < messages.length || view.hasMore;
  return (
    <div class="messages-wrap">
      <div
        class="messages"
        ref={list}
        onScroll={onScroll}
        tabIndex={0}
        aria-label={t('room.messages', { room: title })}
      >
        {olderAvailable ? (
          <button type="button" class="older" onClick={showOlder} disabled={view.loadingOlder}>
            {view.loadingOlder ? t('room.loadingOlder') : t('room.older')}
          </button>
        ) : (
          messages.length > 0 && <p class="start">{t('room.start')}</p>
        )}
        {view.joining && messages.length === 0 && <p class="hint">{t('room.joining')}</p>}
        {view.joined && messages.length === 0 && view.own.length === 0 && <p class="hint">{t('room.empty')}</p>}
        <div role="log" aria-live="polite" aria-relevant="additions">
          <ol class="message-list" data-room={view.id}>
            {shown.map((message) => (
              <MessageRow
                key={message.id}
                message={message}
                mine={message.author.id === me?.id}
                deletedReason={message.deleted ? view.deletedReasons.get(message.seq) : undefined}
                onAction={onAction}
              />
            ))}
            {view.own.map((send) => (
              <OwnRow key={send.clientMsgId} store={store} room={view.id} send={send} />
            ))}
          </ol>
        </div>
      </div>
      {unseen > 0 && !atBottom && (
        <button type="button" class="jump" onClick={toBottom}>
          {t('room.newMessages', { count: unseen })}
        </button>
      )}
    </div>
  );
}

interface RowProps {
  message: ChatMessage;
  mine: boolean;
  deletedReason: string | undefined;
  onAction: (message: ChatMessage) => void;
}

/** One message; redrawn only when the message itself changes (a deletion), so a busy room stays cheap. */
class MessageRow extends Component<RowProps> {
  override shouldComponentUpdate(next: RowProps): boolean {
    return next.message !== this.props.message || next.deletedReason !== this.props.deletedReason;
  }

  override render({ message, mine, deletedReason, onAction }: RowProps) {
    const author = message.author;
    return (
      <li class={mine ? 'msg mine' : 'msg'} data-seq={message.seq} data-client-msg-id={message.clientMsgId}>
        <div class="msg-head">
          <span class="author">{mine ? `${author.pseudonym} (${t('room.you')})` : author.pseudonym}</span>
          {author.role !== 'member' && (
            <span class={`badge role-${author.role}`}>{t(`role.${author.role}` as Key)}</span>
          )}
          <time dateTime={new Date(message.ts).toISOString()}>{formatTime(message.ts)}</time>
          {mine && !message.deleted && <span class="state sent">{t('own.sent')}</span>}
          {!message.deleted && (
            <button
              type="button"
              class="icon more"
              aria-label={t('room.actions', { name: author.pseudonym })}
              onClick={() => onAction(message)}
            >
              ⋯
            </button>
          )}
        </div>
        {message.deleted ? (
          <p class="text deleted">
            {deletedReason ? t('room.deletedReason', { reason: deletedReason }) : t('room.deleted')}
          </p>
        ) : (
          <p class="text">
            {message.text}
            {message.editedAt !== undefined && <span class="edited"> {t('room.edited')}</span>}
          </p>
        )}
      </li>
    );
  }
}

function OwnRow({ store, room, send }: { store: Store; room: string; send: OwnSend }) {
  const me = store.me;
  const failed = send.status === 'failed' || send.status === 'rejected';
  return (
    <li class={`msg mine own-${send.status}`} data-client-msg-id={send.clientMsgId} data-state={send.status}>
      <div class="msg-head">
        <span class="author">{me ? `${me.pseudonym} (${t('room.you')})` : ''}</span>
        <span class={`state ${send.status}`}>{t(`own.${send.status}` as Key)}</span>
      </div>
      <p class="text">{send.text}</p>
      {(failed || send.status === 'held') && send.code && (
        <p class="why" role="alert">
          {send.status === 'rejected' && send.detail ? send.detail : why(send.code)}
        </p>
      )}
      {send.status === 'rejected' && !send.code && send.detail && (
        <p class="why" role="alert">
          {send.detail}
        </p>
      )}
      {failed && (
        <div class="row-actions">
          {send.status === 'failed' && (
            <button type="button" onClick={() => store.send(room, send.text, send.clientMsgId)}>
              {t('own.retry')}
            </button>
          )}
          <button type="button" onClick={() => store.discard(room, send.clientMsgId, true)}>
            {t('own.edit')}
          </button>
          <button type="button" class="link" onClick={() => store.discard(room, send.clientMsgId, false)}>
            {t('own.discard')}
          </button>
        </div>
      )}
    </li>
  );
}

function TypingLine({ view }: { view: RoomView }) {
  const now = useNow(2000);
  const typing = [...view.typing.values()].filter((entry) => entry.until > now).map((entry) => entry.user.pseudonym);
  const text =
    typing.length === 0
      ? ''
      : typing.length === 1
        ? t('room.typing.one', { a: typing[0] as string })
        : typing.length === 2
          ? t('room.typing.two', { a: typing[0] as string, b: typing[1] as string })
          : t('room.typing.many');
  return (
    <p class="typing" data-testid="typing">
      {text}
    </p>
  );
}

/** Typing is announced at most every 3 s while keys are pressed, and withdrawn after 4 s of quiet or on send. */
const TYPING_REPEAT_MS = 3000;
const TYPING_QUIET_MS = 4000;

function Composer({
  store,
  room,
  view,
  blocked,
  slowModeSeconds,
}: {
  store: Store;
  room: string;
  view: RoomView;
  blocked?: string;
  slowModeSeconds: number;
}) {
  const [text, setText] = useState(() => store.drafts.get(room));
  const typingSent = useRef(0);
  const quiet = useRef<ReturnType<typeof setTimeout> | undefined>();
  const [slowUntil, setSlowUntil] = useState(0);
  const now = useNow(1000);
  const limit = store.welcome?.limits.maxTextLength ?? 4000;

  useEffect(() => setText(store.drafts.get(room)), [room]);
  // A failed message put back for editing lands in the draft.
  useEffect(() => {
    const draft = store.drafts.get(room);
    if (draft !== text) setText(draft);
  }, [view.version]);
  // A refusal for slow mode tells how long to wait.
  const slowRefusal = view.own.find((send) => send.code === 'slow_mode' && send.retryAfterMs);
  useEffect(() => {
    if (slowRefusal?.retryAfterMs) setSlowUntil(Date.now() + slowRefusal.retryAfterMs);
  }, [slowRefusal?.clientMsgId]);

  const stopTyping = () => {
    clearTimeout(quiet.current);
    if (typingSent.current !== 0) {
      typingSent.current = 0;
      store.client.typing(room, false);
    }
  };

  const input = (value: string) => {
    setText(value);
    store.drafts.set(room, value);
    if (value.trim() === '') {
      stopTyping();
      return;
    }
    const at = Date.now();
    if (at - typingSent.current > TYPING_REPEAT_MS) {
      typingSent.current = at;
      store.client.typing(room, true);
    }
    clearTimeout(quiet.current);
    quiet.current = setTimeout(stopTyping, TYPING_QUIET_MS);
  };

  const submit = (event?: Event) => {
    event?.preventDefault();
    const message = text.trim();
    if (message === '' || message.length > limit) return;
    stopTyping();
    store.send(room, message);
    setText('');
    store.drafts.set(room, '');
    if (slowModeSeconds > 0) setSlowUntil(Date.now() + slowModeSeconds * 1000);
  };

  const left = limit - text.length;
  const slowLeft = Math.ceil((slowUntil - now) / 1000);
  return (
    <form class="composer" onSubmit={submit}>
      {blocked && (
        <p class="blocked" role="status">
          {blocked}
        </p>
      )}
      {slowLeft > 0 && (
        <p class="slow" role="timer" aria-live="off">
          {t('composer.slow', { seconds: slowLeft })}
        </p>
      )}
      <label for={`composer-${room}`} class="visually-hidden">
        {t('composer.label')}
      </label>
      <div class="composer-row">
        <textarea
          id={`composer-${room}`}
          rows={2}
          value={text}
          placeholder={t('composer.placeholder')}
          aria-describedby={left < 200 ? `left-${room}` : undefined}
          onInput={(e) => input((e.target as HTMLTextAreaElement).value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) submit(e);
          }}
          onBlur={stopTyping}
        />
        <button type="submit" class="primary" disabled={text.trim() === '' || left < 0}>
          {t('composer.send')}
        </button>
      </div>
      {left < 200 && (
        <p id={`left-${room}`} class={left < 0 ? 'counter over' : 'counter'}>
          {t('composer.left', { count: left })}
        </p>
      )}
    </form>
  );
}

type Action = 'menu' | 'report' | 'block' | 'delete' | 'edit' | 'sanction' | 'done';

/**
 * What can be done with a message: report it, block its author, delete one's own; moderators delete or sanction;
 * facilitators pin.
 */
function MessageActions({
  store,
  message,
  meeting,
  onClose,
}: {
  store: Store;
  message: ChatMessage;
  meeting?: GroupState;
  onClose: () => void;
}) {
  const [action, setAction] = useState<Action>('menu');
  const [category, setCategory] = useState<'harassment' | 'self_harm' | 'spam' | 'misinformation' | 'other'>(
    'harassment',
  );
  const [comment, setComment] = useState('');
  const { error, call } = useAction();
  const [done, setDone] = useState('');
  const author: UserInfo = message.author;
  const mine = author.id === store.me?.id;
  const moderator = store.hasRole('moderator');
  const facilitator = meeting !== undefined && (moderator || meeting.facilitators.includes(store.me?.id ?? ''));

  const run = (work: () => Promise<unknown>, success: string) =>
    call(async () => {
      await work();
      setDone(success);
      setAction('done');
    });

  return (
    <Dialog title={t('action.title', { name: author.pseudonym })} onClose={onClose}>
      <blockquote class="quoted">{message.text}</blockquote>
      {action === 'menu' && (
        <div class="stack">
          <button type="button" onClick={() => setAction('report')}>
            {t('action.report')}
          </button>
          {!mine && (
            <button type="button" onClick={() => setAction('block')}>
              {t('action.block', { name: author.pseudonym })}
            </button>
          )}
          {facilitator && meeting && (
            <button
              type="button"
              onClick={() => run(() => store.client.pin(meeting.groupId, message.seq), t('pin.done'))}
            >
              {t('action.pin')}
            </button>
          )}
          {moderator && (
            <button type="button" onClick={() => setAction('delete')}>
              {t('action.delete')}
            </button>
          )}
          {mine && !message.deleted && (
            <button
              type="button"
              onClick={() => {
                setComment(message.text);
                setAction('edit');
              }}
            >
              {t('action.editOwn')}
            </button>
          )}
          {mine && !moderator && !message.deleted && (
            <button
              type="button"
              class="danger"
              onClick={() =>
                run(
                  () => store.client.deleteMessage(message.room, message.seq, 'removed by its author'),
                  t('own.deleted'),
                )
              }
            >
              {t('action.deleteOwn')}
            </button>
          )}
          {moderator && !mine && (
            <button type="button" onClick={() => setAction('sanction')}>
              {t('action.sanction', { name: author.pseudonym })}
            </button>
          )}
        </div>
      )}
      {action === 'report' && (
        <form
          class="stack"
          onSubmit={(e) => {
            e.preventDefault();
            void run(
              () => store.client.report(message.room, message.seq, category, comment.trim() || undefined),
              t('report.done'),
            );
          }}
        >
          <fieldset>
            <legend>{t('report.category')}</legend>
            {(['harassment', 'self_harm', 'spam', 'misinformation', 'other'] as const).map((c) => (
              <label key={c} class="choice">
                <input type="radio" name="category" checked={category === c} onChange={() => setCategory(c)} />
                {t(`report.${c}` as Key)}
              </label>
            ))}
          </fieldset>
          <TextField id="report-comment" label={t('report.comment')} value={comment} onInput={setComment} />
          <button type="submit" class="primary">
            {t('report.submit')}
          </button>
        </form>
      )}
      {action === 'block' && (
        <form
          class="stack"
          onSubmit={(e) => {
            e.preventDefault();
            void run(
              () => store.client.block(author.id, comment.trim() || undefined),
              t('block.done', { name: author.pseudonym }),
            );
          }}
        >
          <p>{t('block.explain', { name: author.pseudonym })}</p>
          <TextField id="block-comment" label={t('block.comment')} value={comment} onInput={setComment} />
          <button type="submit" class="primary">
            {t('block.submit')}
          </button>
        </form>
      )}
      {action === 'delete' && (
        <form
          class="stack"
          onSubmit={(e) => {
            e.preventDefault();
            void run(() => store.client.deleteMessage(message.room, message.seq, comment.trim()), t('room.deleted'));
          }}
        >
          <TextField id="delete-reason" label={t('delete.reason')} required value={comment} onInput={setComment} />
          <button type="submit" class="danger">
            {t('delete.submit')}
          </button>
        </form>
      )}
      {action === 'edit' && (
        <form
          class="stack"
          onSubmit={(e) => {
            e.preventDefault();
            void run(() => store.client.editMessage(message.room, message.seq, comment.trim()), t('own.edited'));
          }}
        >
          <TextField id="edit-text" label={t('edit.text')} required value={comment} onInput={setComment} />
          <button type="submit" class="primary">
            {t('edit.submit')}
          </button>
        </form>
      )}
      {action === 'sanction' && (
        <SanctionForm
          store={store}
          userId={author.id}
          room={message.room}
          onDone={(text) => run(async () => {}, text)}
        />
      )}
      {action === 'done' && (
        <div class="stack">
          <p role="status">{done}</p>
          <button type="button" class="primary" onClick={onClose}>
            {t('action.close')}
          </button>
        </div>
      )}
      <Refusal reason={error} />
    </Dialog>
  );
}

const DURATIONS: [number | undefined, string][] = [
  [3600, '1 h'],
  [86400, '24 h'],
  [604800, '7 d'],
  [undefined, ''],
];

/** A moderator's sanction: warn, timeout, restrict, room ban, service ban, with a reason the member is shown. */
export function SanctionForm({
  store,
  userId,
  room,
  onDone,
}: {
  store: Store;
  userId?: string;
  room?: string;
  onDone?: (text: string) => void;
}) {
  const [user, setUser] = useState(userId ?? '');
  const [kind, setKind] = useState<'warn' | 'timeout' | 'restrict' | 'room_ban' | 'service_ban'>('warn');
  const [where, setWhere] = useState(room ?? '');
  const [duration, setDuration] = useState<number | undefined>(3600);
  const [reason, setReason] = useState('');
  const { error, call } = useAction();
  const [status, setStatus] = useState('');
  const timed = kind !== 'warn';
  const durations = kind === 'timeout' ? DURATIONS.filter(([d]) => d !== undefined) : DURATIONS;

  return (
    <form
      class="stack sanction-form"
      onSubmit={async (e) => {
        e.preventDefault();
        await call(async () => {
          const sanction = await store.sanction({
            userId: user.trim(),
            kind,
            reason: reason.trim(),
            room: kind === 'room_ban' ? where : undefined,
            durationSeconds: timed ? (kind === 'timeout' ? (duration ?? 3600) : duration) : undefined,
          });
          const text = `${t(`moderate.kind.${sanction.kind}` as Key)}: ${sanction.sanctionId}`;
          setStatus(text);
          setReason('');
          onDone?.(text);
        });
      }}
    >
      {userId === undefined && (
        <>
          <label for="sanction-user">{t('moderate.sanctionUser')}</label>
          <input
            id="sanction-user"
            required
            value={user}
            onInput={(e) => setUser((e.target as HTMLInputElement).value)}
          />
        </>
      )}
      <label for="sanction-kind">{t('moderate.kind')}</label>
      <select
        id="sanction-kind"
        value={kind}
        onChange={(e) => setKind((e.target as HTMLSelectElement).value as typeof kind)}
      >
        {(['warn', 'timeout', 'restrict', 'room_ban', 'service_ban'] as const).map((k) => (
          <option key={k} value={k}>
            {t(`moderate.kind.${k}` as Key)}
          </option>
        ))}
      </select>
      {kind === 'room_ban' && (
        <>
          <label for="sanction-room">{t('moderate.room')}</label>
          <select id="sanction-room" value={where} onChange={(e) => setWhere((e.target as HTMLSelectElement).value)}>
            {store.rooms.map((r) => (
              <option key={r.id} value={r.id}>
                {r.title}
              </option>
            ))}
          </select>
        </>
      )}
      {timed && (
        <>
          <label for="sanction-duration">{t('moderate.duration')}</label>
          <select
            id="sanction-duration"
            value={String(duration ?? '')}
            onChange={(e) => {
              const value = (e.target as HTMLSelectElement).value;
              setDuration(value === '' ? undefined : Number(value));
            }}
          >
            {durations.map(([d, label]) => (
              <option key={String(d)} value={String(d ?? '')}>
                {d === undefined ? t('moderate.untilLifted') : label}
              </option>
            ))}
          </select>
        </>
      )}
      <TextField id="sanction-reason" label={t('moderate.reason')} required value={reason} onInput={setReason} />
      <button type="submit" class="danger">
        {t('moderate.apply')}
      </button>
      {status && <p role="status">{status}</p>}
      <Refusal reason={error} />
    </form>
  );
}
