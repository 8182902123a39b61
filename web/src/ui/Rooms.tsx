import type { RoomInfo } from '@kindred/client';
import { useEffect } from 'preact/hooks';
import { href, useStore } from '../hooks';
import { t, type Key } from '../i18n';
import { Chat } from './Chat';

const KNOWN_GROUPS = ['condition', 'community', 'family'];

/** The rooms grouped by kind (conditions first), each with how many people are in it now. */
export function Rooms() {
  const store = useStore();
  useEffect(() => {
    void store.refreshRooms().catch(() => undefined);
    const timer = setInterval(() => void store.refreshRooms().catch(() => undefined), 30_000);
    return () => clearInterval(timer);
  }, [store.connection === 'connected']);

  const groups = new Map<string, RoomInfo[]>();
  for (const room of store.rooms) {
    const group = room.tags.find((tag) => KNOWN_GROUPS.includes(tag)) ?? 'other';
    groups.set(group, [...(groups.get(group) ?? []), room]);
  }
  const order = [...KNOWN_GROUPS, 'other'].filter((g) => groups.has(g));

  return (
    <div class="screen rooms-screen">
      <div class="screen-head">
        <h1>{t('rooms.title')}</h1>
        <button type="button" onClick={() => void store.refreshRooms()}>
          {t('rooms.refresh')}
        </button>
      </div>
      <p class="intro">{t('rooms.intro')}</p>
      {store.rooms.length === 0 && <p>{t('rooms.empty')}</p>}
      {order.map((group) => (
        <section key={group} aria-labelledby={`rooms-${group}`}>
          <h2 id={`rooms-${group}`}>{t(`rooms.group.${group}` as Key)}</h2>
          <ul class="room-list">
            {(groups.get(group) ?? []).map((room) => (
              <li key={room.id}>
                <a class="room-card" href={href('room', room.id)} data-room={room.id}>
                  <span class="room-title">{room.title}</span>
                  <span class="room-count">{t('rooms.here', { count: room.online })}</span>
                  <span class="room-description">{room.description}</span>
                  <span class="room-tags">
                    {room.tags
                      .filter((tag) => !KNOWN_GROUPS.includes(tag))
                      .map((tag) => (
                        <span key={tag} class="tag">
                          {tag}
                        </span>
                      ))}
                    {!room.writable && <span class="tag">{t('rooms.readOnly')}</span>}
                  </span>
                </a>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}

/** A public room: its rules (the description) above the conversation. */
export function PublicRoom({ room }: { room: string }) {
  const store = useStore();
  const info = store.rooms.find((r) => r.id === room);
  useEffect(() => () => void store.leave(room), [room]);
  return (
    <div class="screen room-screen">
      <Chat
        room={room}
        title={info?.title ?? room}
        writable={info?.writable ?? true}
        header={info && <p class="room-rules">{info.description}</p>}
      />
    </div>
  );
}
