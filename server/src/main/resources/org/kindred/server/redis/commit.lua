-- Commits a change to several entities of one slot at once, if none of them changed since the caller read it
-- (a versioned compare-and-set; no lock, no lease). Each entity is a hash {v = version, d = JSON}; a removed entity
-- keeps its version in a tombstone (d empty) that expires, so versions never go back.
-- KEYS: 1 the slot's index (a set of entity keys), 2.. the entities
-- ARGV: 1 tombstone lifetime (ms), 2 "1" to keep the index, then per entity: the version it was read at
--       ("-1": write it whatever it holds, for a statistic), its new JSON ('' removes it)
-- Returns {1, new version per entity} or, when some entity moved on, {0, then key, version, JSON per such entity}.
local conflicts = {0}
for i = 2, #KEYS do
  local expected = ARGV[2 * i - 1]
  if expected ~= '-1' then
    local held = redis.call('HMGET', KEYS[i], 'v', 'd')
    local version = held[1] or '0'
    if version ~= expected then
      table.insert(conflicts, KEYS[i])
      table.insert(conflicts, version)
      table.insert(conflicts, held[2] or '')
    end
  end
end
if #conflicts > 1 then
  return conflicts
end
local done = {1}
for i = 2, #KEYS do
  local version = tonumber(redis.call('HGET', KEYS[i], 'v') or '0') + 1
  local data = ARGV[2 * i]
  redis.call('HSET', KEYS[i], 'v', version, 'd', data)
  if data == '' then
    redis.call('PEXPIRE', KEYS[i], ARGV[1])
    if ARGV[2] == '1' then redis.call('SREM', KEYS[1], KEYS[i]) end
  else
    redis.call('PERSIST', KEYS[i])
    if ARGV[2] == '1' then redis.call('SADD', KEYS[1], KEYS[i]) end
  end
  table.insert(done, version)
end
return done
