-- Appends a message to a room: sequence number, history entry, idempotency record and publication in one step.
-- KEYS: 1 seq counter, 2 history stream, 3 epoch, 4 idempotency record, 5 deleted seqs (hash)
-- ARGV: 1 message JSON up to the seq value, 2 the rest of it, 3 timestamp (ms), 4 history max length,
--       5 oldest timestamp kept (ms), 6 idempotency window (ms), 7 channel, 8 epoch to use when the room has none
--       (or must start a new one), 9 the epoch the calling node last saw, 10 the highest seq it saw under that epoch
-- Returns {1 if stored now / 0 if a duplicate, message JSON, epoch}
local earlier = redis.call('GET', KEYS[4])
local epoch = redis.call('GET', KEYS[3])
if earlier and epoch then
  return {0, earlier, epoch}
end
if not epoch then
  -- A room without an epoch has no history (new, or its store lost it): start a new sequence.
  epoch = ARGV[8]
  redis.call('SET', KEYS[3], epoch)
  redis.call('DEL', KEYS[1], KEYS[2], KEYS[5])
end
local seq = redis.call('INCR', KEYS[1])
if epoch == ARGV[9] and seq <= tonumber(ARGV[10]) then
  -- Redis came back with older data (an old snapshot, a failover to a lagging replica): the counter went back under
  -- the same epoch, so this seq would name a message that nodes and clients already hold. A new epoch tells them all;
  -- the history that survived stays, and its numbers go on.
  epoch = ARGV[8]
  redis.call('SET', KEYS[3], epoch)
end
local message = ARGV[1] .. seq .. ARGV[2]
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[4], seq .. '-0', 'm', message, 't', ARGV[3])
-- Trim by age: stream ids are sequence numbers, so look at the oldest entries' timestamps. The oldest alone first: it
-- is almost always recent enough, and reading 64 whole entries on every append was most of this script's time.
local oldest = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', 1)
if oldest[1] and tonumber(oldest[1][2][4]) < tonumber(ARGV[5]) then
  oldest = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', 64)
  local keepFrom = nil
  for _, entry in ipairs(oldest) do
    if tonumber(entry[2][4]) >= tonumber(ARGV[5]) then
      keepFrom = entry[1]
      break
    end
  end
  if keepFrom then
    redis.call('XTRIM', KEYS[2], 'MINID', keepFrom)
  end
end
redis.call('SET', KEYS[4], message, 'PX', ARGV[6])
redis.call('SPUBLISH', ARGV[7], 'message\n' .. epoch .. '\n' .. message)
return {1, message, epoch}
