import type { ManagedRoom } from '@kindred/client';
import { useEffect, useState } from 'preact/hooks';
import { useAction } from '../hooks';
import { t, type Key } from '../i18n';
import type { Store } from '../store';
import { Refusal } from './Refusal';

const ROLES = ['member', 'mentor', 'facilitator', 'moderator'] as const;
const RULES = ['new_member_contacts', 'no_links', 'hold_doses'] as const;

/**
 * The moderators' rooms: every room made at run time (archived ones too), a form to make or edit one with everything a
 * room holds (title, description, tags, who posts, content rules, presence, audience), and archive or restore.
 */
export function ManageRooms({ store }: { store: Store }) {
  const [editing, setEditing] = useState<ManagedRoom | undefined>();
  const { error, call } = useAction();
  useEffect(() => {
    if (store.connection === 'connected') void store.loadManagedRooms().catch(() => undefined);
  }, [store.connection === 'connected']);
  const rooms = store.moderation.managedRooms ?? [];
  return (
    <section class="card manage-rooms" aria-labelledby="manage-rooms-title">
      <h2 id="manage-rooms-title">{t('rooms.manage')}</h2>
      <p class="hint">{t('rooms.manageHint')}</p>
      <div class="sanctions-layout">
        <RoomForm store={store} room={editing} key={editing?.id ?? 'new'} onDone={() => setEditing(undefined)} />
        <div>
          {rooms.length === 0 && <p class="hint">{t('rooms.none')}</p>}
          <ul class="managed-room-list">
            {rooms.map((room) => (
              <li key={room.id} data-room={room.id} class={room.archived ? 'archived' : undefined}>
                <strong>{room.title}</strong> <code>{room.id}</code>
                {room.archived && <em> — {t('rooms.archived')}</em>}
                <div class="row-actions">
                  <button
                    type="button"
                    onClick={() => setEditing(room)}
                    aria-label={`${t('rooms.edit')} ${room.title}`}
                  >
                    {t('rooms.edit')}
                  </button>
                  {room.archived ? (
                    <button
                      type="button"
                      onClick={() => call(() => store.restoreRoom(room.id))}
                      aria-label={`${t('rooms.restore')} ${room.title}`}
                    >
                      {t('rooms.restore')}
                    </button>
                  ) : (
                    <button
                      type="button"
                      onClick={() => call(() => store.archiveRoom(room.id))}
                      aria-label={`${t('rooms.archive')} ${room.title}`}
                    >
                      {t('rooms.archive')}
                    </button>
                  )}
                </div>
              </li>
            ))}
          </ul>
          <Refusal reason={error} />
        </div>
      </div>
    </section>
  );
}

/** Claims as typed: `name=value, value; other=value` to `{name: [value, value], other: [value]}`. */
function parseClaims(text: string): Record<string, string[]> {
  const claims: Record<string, string[]> = {};
  for (const part of text.split(';')) {
    const [name, values] = part.split('=', 2).map((s) => s.trim());
    if (name)
      claims[name] = (values ?? '')
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== '');
  }
  return claims;
}

function formatClaims(claims: Record<string, string[] | undefined> | undefined): string {
  return Object.entries(claims ?? {})
    .map(([name, values]) => `${name}=${(values ?? []).join(', ')}`)
    .join('; ');
}

function Choices<T extends string>({
  legend,
  options,
  label,
  chosen,
  onChange,
}: {
  legend: string;
  options: readonly T[];
  label: (option: T) => string;
  chosen: T[];
  onChange: (chosen: T[]) => void;
}) {
  return (
    <fieldset>
      <legend>{legend}</legend>
      {options.map((option) => (
        <label key={option} class="choice">
          <input
            type="checkbox"
            checked={chosen.includes(option)}
            onChange={() =>
              onChange(chosen.includes(option) ? chosen.filter((c) => c !== option) : [...chosen, option])
            }
          />
          {label(option)}
        </label>
      ))}
    </fieldset>
  );
}

function RoomForm({ store, room, onDone }: { store: Store; room?: ManagedRoom; onDone: () => void }) {
  const [id, setId] = useState(room?.id ?? '');
  const [title, setTitle] = useState(room?.title ?? '');
  const [description, setDescription] = useState(room?.description ?? '');
  const [tags, setTags] = useState((room?.tags ?? []).join(', '));
  const [writers, setWriters] = useState<string[]>(room?.writers ?? []);
  const [rules, setRules] = useState<string[]>(room?.rules ?? ['new_member_contacts']);
  const [presence, setPresence] = useState(room?.presence ?? 'names');
  const [readers, setReaders] = useState<string[]>(room?.audience.roles ?? []);
  const [claims, setClaims] = useState(formatClaims(room?.audience.claims));
  const [status, setStatus] = useState<string | undefined>();
  const { error, call } = useAction();
  const prefix = room ? `edit-room` : 'new-room';
  return (
    <form
      aria-labelledby={`${prefix}-title`}
      onSubmit={async (e) => {
        e.preventDefault();
        setStatus(undefined);
        const settings = {
          title: title.trim(),
          description: description.trim(),
          tags: tags
            .split(',')
            .map((tag) => tag.trim())
            .filter((tag) => tag !== ''),
          writers,
          rules,
          presence,
          audience: { roles: readers, claims: parseClaims(claims) },
        };
        const saved = await call(() =>
          room ? store.editRoom(room.id, settings) : store.createRoom({ room: id.trim(), ...settings }),
        );
        if (saved) {
          setStatus(t('rooms.saved'));
          if (room) onDone();
          else {
            setId('');
            setTitle('');
          }
        }
      }}
    >
      <h3 id={`${prefix}-title`}>{room ? t('rooms.editing', { room: room.title }) : t('rooms.new')}</h3>
      {!room && (
        <>
          <label for="room-id">{t('rooms.id')}</label>
          <input
            id="room-id"
            required
            maxLength={64}
            pattern="[a-z0-9][a-z0-9_\-]*"
            value={id}
            onInput={(e) => setId((e.target as HTMLInputElement).value)}
          />
        </>
      )}
      <label for={`${prefix}-name`}>{t('rooms.titleField')}</label>
      <input
        id={`${prefix}-name`}
        required
        maxLength={80}
        value={title}
        onInput={(e) => setTitle((e.target as HTMLInputElement).value)}
      />
      <label for={`${prefix}-description`}>{t('rooms.description')}</label>
      <textarea
        id={`${prefix}-description`}
        maxLength={500}
        value={description}
        onInput={(e) => setDescription((e.target as HTMLTextAreaElement).value)}
      />
      <label for={`${prefix}-tags`}>{t('rooms.tags')}</label>
      <input id={`${prefix}-tags`} value={tags} onInput={(e) => setTags((e.target as HTMLInputElement).value)} />
      <Choices
        legend={t('rooms.writers')}
        options={ROLES}
        label={(role) => t(`role.${role}` as Key)}
        chosen={writers as (typeof ROLES)[number][]}
        onChange={setWriters}
      />
      <Choices
        legend={t('rooms.rules')}
        options={RULES}
        label={(rule) => t(`rooms.rule.${rule}` as Key)}
        chosen={rules as (typeof RULES)[number][]}
        onChange={setRules}
      />
      <label for={`${prefix}-presence`}>{t('rooms.presence')}</label>
      <select
        id={`${prefix}-presence`}
        value={presence}
        onChange={(e) => setPresence((e.target as HTMLSelectElement).value)}
      >
        <option value="names">{t('rooms.presence.names')}</option>
        <option value="count">{t('rooms.presence.count')}</option>
      </select>
      <Choices
        legend={t('rooms.audienceRoles')}
        options={ROLES}
        label={(role) => t(`role.${role}` as Key)}
        chosen={readers as (typeof ROLES)[number][]}
        onChange={setReaders}
      />
      <label for={`${prefix}-claims`}>{t('rooms.audienceClaims')}</label>
      <input id={`${prefix}-claims`} value={claims} onInput={(e) => setClaims((e.target as HTMLInputElement).value)} />
      <Refusal reason={error} />
      {status && <p role="status">{status}</p>}
      <div class="row-actions">
        <button type="submit" class="primary">
          {room ? t('rooms.save') : t('rooms.create')}
        </button>
        {room && (
          <button type="button" onClick={onDone}>
            {t('rooms.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}
