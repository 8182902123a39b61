-- Reads part of a room's history.
-- KEYS: 1 seq counter, 2 history stream, 3 epoch, 4 deleted seqs (hash)
-- ARGV: 1 'after' or 'before', 2 the bound seq (exclusive), 3 most messages, 4 oldest timestamp kept (ms),
--       5 epoch to use when the room has none (or must start a new one), 6 the epoch the calling node last saw,
--       7 the highest seq it saw under that epoch, 8 the id of the message it saw at that seq ('' if unknown)
-- Returns {epoch, last seq, 1 if older messages exist before the first returned else 0,
--          then for each message: its JSON, and 1 if a moderator deleted it else 0}
local epoch = redis.call('GET', KEYS[3])
if not epoch then
  -- The first look at a room gives it its epoch, so clients can resume from "nothing yet" under the same epoch.
  epoch = ARGV[5]
  redis.call('SET', KEYS[3], epoch)
  redis.call('DEL', KEYS[1], KEYS[2], KEYS[4])
elseif epoch == ARGV[6] then
  -- Redis came back with older data when it holds less than the caller saw under this epoch: a lower counter, or
  -- another message at the seq the caller saw. A new epoch tells every node and client; what survived stays.
  local rolledBack = tonumber(redis.call('GET', KEYS[1]) or '0') < tonumber(ARGV[7])
  if not rolledBack and ARGV[8] ~= '' then
    local at = redis.call('XRANGE', KEYS[2], ARGV[7] .. '-0', ARGV[7] .. '-0')
    rolledBack = #at > 0 and not string.find(at[1][2][2], '"id":"' .. ARGV[8] .. '"', 1, true)
  end
  if rolledBack then
    epoch = ARGV[5]
    redis.call('SET', KEYS[3], epoch)
  end
end
local last = tonumber(redis.call('GET', KEYS[1]) or '0')
local limit = tonumber(ARGV[3])
local cutoff = tonumber(ARGV[4])
local entries = {}
if limit > 0 then
  if ARGV[1] == 'after' then
    entries = redis.call('XRANGE', KEYS[2], '(' .. ARGV[2] .. '-0', '+', 'COUNT', limit)
  else
    local newestFirst = redis.call('XREVRANGE', KEYS[2], '(' .. ARGV[2] .. '-0', '-', 'COUNT', limit)
    for i = #newestFirst, 1, -1 do
      entries[#entries + 1] = newestFirst[i]
    end
  end
end
local result = {epoch, last, 0}
local firstId = nil
for _, entry in ipairs(entries) do
  if tonumber(entry[2][4]) >= cutoff then
    firstId = firstId or entry[1]
    result[#result + 1] = entry[2][2]
    local seq = string.match(entry[1], '^(%d+)')
    result[#result + 1] = redis.call('HEXISTS', KEYS[4], seq)
  end
end
local probe = firstId or ((ARGV[1] == 'after' and (tonumber(ARGV[2]) + 1) or math.min(tonumber(ARGV[2]), last + 1)) .. '-0')
local older = redis.call('XREVRANGE', KEYS[2], '(' .. probe, '-', 'COUNT', 1)
if #older > 0 and tonumber(older[1][2][4]) >= cutoff then
  result[3] = 1
end
return result
