-- Replaces one message of a room's history (an edit, or a tombstone) if its entry still holds what the caller read: a
-- compare-and-set, so an edit never brings back a message deleted meanwhile. A stream entry cannot change in place, so
-- the stream is copied with that entry replaced and the copy takes the history's name: the old text leaves Redis
-- instead of being hidden. O(history size, at most historySize entries), for the rare edit or deletion; never on the
-- path of a new message.
-- KEYS: 1 history stream, 2 scratch stream (same slot), 3 deleted seqs (hash, from earlier versions),
--       4 the message's idempotency record (the scratch key again when it has none)
-- ARGV: 1 seq, 2 the entry's message JSON as read, 3 the replacement JSON, 4 '1' to leave alone a message flagged in
--       the deleted hash
-- Returns 1 when replaced, 0 when the entry is gone or holds something else
local id = ARGV[1] .. '-0'
local at = redis.call('XRANGE', KEYS[1], id, id)
if #at == 0 or at[1][2][2] ~= ARGV[2] then
  return 0
end
if ARGV[4] == '1' and redis.call('HEXISTS', KEYS[3], ARGV[1]) == 1 then
  return 0
end
redis.call('DEL', KEYS[2])
local from = '-'
local batch
repeat
  batch = redis.call('XRANGE', KEYS[1], from, '+', 'COUNT', 500)
  for _, entry in ipairs(batch) do
    local message = entry[2][2]
    if entry[1] == id then
      message = ARGV[3]
    end
    redis.call('XADD', KEYS[2], entry[1], 'm', message, 't', entry[2][4])
  end
  if #batch > 0 then
    from = '(' .. batch[#batch][1]
  end
until #batch < 500
redis.call('RENAME', KEYS[2], KEYS[1])
if KEYS[4] ~= KEYS[2] and redis.call('GET', KEYS[4]) == ARGV[2] then
  redis.call('SET', KEYS[4], ARGV[3], 'KEEPTTL')
end
return 1
